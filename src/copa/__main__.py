"""``python -m copa``: the ``copa`` command, through its launcher."""

from copa.launcher import main

main()
