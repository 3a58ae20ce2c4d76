"""``python -m copa.cli``: the same entry point as the ``copa`` command."""

from copa.cli import main

main()
