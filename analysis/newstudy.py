"""``policy-report init DIR``: start a new study folder.

A new study gets its settings (``study.toml``, to be filled in), the shipped framework and
coding manual as a starting codebook (``framework.toml``, ``manual.toml``), an empty
registry, empty ``sheets/`` and ``seeds/`` folders and a ``.gitignore`` for ``reports/``.
Templates are not copied: a study without ``templates/`` uses the tool's own, and a
researcher copies only the ones to change.  Nothing is overwritten: a folder that already
holds a study (or any of these files) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tomlkit

from analysis.errors import PolicyReportError, Problem
from analysis.fsio import replace_all
from analysis.study import CONFIG_NAME

PACKAGE_STUDY = Path(__file__).resolve().parent / "_study"
REPO_ROOT = Path(__file__).resolve().parent.parent
STARTER = ("framework.toml", "manual.toml")

REGISTRY_HEADER = """\
# Cases (cities, counties) of this study and their sources.
# Add them with:  policy-report add-case ID --name 이름 --source FILE [--source FILE …]
#                 policy-report add-source ID FILE
# Remove one with: policy-report remove-case ID
"""

GITIGNORE = """\
reports/*.docx
reports/*.pdf
reports/*.xlsx
reports/.cache/
"""

QUICK_START = """\
새 연구 폴더를 만들었습니다: {folder}

  cd {folder}
  policy-report add-case busan --name 부산광역시 --source 계획서.pdf --source 기사.html
  policy-report add-source busan 보도자료.hwpx      # 자료 추가: PDF·HWP·HWPX·DOCX·웹 페이지·TXT
  policy-report code                               # 자동 코딩: 근거 인용·쪽수와 함께 '검토 전' 제안
  policy-report sheets export                          # 검토용 엑셀 → reports/review.xlsx
  policy-report sheets import reports/review.xlsx      # 검토 결과 반영 (accepted/rejected)
  policy-report build                                  # 보고서 → reports/benchmark-report.docx

먼저 study.toml의 제목·연구기관·연구진·날짜를 채우고, 대상 도시는 --role home 으로 등록하세요.
분석틀은 framework.toml, 코딩 기준은 manual.toml 에 있습니다.
"""


@dataclass(frozen=True)
class Started:
    """What ``init`` wrote."""

    folder: Path
    files: tuple[str, ...]


def starter_file(name: str) -> Path:
    """Return the shipped copy of a starter file (framework.toml, manual.toml)."""
    for folder in (PACKAGE_STUDY, REPO_ROOT):
        if (folder / name).is_file():
            return folder / name
    raise PolicyReportError(Problem(name, None, None, "the tool's starter file is missing",
                                    "reinstall policy-report"))


def settings_text(title: str) -> str:
    """Return a new study.toml, every setting explained."""
    document = tomlkit.document()
    document.add(tomlkit.comment("Settings of this study. The report's sentences are in the "
                                 "tool's templates (copy templates/ here to change them)."))
    study = tomlkit.table()
    study.add("title", title)
    study["title"].comment("연구(보고서) 제목")
    study.add("subtitle", "국내 사례 벤치마킹")
    study.add("institute", "")
    study["institute"].comment("연구기관, 예: ○○시정연구원")
    study.add("lead", "")
    study["lead"].comment("연구책임자")
    study.add("team", tomlkit.array())
    study["team"].comment('연구진, 예: ["김○○", "이○○"]')
    study.add("date", "")
    study["date"].comment("표지의 날짜, 예: 2026년 11월")
    study.add("home_case", "")
    study["home_case"].comment("대상 도시의 사례 id (add-case --role home 으로 등록)")
    study.add("disclaimer_city", "")
    study["disclaimer_city"].comment("면책 문구의 도시 이름, 예: 창원시")
    document.add("study", study)
    return tomlkit.dumps(document)


def init(folder: Path, title: str = "") -> Started:
    """Create a new study in ``folder`` (made when absent); refuse to overwrite anything."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise PolicyReportError(Problem(str(folder), None, None, "is a file, not a folder",
                                        "give the path of a new or empty folder"))
    files: dict[Path, bytes] = {
        folder / CONFIG_NAME: settings_text(title or "○○시 ○○ 기본계획 수립 연구")
        .encode("utf-8"),
        folder / "cases.toml": REGISTRY_HEADER.encode("utf-8"),
        folder / ".gitignore": GITIGNORE.encode("utf-8"),
    }
    for name in STARTER:
        files[folder / name] = starter_file(name).read_bytes()
    taken = [p for p in files if p.exists()]
    if taken:
        raise PolicyReportError([Problem(str(p), None, None, "already exists",
                                         "init starts a new study: choose an empty folder")
                                 for p in taken])
    for part in ("sheets", "seeds", "reports"):
        (folder / part).mkdir(parents=True, exist_ok=True)
    replace_all(files)
    return Started(folder, tuple(sorted(p.name for p in files)))
