"""WordprocessingML details written down once: the schema order of the elements the build
adds, and the document-wide settings of a Korean report.

ECMA-376 orders the children of ``w:sectPr``, ``w:settings`` and ``w:pPr`` as sequences;
an element appended at the end makes XML that Word may repair.  ``put`` inserts a child where
its schema order says, replacing one of its kind.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# children of w:sectPr after the header and footer references
SECT_PR_ORDER = ("w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:paperSrc",
                 "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
                 "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                 "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")

# children of w:settings (CT_Settings)
SETTINGS_ORDER = (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData",
    "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
    "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
    "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter", "w:stylePaneSortMethod",
    "w:documentType", "w:mailMerge", "w:revisionView", "w:trackRevisions", "w:doNotTrackMoves",
    "w:doNotTrackFormatting", "w:documentProtection", "w:autoFormatOverride",
    "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
    "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator")

# children of w:pPr (CT_PPrBase, then the rest of CT_PPr)
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
             "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
             "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
             "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
             "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
             "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
             "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
             "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

# children of w:style
STYLE_ORDER = ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine",
               "w:hidden", "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat",
               "w:locked", "w:personal", "w:personalCompose", "w:personalReply", "w:rsid",
               "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")

# Korean line breaking: no line ends with an opening bracket, none starts with a closing
# bracket or a mark that belongs to the word before
NO_BREAK_AFTER = "([{〈《「『【〔‘“（"
NO_BREAK_BEFORE = ")]}〉》」』】〕’”）,.:;!?·%…"


def _qn(tag: str) -> str:
    prefix, name = tag.split(":")
    if prefix == "w":
        return qn(tag)
    namespaces = {"m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
                  "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main"}
    return f"{{{namespaces[prefix]}}}{name}"


def put(parent: Any, child: Any, order: tuple[str, ...]) -> Any:
    """Insert ``child`` into ``parent`` where ``order`` puts it (replacing one of its kind)."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    tags = [_qn(t) for t in order]
    later = set(tags[tags.index(child.tag) + 1:])
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def element(tag: str, **attrs: str) -> Any:
    """Return a new element ``tag`` with ``w:`` attributes."""
    made = OxmlElement(tag)
    for key, value in attrs.items():
        made.set(qn(f"w:{key}"), value)
    return made


def korean_settings(document: Any) -> None:
    """Set the document-wide behaviour a Korean report needs, in schema order.

    Digits and Latin letters are not spaced away from Hangul ("4개", not "4 개"); Korean
    line-breaking rules; no prompt to update fields on opening (the tables of contents are
    filled in by the build); a ``w:zoom`` that the schema accepts.
    """
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")
    put(settings, element("w:noLineBreaksAfter", lang="ko-KR", val=NO_BREAK_AFTER),
        SETTINGS_ORDER)
    put(settings, element("w:noLineBreaksBefore", lang="ko-KR", val=NO_BREAK_BEFORE),
        SETTINGS_ORDER)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    put(ppr, element("w:autoSpaceDE", val="0"), PPR_ORDER)
    put(ppr, element("w:autoSpaceDN", val="0"), PPR_ORDER)
    # LibreOffice reads the spacing only from the paragraph styles, not from the defaults
    for style in document.styles.element.findall(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        style_ppr = style.find(qn("w:pPr"))
        if style_ppr is None:
            style_ppr = OxmlElement("w:pPr")
            put(style, style_ppr, STYLE_ORDER)
        put(style_ppr, element("w:autoSpaceDE", val="0"), PPR_ORDER)
        put(style_ppr, element("w:autoSpaceDN", val="0"), PPR_ORDER)
    part = document.part  # python-docx's template carries a stale stylesWithEffects part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rid)
