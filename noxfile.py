"""Sessions: ``nox -s report`` builds the report, ``nox -s tests`` runs the tests, ``nox -s lint``
checks style and types.  Each installs what it needs into its own virtual environment."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_venv = "yes"


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (LibreOffice tests skip with a reason when soffice is absent)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "auto", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff (style, imports, common bugs) and mypy --strict on the package."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "analysis", "tests", "noxfile.py", "benchmarks")
    session.run("mypy")


@nox.session
def report(session: nox.Session) -> None:
    """Validate the study and build reports/benchmark-report.docx."""
    session.install("-e", ".")
    session.run("policy-report", "validate")
    session.run("policy-report", "build", *session.posargs)
