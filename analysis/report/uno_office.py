"""Run by the system Python (which has LibreOffice's ``uno``): open a DOCX in a headless
LibreOffice and either

    /usr/bin/python3 uno_office.py pages IN.docx OUT.json PROFILE_DIR [OUT.pdf]
        lay the document out, update its tables of contents once and write each one's
        entries with their page numbers as JSON: [{"name": …, "entries": [[title, page]…]}];
        with OUT.pdf also save the laid-out document (its contents now numbered) as PDF, so
        that a build with --pdf needs one LibreOffice run, not two
    /usr/bin/python3 uno_office.py pdf IN.docx OUT.pdf PROFILE_DIR
        save it as PDF as it is (the build already wrote the page numbers into the DOCX)

Kept free of the policy-report package and its dependencies on purpose.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> object:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def keep_style(index: Any) -> None:
    """Let a list of tables or figures that LibreOffice regenerates keep the paragraph style
    of the DOCX's entries: LibreOffice would use its own "Figure Index 1", with space between
    entries, and a longer list moves every later page (and the PDF's look) off the DOCX's."""
    if not index.supportsService("com.sun.star.text.IllustrationsIndex"):
        return  # a table of contents keeps its Contents 1…n styles on its own
    anchor = index.getAnchor()
    paragraphs = anchor.getText().createTextCursorByRange(anchor).createEnumeration()
    if paragraphs.hasMoreElements():
        with contextlib.suppress(Exception):
            index.setPropertyValue("ParaStyleLevel1", paragraphs.nextElement().ParaStyleName)


def main() -> None:
    mode, source, target, profile = sys.argv[1:5]
    also_pdf = sys.argv[5] if len(sys.argv) > 5 else ""
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
        # the DOCX turns off the space Word adds between Hangul and digits or Latin letters
        # (w:autoSpaceDE/DN = 0), which LibreOffice 7 does not read: do it here, so that the
        # PDF and the page numbers show "4개", not "4 개"
        styles = document.getStyleFamilies().getByName("ParagraphStyles")
        for name in styles.getElementNames():
            with contextlib.suppress(Exception):
                styles.getByName(name).setPropertyValue("ParaIsCharacterDistance", False)
        # no getTextFields().refresh(): LibreOffice would renumber SEQ fields without their
        # per-chapter reset (\\s 1); the cached numbers the build wrote are right
        if mode == "pages":
            found = []
            indexes = document.getDocumentIndexes()
            for n in range(indexes.getCount()):
                index = indexes.getByIndex(n)
                keep_style(index)
                index.update()
                lines = index.getAnchor().getString().split("\n")
                found.append({"name": index.getName(),
                              "entries": [line.rsplit("\t", 1) for line in lines if "\t" in line]})
            with open(target, "w", encoding="utf-8") as handle:
                json.dump(found, handle, ensure_ascii=False)
            if also_pdf:
                document.storeToURL(uno.systemPathToFileUrl(also_pdf),
                                    (prop("FilterName", "writer_pdf_Export"),))
        else:
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
