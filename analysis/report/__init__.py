"""The benchmarking report: cross-case matrix → charts → Jinja2 wording → DOCX (→ PDF).

Modules: ``config`` (report settings of study.toml), ``matrix`` (what the coding says, per
case and element; no rendering), ``charts`` (matplotlib, cached by content), ``wording``
(Jinja2 templates → a line markup), ``markup`` (that markup → blocks), ``tables`` (table
contents from the matrix), ``docx_writer`` (blocks → python-docx document), ``package``
(reproducible zip), ``pdf`` (LibreOffice), ``build`` (all of it, safely).
"""
