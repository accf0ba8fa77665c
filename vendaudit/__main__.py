"""``python -m vendaudit``."""

from vendaudit.cli import main

main()
