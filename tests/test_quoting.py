"""The one YAML quoter: whatever the text, it loads back as the same string."""

from __future__ import annotations

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from copa.spec.season_writer import q, qq

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(TEXT)
@example("a\x85b")  # NEL: a line break to YAML, folded to a space inside quotes
@example("yes")
@example("Región I/1")
@example("  two spaces")
@example("A0\n")  # a final newline: a regex's $ matches before it
def test_every_text_loads_back(text: str) -> None:
    for quoted in (q(text), qq(text)):
        assert yaml.load(f"k: {quoted}", Loader=_Loader) == {"k": text}
        assert yaml.load(f"[{quoted}]", Loader=_Loader) == [text]


def test_plain_where_safe_quoted_otherwise() -> None:
    assert q("Sport Águila") == "Sport Águila"
    assert q("no") == '"no"'
    assert qq("Sport Águila") == '"Sport Águila"'
