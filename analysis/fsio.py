"""Writing the study's files safely: atomic replacement, all-or-nothing groups, one lock.

Every file the tool writes goes through here.  ``atomic_write`` writes a temporary file next
to the target and renames it into place, so a killed process leaves either the old file or
the new one, never half of each.  ``replace_all`` does the same for several files at once and
puts the old ones back when any step fails.  ``study_lock`` keeps two commands from writing
one study at the same time.  A failure becomes a ``PolicyReportError`` naming the path.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

from analysis.errors import PolicyReportError, Problem

WRITE_HINT = ("check that the folder is writable, the disk is not full and the file is not "
              "open in Word or Excel")


def _temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _write_temp(path: Path, data: bytes) -> Path:
    tmp = _temp_for(path)
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_error(path: Path | str, exc: OSError) -> PolicyReportError:
    """Return the error for a file that could not be written."""
    reason = exc.strerror or str(exc)
    return PolicyReportError(Problem(str(path), None, None, f"could not write: {reason}",
                                     WRITE_HINT))


def atomic_write(path: Path, data: bytes, label: str | None = None) -> None:
    """Replace ``path`` with ``data`` in one step; raise ``PolicyReportError`` on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "a folder stands where the file should be")
        tmp = _write_temp(path, data)
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise write_error(label or path, exc) from exc


JOURNAL = ".policy-report-journal.json"


def replace_all(files: Mapping[Path, bytes | None],
                labels: Mapping[Path, str] | None = None, journal: Path | None = None) -> None:
    """Write every file of ``files`` (``None``: delete it) or none: all temporaries first,
    then the renames and deletions.

    When a step fails (or the process is interrupted between steps) the files already
    replaced get their previous bytes back.  With ``journal`` (a study folder), the list of
    renames is written there first, so that even a process killed between two renames is
    completed by ``recover`` the next time the study is opened: the study is never left
    half written.
    """
    labels = labels or {}
    temps: dict[Path, Path | None] = {}
    previous: dict[Path, bytes | None] = {}
    current: Path | None = None
    try:
        for path, data in files.items():
            current = path
            previous[path] = path.read_bytes() if path.is_file() else None
            if data is None:
                temps[path] = None
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            temps[path] = _write_temp(path, data)
        if journal is not None:
            steps = [[str(path), str(tmp) if tmp else None] for path, tmp in temps.items()]
            atomic_write(journal / JOURNAL, json.dumps(steps, ensure_ascii=False).encode())
        done: list[Path] = []
        try:
            for path, tmp in temps.items():
                current = path
                if tmp is None:
                    path.unlink(missing_ok=True)
                else:
                    os.replace(tmp, path)
                done.append(path)
        except BaseException:
            for path in done:
                _restore(path, previous[path])
            raise
    except OSError as exc:
        where = labels.get(current, str(current)) if current else "?"
        raise write_error(where, exc) from exc
    finally:
        for tmp in temps.values():
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        if journal is not None:
            (journal / JOURNAL).unlink(missing_ok=True)


def recover(folder: Path) -> list[str]:
    """Finish a ``replace_all`` that was killed between its renames; return the files done.

    The journal lists each target with the temporary file holding its new bytes; every
    temporary still present is renamed into place (they were all written, and synced,
    before the first rename), so the interrupted change completes as a whole.
    """
    path = folder / JOURNAL
    if not path.is_file():
        return []
    try:
        steps = json.loads(path.read_text(encoding="utf-8"))
        done = []
        for target, tmp in steps:
            if tmp is None:
                Path(target).unlink(missing_ok=True)
            elif Path(tmp).is_file():
                os.replace(tmp, target)
            done.append(target)
    except (OSError, ValueError, TypeError) as exc:
        raise PolicyReportError(Problem(str(path), None, None,
                                        f"an interrupted change could not be completed: {exc}",
                                        "check the files it lists, then delete it")) from exc
    path.unlink(missing_ok=True)
    return done


def _restore(path: Path, data: bytes | None) -> None:
    with contextlib.suppress(OSError):
        if data is None:
            path.unlink(missing_ok=True)
        else:
            tmp = _write_temp(path, data)
            os.replace(tmp, path)


@contextlib.contextmanager
def study_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the study's lock while a command writes; refuse at once when another holds it."""
    import hashlib
    import tempfile

    from filelock import FileLock, Timeout

    # the lock lives outside the study, so that taking it writes nothing into the study
    # (a read-only study can still be validated and built elsewhere)
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"policy-report-{key}.lock"
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise PolicyReportError(Problem(
            str(root), None, None,
            "another policy-report command (code, build, sheets import, watch, add-case …) "
            "is writing this study right now",
            f"wait until it finishes and run {command} again")) from None
    except OSError as exc:
        raise PolicyReportError(Problem(str(path), None, None,
                                        f"cannot take the study's lock: {exc.strerror or exc}",
                                        "check that the temporary folder is writable")) from exc
    try:
        yield
    finally:
        lock.release()
