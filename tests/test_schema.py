"""The report's WordprocessingML parts against the schema (issue 10).

``word/document.xml``, ``word/styles.xml`` and ``word/settings.xml`` of the seed study's
report are validated with ``lxml.etree.XMLSchema`` against the ECMA-376 Transitional
schemas (``wml.xsd`` and the files it imports).  The schemas are read from local files only:

* ``$POLICY_REPORT_OOXML_XSD`` (a folder), else ``tests/xsd/`` (see ``tests/xsd/README.md``);
  every ``.xsd`` below the folder is found by its file name, whatever ``schemaLocation``
  says (relative path or URL), so nothing is ever fetched;
* the XML namespace (``xml:space``, ``xml:lang``), which ``wml.xsd`` imports without a
  location, comes from ``xml.xsd`` in that folder when there is one, else from the small
  declaration below.

A consumer reads a part through Markup Compatibility (ECMA-376 Part 3) before applying the
schema: ``mc:AlternateContent`` becomes the first choice it understands (or the fallback),
elements and attributes of ``mc:Ignorable`` namespaces it does not understand are dropped,
and the ``mc:`` attributes go.  The test does the same, "understood" meaning a namespace
that one of the loaded schema files defines, so ``w14:docId`` is ignored against the ECMA
files (as Word's ``mc:Ignorable="w14"`` asks) and checked against a schema set that also
defines ``w14`` ([MS-DOCX]).

Without the schema files the test skips and says where to put them.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_study
from lxml import etree

from analysis.cli import main

PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml")
REPORT = Path("reports") / "benchmark-report.docx"

XSD = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
INDEX = re.compile(r"\[\d+\]")  # position predicates, dropped so that errors deduplicate

# The XML namespace's four attributes, for a schema folder without W3C's xml.xsd.
XML_ATTRIBUTES = f"""<xsd:schema xmlns:xsd="{XSD}" targetNamespace="{XML_NS}">
  <xsd:attribute name="lang">
    <xsd:simpleType>
      <xsd:union memberTypes="xsd:language">
        <xsd:simpleType>
          <xsd:restriction base="xsd:string"><xsd:enumeration value=""/></xsd:restriction>
        </xsd:simpleType>
      </xsd:union>
    </xsd:simpleType>
  </xsd:attribute>
  <xsd:attribute name="space">
    <xsd:simpleType>
      <xsd:restriction base="xsd:NCName">
        <xsd:enumeration value="default"/>
        <xsd:enumeration value="preserve"/>
      </xsd:restriction>
    </xsd:simpleType>
  </xsd:attribute>
  <xsd:attribute name="base" type="xsd:anyURI"/>
  <xsd:attribute name="id" type="xsd:ID"/>
</xsd:schema>"""

# The one schema document the test writes: it imports the XML namespace first (wml.xsd
# imports it without a location), then WordprocessingML.
ENTRY = f"""<xsd:schema xmlns:xsd="{XSD}">
  <xsd:import namespace="{XML_NS}" schemaLocation="xml.xsd"/>
  <xsd:import namespace="{W}" schemaLocation="wml.xsd"/>
