"""Make a synthetic study of N cases for benchmarks: Korean articles with page furniture, and
coding sheets whose accepted items quote them verbatim.

    python benchmarks/synth.py OUT_DIR --cases 250 [--filler 3] [--seed 1]

Each case is a real city or county name from the tool's gazetteer, with an article in the
style of a Korean news page (menus, the plan's vision, goals, strategies, committee, centre,
ordinance, filler paragraphs, related headlines, copyright).  Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from importlib import resources
from pathlib import Path

from analysis.sheets import CodedItem, new_item_id, write_sheet

REPO = Path(__file__).resolve().parent.parent
FIELDS = ["공유경제", "사회적경제", "사회혁신", "마을공동체", "청년정책", "탄소중립"]
VALUES = ["시민", "공유", "상생", "참여", "혁신", "연대", "포용", "지속가능", "협력", "나눔"]
GOALS = ["공유자원 개방 확대", "사회적경제기업 성장 지원", "시민 참여 문화 확산", "일자리 창출",
         "지역 공동체 회복", "디지털 전환 지원", "청년 창업 활성화", "공공구매 확대"]
STRATEGIES = ["공공자원 개방과 플랫폼 구축", "기업 발굴과 판로 지원", "생활 속 서비스 확대",
              "교육과 홍보 강화", "민관 협력 기반 강화", "제도 정비와 재원 확충",
              "지역 자산 활용", "데이터 기반 정책 평가"]
FILLER = [
    "시는 올해 상반기 중 시민 설문조사와 전문가 자문을 거쳐 세부 실행계획을 마련할 예정이다.",
    "관련 단체들은 이번 계획이 지역 현장의 목소리를 충실히 담았다고 평가했다.",
    "시 관계자는 \"시민이 체감할 수 있는 변화를 만들기 위해 최선을 다하겠다\"고 말했다.",
    "지난해에는 관련 교육 프로그램에 1천여 명의 시민이 참여해 높은 만족도를 보였다.",
    "전문가들은 중장기 재원 확보와 부서 간 협업이 성공의 관건이라고 지적했다.",
    "시는 분기마다 추진 상황을 점검하고 결과를 누리집에 공개하기로 했다.",
]
FURNITURE = ["로그인 | 회원가입", "뉴스홈 > 지역", "맑음 18.2℃",
             "페이스북 트위터 카카오톡 공유하기"]


def josa(word: str, with_final: str, without: str) -> str:
    """Return ``word`` with the particle its last syllable takes (은/는, 을/를)."""
    code = ord(word[-1]) - 0xAC00
    return word + (with_final if 0 <= code < 11172 and code % 28 else without)


def places(count: int, rng: random.Random) -> list[tuple[str, str]]:
    text = resources.files("analysis.data").joinpath("places.txt").read_text(encoding="utf-8")
    rows = [tuple(line.split()) for line in text.splitlines() if line and line[0] != "#"]
    cities = [(stem, level) for stem, level in rows if level in ("시", "군", "특례시", "광역시")]
    chosen = [cities[i % len(cities)] for i in range(count)]
    rng.shuffle(chosen)
    return chosen  # type: ignore[return-value]


def article(name: str, short: str, rng: random.Random,
            filler: int) -> tuple[str, dict[str, list[str]]]:
    vision = f"{rng.choice(VALUES)}과 {rng.choice(VALUES)}의 {rng.choice(FIELDS)} 도시 {short}"
    goals = rng.sample(GOALS, 3)
    strategies = rng.sample(STRATEGIES, rng.randint(3, 5))
    projects = rng.randint(15, 45)
    start = rng.randint(2019, 2026)
    field = rng.choice(FIELDS)
    committee = f"{field}위원회"
    center = f"{short}{field}지원센터"
    ordinance = f"{name} {field} 활성화 조례"
    marks = "①②③④⑤"
    lines = [*FURNITURE, f"{name}, '{vision}' 비전 선포",
             f"입력 {start}.05.{rng.randint(10, 28)}", ""]
    lines.append(f"{josa(name, '은', '는')} '{start}~{start + 4}년 {name} {field} 기본계획'을 "
                 "발표했다고 밝혔다.")
    lines.append(f"시는 '{vision}'{josa('' + vision[-1], '을', '를')[1:]} 비전으로 ▲{goals[0]} "
                 f"▲{goals[1]} ▲{goals[2]} 등 3대 목표를 세웠다.")
    lines.append(f"계획은 {len(strategies)}대 추진전략 {projects}개 세부사업으로 구성됐다. "
                 "추진전략은 "
                 + " ".join(f"{marks[i]}{s}" for i, s in enumerate(strategies)) + "다.")
    for _ in range(filler):
        lines.append(" ".join(rng.sample(FILLER, 3)))
    lines.append(f"시는 정책을 심의하는 {committee}를 구성하고, 담당 부서에 전담팀을 두기로 했다.")
    lines.append(f"또 {josa(center, '을', '를')} 민간에 위탁 운영해 기업 육성과 시민 교육을 "
                 "맡기기로 했다.")
    lines.append(f"시는 지난해 제정한 '{ordinance}'에 따라 해마다 시행계획을 세울 예정이다.")
    lines += ["", "홍길동 기자 reporter@example.co.kr",
              "Copyright © 예시일보. 무단전재 및 재배포 금지.",
              "- 다른 도시 소식: 청년정책위원회 출범", "- 주간 인기 기사 모음"]
    coded = {"vision": [vision], "goal": goals, "strategy": strategies,
             "governance": [committee], "intermediary": [center], "legal_basis": [ordinance],
             "plan_period": [f"{start}~{start + 4}년"],
             "strategy_count": [f"{len(strategies)}대 추진전략 {projects}개 세부사업"]}
    return "\n".join(lines) + "\n", coded


def copy_seed_study(target: Path) -> Path:
    """Copy the repository's study (settings, registry, framework, sheets, seeds, templates)
    into ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in ("study.toml", "cases.toml", "framework.toml", "sheets", "seeds", "templates"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy(source, target / part)
    return target


def make_study(out: Path, cases: int, filler: int = 3, seed: int = 1) -> Path:
    """Write a synthetic study of ``cases`` cases into ``out``; return ``out``."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    (out / "sheets").mkdir()
    shutil.copy(REPO / "framework.toml", out / "framework.toml")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", out / "templates")
    registry = []
    chosen = places(cases, rng)
    for n, (stem, level) in enumerate(chosen):
        case_id = f"c{n:03d}"
        name = stem + ("시" if level == "특례시" else level)
        text, coded = article(name, stem, rng, filler)
        data = text.encode("utf-8")
        seed_name = f"{n:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        (out / "seeds" / seed_name).write_bytes(data)
        source_id = f"{case_id}-1"
        registry.append(
            f'[cases.{case_id}]\nname = "{name}"\nlevel = "{level}"\nfield = "정책"\n'
            f'role = "{"home" if n == 0 else "benchmark"}"\nsources = ["{source_id}"]\n\n'
            f'[sources.{source_id}]\nfile = "seeds/{seed_name}"\n'
            f'sha256 = "{hashlib.sha256(data).hexdigest()}"\nkind = "news"\n'
            f'publisher = "예시일보"\nheadline = "{name} 기본계획 발표"\ndate = "2024-05-21"\n')
        items = []
        for element, values in coded.items():
            subcode = ""
            if element == "strategy_count":
                element, subcode = "strategy", "strategy_count"
            elif element == "strategy":
                subcode = "strategy_item"
            for value in values:
                start = text.index(value)
                items.append(CodedItem(
                    case=case_id, item_id=new_item_id(case_id, element, source_id, value),
                    element=element, value=value, evidence=value, source=source_id,
                    status="accepted", coder="synth", subcode=subcode,
                    location=f"{start}-{start + len(value)}"))
        write_sheet(out / "sheets" / f"{case_id}.csv", items)
    (out / "cases.toml").write_text("\n".join(registry), encoding="utf-8")
    home = "c000"
    (out / "study.toml").write_text(
        f'[study]\ntitle = "합성 연구 {cases}개 사례"\nsubtitle = "벤치마크"\n'
        f'institute = "예시연구원"\nlead = "홍길동"\ndate = "2026년 11월"\nhome_case = "{home}"\n',
        encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--filler", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make_study(args.out, args.cases, args.filler, args.seed)
    size = sum(p.stat().st_size for p in (args.out / "seeds").iterdir())
    print(f"wrote {args.out}: {args.cases} cases, {size / 1e6:.2f} MB of sources")


if __name__ == "__main__":
    main()
