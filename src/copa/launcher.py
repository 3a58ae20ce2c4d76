"""The ``copa`` command's entry point: the command line, imported with the collector paused.

Importing the command line makes some 100,000 objects (modules, classes,
functions) and none of them is garbage, yet the cyclic collector would walk
them several times while they are made: about 6 ms of ``copa show 2011``'s
120. Once imported they are frozen (kept out of every later collection), and
the collector runs as usual for the command itself.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Run the ``copa`` command (``copa.cli.main``)."""
    gc.disable()
    try:
        from copa.cli import main as command_line
    finally:
        gc.freeze()
        gc.enable()
    command_line()
