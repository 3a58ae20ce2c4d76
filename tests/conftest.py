"""Test-wide settings.

In CI (``CI`` set) hypothesis runs derandomized: the same examples every run,
so a submission's result does not depend on luck. Locally it explores freely
and remembers failing examples in ``.hypothesis/``.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

# commands run by the tests keep their resolved-season cache (copa.spec.cache) in a
# folder of this run, not in the user's ~/.cache/copa
os.environ.setdefault("COPA_CACHE_DIR", tempfile.mkdtemp(prefix="copa-test-cache-"))
os.environ.setdefault(
    "COPA_CACHE", "0"
)  # tests see every file read afresh; test_cache.py turns it on

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
