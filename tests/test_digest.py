"""copa.digest gives hashlib's SHA-256, whichever implementation it picks."""

from __future__ import annotations

import hashlib

import pytest

from copa.digest import LARGE, sha256


@pytest.mark.parametrize("size", [0, 1, 4096, LARGE - 1, LARGE, LARGE + 1])
def test_same_digest_as_hashlib(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_updates_add_up() -> None:
    h = sha256(b"Copa ")
    h.update(b"Per\xc3\xba")
    assert h.digest() == hashlib.sha256("Copa Perú".encode()).digest()


def test_a_texts_digest_is_its_utf8_bytes_digest() -> None:
    from copa.digest import text_sha256

    assert text_sha256("Copa Perú\n") == hashlib.sha256("Copa Perú\n".encode()).hexdigest()
