"""policy-report: code cities' policy plans against a shared framework and build a Korean report.

Pipeline, one module per stage: ``registry`` (cases and sources) → ``framework`` (codebook) →
``sheets`` (coded items) → ``validate`` (all of it checked together) → ``cli``.
"""

__version__ = "0.1.0"
