"""Test-wide settings.

In CI (``CI`` set) hypothesis runs derandomized: the same examples every run,
so a submission's result does not depend on luck. Locally it explores freely
and remembers failing examples in ``.hypothesis/``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
