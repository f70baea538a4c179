"""`python -m calfcare` runs the command line."""

from calfcare.cli import main

main()
