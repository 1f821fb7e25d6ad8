"""`python -m sync` runs the signsync command line."""

from sync.cli import main

main()
