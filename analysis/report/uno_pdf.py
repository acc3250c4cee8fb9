"""Run by the system Python (which has LibreOffice's ``uno``): open a DOCX in a headless
LibreOffice, update its fields and indexes (twice: the TOC itself moves pages), save a PDF.

    /usr/bin/python3 uno_pdf.py IN.docx OUT.pdf PROFILE_DIR

Kept free of the policy-report package and its dependencies on purpose.
"""

import contextlib
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> object:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def main() -> None:
    source, target, profile = sys.argv[1:4]
    pipe = f"policyreport{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "--nolockcheck", f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
         f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        remote = None
        for _ in range(300):
            try:
                remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    raise SystemExit("LibreOffice exited before accepting a connection") from None
                time.sleep(0.1)
        if remote is None:
            raise SystemExit("LibreOffice did not start within 30 s")
        desktop = remote.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", remote)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                                (prop("Hidden", True),))
        if document is None:
            raise SystemExit(f"LibreOffice could not open {source}")
        # no getTextFields().refresh(): LibreOffice would renumber SEQ fields without their
        # per-chapter reset (\\s 1); the cached numbers the build wrote are right
        for _ in range(2):
            indexes = document.getDocumentIndexes()
            for n in range(indexes.getCount()):
                indexes.getByIndex(n).update()
        document.storeToURL(uno.systemPathToFileUrl(target),
                            (prop("FilterName", "writer_pdf_Export"),))
        document.close(True)
        with contextlib.suppress(Exception):
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