</xsd:schema>"""


def xsd_folder() -> Path | None:
    """Return the folder holding ``wml.xsd`` (``$POLICY_REPORT_OOXML_XSD``, else tests/xsd)."""
    configured = os.environ.get("POLICY_REPORT_OOXML_XSD")
    folder = Path(configured) if configured else REPO / "tests" / "xsd"
    return folder if folder.is_dir() and any(folder.rglob("wml.xsd")) else None


class LocalSchemas(etree.Resolver):
    """Resolve every schema location to a file of the folder, by file name; never the network."""

    def __init__(self, files: dict[str, Path]) -> None:
        super().__init__()
        self.files = files
        self.loaded: set[Path] = set()

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        name = system_url.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        if name in self.files:
            self.loaded.add(self.files[name])
            return self.resolve_filename(str(self.files[name]), context)
        if name == "xml.xsd":
            return self.resolve_string(XML_ATTRIBUTES, context)
        raise LookupError(f"schema {system_url!r} is not in the schema folder")


def load_schema(folder: Path) -> tuple[etree.XMLSchema, set[str]]:
    """Return the WordprocessingML schema and the namespaces its loaded files define."""
    files: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.xsd"), key=lambda p: (len(p.parts), str(p))):
        files.setdefault(path.name, path)  # the shallowest file of a name wins
    resolver = LocalSchemas(files)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(resolver)
    entry = etree.fromstring(ENTRY.encode(), parser,
                             base_url=(folder.resolve() / "entry.xsd").as_uri())
    schema = etree.XMLSchema(entry)
    understood = {XML_NS}
    for path in resolver.loaded:
        target = etree.parse(str(path)).getroot().get("targetNamespace")
        if target:
            understood.add(target)
    return schema, understood


def _ignorable(element: etree._Element) -> set[str]:
    value = element.get(f"{{{MC}}}Ignorable", "")
    return {element.nsmap[p] for p in value.split() if p in element.nsmap}


def _choice(alternate: etree._Element, understood: set[str]) -> etree._Element | None:
    for branch in alternate:
        if branch.tag == f"{{{MC}}}Choice":
            prefixes = branch.get("Requires", "").split()
            if all(branch.nsmap.get(p) in understood for p in prefixes):
                return branch
        elif branch.tag == f"{{{MC}}}Fallback":
            return branch
    return None


def markup_compatible(root: etree._Element, understood: set[str]) -> etree._Element:
    """Return ``root`` as a consumer that understands ``understood`` reads it (Part 3)."""

    def walk(element: etree._Element, ignorable: set[str]) -> None:
        ignorable = (ignorable | _ignorable(element)) - understood
        for name in list(element.attrib):
            namespace = etree.QName(name).namespace
            if namespace == MC or namespace in ignorable:
                del element.attrib[name]
        index = 0
        while index < len(element):
            child = element[index]
            if not isinstance(child.tag, str):
                index += 1
            elif child.tag == f"{{{MC}}}AlternateContent":  # replaced by its chosen content
                chosen = _choice(child, understood)
                element.remove(child)
                for offset, grandchild in enumerate(list(chosen) if chosen is not None else []):
                    element.insert(index + offset, grandchild)
            elif etree.QName(child).namespace in ignorable:
                element.remove(child)
            else:
                index += 1
        for child in element:
            if isinstance(child.tag, str):
                walk(child, ignorable)

    walk(root, set())
    return root


def schema_errors(schema: etree.XMLSchema, part: str, data: bytes,
                  understood: set[str]) -> Iterator[str]:
    """Yield one line per distinct error: part, element path (no indices), message."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    root = markup_compatible(etree.fromstring(data, parser), understood)
    if schema.validate(root):
        return
    for error in schema.error_log:
        path = INDEX.sub("", error.path or "")
        yield f"{part}: {path}: {error.message}"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the seed study's report once for this module and return its path."""
    study = copy_study(tmp_path_factory.mktemp("schema") / "study")
    result = CliRunner().invoke(main, ["--root", str(study), "build", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return study / REPORT


def test_parts_valid_against_ecma_376(request: pytest.FixtureRequest) -> None:
    folder = xsd_folder()
    if folder is None:
        pytest.skip("ECMA-376 Transitional schemas (wml.xsd and its imports) not found: put "
                    "them in tests/xsd/ or name their folder in $POLICY_REPORT_OOXML_XSD "
                    "(tests/xsd/README.md says where they come from)")
    schema, understood = load_schema(folder)
    report: Path = request.getfixturevalue("report")  # built only when there is a schema
    with zipfile.ZipFile(report) as archive:
        errors = sorted({line for part in PARTS
                         for line in schema_errors(schema, part, archive.read(part),
                                                   understood)})
    assert not errors, f"{len(errors)} schema errors:\n" + "\n".join(errors)


def test_parts_valid_for_the_open_xml_sdk(request: pytest.FixtureRequest) -> None:
    """The same parts against the Open XML SDK's schema data (openxml-audit, a test extra).

    A second, independent reading: Microsoft's SDK data follow the Transitional schemas
    with Word's extensions and relaxations (``w:zoom`` without ``w:percent`` passes there,
    not against ECMA-376), so this test runs wherever the test extra is installed, with or
    without the ECMA files."""
    pytest.importorskip("openxml_audit", reason="openxml-audit (test extra) is not installed")
    from openxml_audit.errors import ValidationErrorType
    from openxml_audit.validator import OpenXmlValidator

    report: Path = request.getfixturevalue("report")
    result = OpenXmlValidator(max_errors=0, semantic_validation=False).validate(report)
    parts = {f"/{part}" for part in PARTS}
    errors = sorted({f"{e.part_uri}: {INDEX.sub('', e.path)}: {e.description}"
                     for e in result.errors
                     if e.error_type is ValidationErrorType.SCHEMA and e.part_uri in parts})
    assert not errors, f"{len(errors)} schema errors:\n" + "\n".join(errors)


def test_markup_compatibility_reading() -> None:
    """Ignorable extensions go, alternate content becomes what a consumer understands."""
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    source = (f'<w:document xmlns:w="{W}" xmlns:mc="{MC}" xmlns:w14="{w14}" xmlns:wps="{wps}"'
              ' mc:Ignorable="w14"><w:body><w:p w14:paraId="1A2B3C4D"><w:r>'
              '<mc:AlternateContent><mc:Choice Requires="wps"><wps:wsp/></mc:Choice>'
              '<mc:Fallback><w:pict/><w:t>x</w:t></mc:Fallback></mc:AlternateContent>'
              '</w:r></w:p><w14:extra/></w:body></w:document>').encode()
    root = markup_compatible(etree.fromstring(source), {W, XML_NS})
    assert etree.tostring(root, encoding="unicode").split("<w:body>")[1] == (
        "<w:p><w:r><w:pict/><w:t>x</w:t></w:r></w:p></w:body></w:document>")
    assert not root.attrib
    kept = markup_compatible(etree.fromstring(source), {W, XML_NS, w14, wps})
    assert kept.find(f".//{{{wps}}}wsp") is not None
    assert kept.find(f".//{{{w14}}}extra") is not None
