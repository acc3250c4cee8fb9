"""``python -m analysis`` runs the ``policy-report`` command."""

from analysis.cli import main

main()
