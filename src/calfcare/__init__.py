"""calfcare: safe, evidence-based calf self-massage.

Kept import-free on purpose: `calfcare --help` and `--version` must start fast, so nothing
heavy is imported here (see docs/performance.md).
"""

__version__ = "0.1.0"
