"""``python -m policydiff``."""

from policydiff.cli import main

main()
