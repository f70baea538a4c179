"""`python -m calfcare` runs the command line (with the fast `--help`/`--version` path)."""

from calfcare.launcher import main

main()
