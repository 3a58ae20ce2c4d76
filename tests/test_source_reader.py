"""The one way into copa.sources (``copa.sources.reader``) and the one clubs-CSV reader.

Expected values are worked by hand from the bytes given: the line and byte of a bad
UTF-8 sequence, the clubs the tests' clubs file lists (tests/data/copa-peru-2011-clubs.csv,
from the 2011 article's qualifiers table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from copa.sources.clubs_csv import parse_clubs_csv
from copa.sources.import_csv import import_csv
from copa.sources.reader import READERS, Options, decode, import_source
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError

DATA = Path(__file__).parent / "data"
MATCHES = DATA / "copa-peru-2011-national.csv"
CLUBS = DATA / "copa-peru-2011-clubs.csv"
FORMAT = DATA / "copa-peru-2011-national.format.yaml"


def test_decode_drops_the_byte_order_mark_and_names_line_and_byte_of_bad_utf8() -> None:
    assert decode("\ufeffname\n".encode(), "x.csv") == "name\n"
    # "ab\n" is bytes 0-2, "c" byte 3, 0xff byte 4 on line 2
    with pytest.raises(SeasonFileError) as e:
        decode(b"ab\nc\xff\n", "x.csv")
    assert str(e.value) == "x.csv:2: not valid UTF-8 (byte 4: invalid start byte)"


def test_every_reader_decodes_the_same_way() -> None:
    """One decoding for every kind: the same bad byte, the same one line."""
    bad = b"x\n\xc3("  # a 2-byte sequence cut short, on line 2 at byte 2
    fmt = load_format(str(FORMAT))
    for kind, reader in READERS.items():
        with pytest.raises(SeasonFileError) as e:
            reader.read(bad, f"s.{kind}", Options(fmt))
        assert str(e.value) == f"s.{kind}:2: not valid UTF-8 (byte 2: invalid continuation byte)"


def test_import_source_opens_the_files_and_picks_the_reader_by_suffix(tmp_path: Path) -> None:
    src = tmp_path / "national.csv"
    src.write_bytes(MATCHES.read_bytes())
    imp = import_source(str(src), None, load_format(str(FORMAT)), str(CLUBS))
    assert imp.source == str(src)
    assert "Los Caimanes" in {c.name for c in imp.season.clubs}


def test_import_source_refuses_clubs_for_a_wiki_source_and_an_unknown_kind(
    tmp_path: Path,
) -> None:
    article = tmp_path / "a.wiki"
    article.write_text("x\n", encoding="utf-8")
    with pytest.raises(SeasonFileError, match="--clubs is for csv and football.json sources"):
        import_source(str(article), None, None, str(CLUBS))
    with pytest.raises(SeasonFileError, match=r"unknown source kind 'xls' \(known: wiki, csv,"):
        import_source(str(article), "xls", None)


def test_a_clubs_file_with_spanish_headers_imports_like_the_english_one() -> None:
    """``copa import --clubs`` reads its file with new-season's reader: Spanish headers."""
    english = CLUBS.read_text(encoding="utf-8")
    spanish = english.replace(
        "name,aliases,department,province,district,location",
        "Nombre,Alias,Departamento,Provincia,Distrito,Localidad",
        1,
    )
    fmt = load_format(str(FORMAT))
    a = import_csv(MATCHES.read_bytes(), "m.csv", fmt, english.encode(), "clubs.csv")
    b = import_csv(MATCHES.read_bytes(), "m.csv", fmt, spanish.encode(), "clubes.csv")
    assert a.season.clubs == b.season.clubs
    huracan = next(c for c in b.season.clubs if c.name == "Sportivo Huracán")
    assert (huracan.department, huracan.location) == ("Arequipa", "Arequipa")


def test_the_clubs_reader_refuses_a_column_given_twice_and_counts_quoted_lines() -> None:
    with pytest.raises(SeasonFileError) as e:
        parse_clubs_csv("name,distrito,district\nA,x,y\n", "c.csv")
    assert str(e.value) == "c.csv:1: column 'district' given twice"
    # a quoted cell spanning two lines: the next row is line 4 of the file
    with pytest.raises(SeasonFileError) as e:
        parse_clubs_csv('name,district\n"A\nB",x\nA\nB",y\n', "c.csv")
    assert str(e.value).startswith("c.csv:4: ")
