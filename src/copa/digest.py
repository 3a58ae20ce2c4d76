"""SHA-256 for copa's fingerprints, without loading OpenSSL where it does not pay.

``import hashlib`` loads OpenSSL's binding: 2 ms of every command that keys the
compiled cache (``copa show 2011`` takes 120 in all). CPython's own SHA-256
gives the same digest and loads in microseconds but hashes about 3× slower, so
for a megabyte and more OpenSSL's is worth its load.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

#: from this many bytes on, OpenSSL's SHA-256
LARGE = 1 << 20


if TYPE_CHECKING:  # (a Protocol class costs more to make than the module saves)

    class Hash(Protocol):
        def update(self, data: bytes, /) -> None: ...
        def digest(self) -> bytes: ...
        def hexdigest(self) -> str: ...


def _builtin() -> Any:
    # CPython's own module: ``_sha256`` in 3.11, ``_sha2`` from 3.12 on
    for name in ("_sha256", "_sha2"):
        try:
            return importlib.import_module(name).sha256
        except ImportError:
            continue
    return None


_small = _builtin()


def sha256(data: bytes = b"") -> Hash:
    """A SHA-256 hash object of ``data`` (more can be added with ``update``)."""
    if _small is None or len(data) >= LARGE:
        import hashlib

        return hashlib.sha256(data)
    h: Hash = _small(data)
    return h


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of a text's UTF-8: what a file holding it as read hashes to."""
    return sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
