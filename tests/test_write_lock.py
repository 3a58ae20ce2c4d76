"""The safe writer's lock is held over a command's whole read-modify-write (issue 12, item 1).

Real processes on real files. A "holder" process takes the lock the way every
copa writer does (:func:`copa.io.safe_write.hold`), then, after the test has
started a copa command, rewrites the file and lets go. Had the command read the
file before the lock was free (the lock used to be taken only around the
check-and-rename), its update would be refused or would drop the holder's; now
the command waits, reads the holder's file and both updates land.

Also: ``spec/entry.py`` reads YAML only through the strict reader
(``copa.spec.yamlkit``), never ``yaml.load`` directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types
from importlib import resources
from pathlib import Path

import pytest

from copa.io.safe_write import WriteError, hold, locked, write_text

BUNDLED = Path(str(resources.files("copa") / "data" / "seasons" / "2011.yaml"))
GROUP_1 = "- Real Garcilaso 2-0 Humberto Luna"
GROUP_2 = "- Real Garcilaso 4-0 MINSA"

HOLDER = r"""
import sys, time
from pathlib import Path
from copa.io.safe_write import hold, read_text, write_text
path, old, new, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
with hold(path):
    text, seen = read_text(path)
    print("locked", flush=True)
    time.sleep(seconds)  # the other command starts meanwhile and must wait
    write_text(path, text.replace(old, new), expect=seen, allow_input=True)
print("written", flush=True)
"""


def copa(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def holder(path: Path, old: str, new: str, seconds: float) -> subprocess.Popen[str]:
    p = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), old, new, str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "locked", p.stderr.read() if p.stderr else ""
    return p


@pytest.fixture
def season(tmp_path: Path) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in (
        (GROUP_1, "- Real Garcilaso v Humberto Luna"),
        (GROUP_2, "- Real Garcilaso v MINSA"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "live.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_result_waits_for_another_writer_and_both_updates_land(season: Path) -> None:
    # the holder enters one result by rewriting the file under the lock; copa result,
    # started while it holds the lock, enters another: both are in the final file
    h = holder(season, "- Real Garcilaso v MINSA", "- Real Garcilaso 4-0 MINSA", 2.0)
    r = copa("result", str(season), "Real Garcilaso 2-0 Humberto Luna", "--by", "test")
    out, err = r.communicate(timeout=300)
    assert h.wait(timeout=60) == 0
    assert r.returncode == 0, err
    text = season.read_text(encoding="utf-8")
    assert "- Real Garcilaso 4-0 MINSA" in text  # the holder's update
    assert "Real Garcilaso 2-0 Humberto Luna" in text  # and the command's
    assert [p.name for p in season.parent.iterdir() if ".copa-" in p.name] == []


def test_export_to_a_file_waits_for_the_writer_of_its_season(season: Path, tmp_path: Path) -> None:
    # export -o reads the season under the lock too: it exports the file as written,
    # never the one the holder is about to replace
    out = tmp_path / "out.csv"
    h = holder(season, "- Real Garcilaso v MINSA", "- Real Garcilaso 4-0 MINSA", 2.0)
    r = copa("export", str(season), "-f", "csv", "--what", "matches", "-o", str(out))
    _, err = r.communicate(timeout=300)
    assert h.wait(timeout=60) == 0
    assert r.returncode == 0, err
    rows = [ln for ln in out.read_text(encoding="utf-8").splitlines() if "MINSA" in ln]
    assert any(",Real Garcilaso,MINSA,4,0," in ln for ln in rows), rows


def test_a_lock_held_too_long_is_one_line_and_nothing_is_written(season: Path) -> None:
    before = season.read_bytes()
    h = holder(season, "never there", "x", 8.0)
    env = {**os.environ, "COPA_LOCK_WAIT": "0.5"}
    r = copa("result", str(season), "Real Garcilaso 2-0 Humberto Luna", env=env)
    _, err = r.communicate(timeout=300)
    h.kill()
    h.wait()
    assert r.returncode == 2, err
    assert "another copa run" in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert season.read_bytes() == before


def test_the_lock_is_reentrant_and_released(tmp_path: Path) -> None:
    target = tmp_path / "s.txt"
    with hold(target, reads=[tmp_path / "missing.yaml", "2011"]), locked(target):
        write_text(target, "one\n")  # takes the held lock again: no self-deadlock
    # released: another process takes it at once
    code = (
        "import sys\nfrom copa.io.safe_write import locked\nwith locked(sys.argv[1]): print('ok')\n"
    )
    env = {**os.environ, "COPA_LOCK_WAIT": "5"}
    r = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, env=env
    )
    assert r.stdout.strip() == "ok", r.stderr
    assert target.read_text(encoding="utf-8") == "one\n"


def test_holding_nothing_to_write_locks_nothing(tmp_path: Path) -> None:
    # a command writing to the terminal (export without -o) holds no lock
    h = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time\nfrom copa.io.safe_write import locked\n"
            "with locked(sys.argv[1]):\n print('locked', flush=True); time.sleep(5)\n",
            str(tmp_path / "x"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert h.stdout is not None and h.stdout.readline().strip() == "locked"
    try:
        t0 = time.monotonic()
        with hold(None, reads=[tmp_path / "x"]):
            pass
        assert time.monotonic() - t0 < 4
        os.environ["COPA_LOCK_WAIT"] = "0.2"
        try:
            with pytest.raises(WriteError, match="another copa run"), hold(tmp_path / "y"):
                pass
        finally:
            del os.environ["COPA_LOCK_WAIT"]
    finally:
        h.kill()
        h.wait()


def test_entry_reads_yaml_only_through_the_strict_reader(
    season: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spec/entry.py used ``yaml.load``/``yaml.compose`` directly, bypassing yamlkit."""
    import yaml

    from copa.spec import entry, yamlkit

    calls: list[str] = []
    real_load, real_compose = yamlkit.load, yamlkit.compose

    def counted_load(text: str) -> object:
        calls.append("load")
        return real_load(text)

    def counted_compose(text: str) -> object:
        calls.append("compose")
        return real_compose(text)

    def bypass(*a: object, **k: object) -> None:
        raise AssertionError("yaml read directly, not through copa.spec.yamlkit")

    # entry's own ``yaml`` keeps only the node types: any direct read fails
    only_nodes = types.SimpleNamespace(
        Node=yaml.Node,
        ScalarNode=yaml.ScalarNode,
        SequenceNode=yaml.SequenceNode,
        MappingNode=yaml.MappingNode,
        YAMLError=yaml.YAMLError,
        load=bypass,
        safe_load=bypass,
        compose=bypass,
    )
    monkeypatch.setattr(entry, "yaml", only_nodes)
    monkeypatch.setattr(yamlkit, "load", counted_load)
    monkeypatch.setattr(yamlkit, "compose", counted_compose)
    from copa.io.season_edit import apply_changes
    from copa.sources.names import season_club

    loaded, changes = apply_changes(
        str(season),
        lambda ld: [
            entry.resolve_new(ld, "Real Garcilaso 2-0 Humberto Luna", None, None, club=season_club)
        ],
        "test",
    )
    assert len(changes) == 1
    assert "load" in calls and "compose" in calls  # the edit and its read-back
    assert "Real Garcilaso 2-0 Humberto Luna" in season.read_text(encoding="utf-8")


def test_play_in_place_waits_and_keeps_the_other_writers_result(tmp_path: Path) -> None:
    """``play --in-place`` used to read at once and then be refused ("changed since
    copa read it") when another writer got there first; now it waits and plays on."""
    import re

    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv

    csv = tmp_path / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(400, 3)), encoding="utf-8")
    path = tmp_path / "s.yaml"
    made = copa("new-season", "2019", str(csv), "-o", str(path), "--seed", "3")
    assert made.wait(timeout=300) == 0, made.communicate()[1]
    # a round-robin fixture line of a block: "Home v Away | matchday 1"
    m = re.search(
        r"^( +)([^:\s-][^:\n]*?) v ([^:\n]+?)( \|[^:\n]*)?$", path.read_text("utf-8"), re.M
    )
    assert m is not None
    fixture = f"{m.group(1)}{m.group(2)} v {m.group(3)}{m.group(4) or ''}"
    entered = f"{m.group(1)}{m.group(2)} 5-4 {m.group(3)}{m.group(4) or ''}"
    h = holder(path, fixture, entered, 2.0)
    r = copa("play", str(path), "--in-place", "--quiet")
    _, err = r.communicate(timeout=600)
    assert h.wait(timeout=60) == 0
    assert r.returncode == 0, err
    text = path.read_text(encoding="utf-8")
    assert entered in text  # the other writer's result, kept as entered (not simulated)
    assert re.search(r"^ +[^:\s-][^:\n]*? v [^:\n]+$", text, re.M) is None  # the rest played


# ---------------------------------------------------------------- hand edits, fsync


def _department_season(tmp_path: Path) -> Path:
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv

    csv = tmp_path / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(400, 5)), encoding="utf-8")
    path = tmp_path / "cusco.yaml"
    made = copa("new-season", "2019", str(csv), "-o", str(path), "--department", "Cusco")
    assert made.wait(timeout=300) == 0, made.communicate()[1]
    return path


def _main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from copa.cli import main

    monkeypatch.setattr(sys, "argv", ["copa", *args])
    try:
        main()
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def test_a_hand_edit_while_play_runs_is_kept_and_play_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12 item 1: a hand edit made while ``play`` ran was overwritten."""
    import copa.cli.pyramid as cp

    path = _department_season(tmp_path)
    real = cp.play_file

    def edited_meanwhile(p: str, seed: int | None, step: object) -> object:
        out = real(p, seed, step)  # read and played...
        with open(p, "a", encoding="utf-8") as f:  # ...and the editor saves now
            f.write("# a hand edit\n")
        return out

    monkeypatch.setattr(cp, "play_file", edited_meanwhile)
    capsys.readouterr()
    assert _main(monkeypatch, "play", str(path), "--in-place", "--quiet") == 2
    err = capsys.readouterr().err
    assert "changed since copa read it" in err and len(err.strip().splitlines()) == 1, err
    text = path.read_text(encoding="utf-8")
    assert text.endswith("# a hand edit\n") and "| simulated" not in text
    assert [p.name for p in tmp_path.iterdir() if ".copa-" in p.name] == []


def test_a_hand_edit_while_result_runs_is_kept_and_the_result_lands(
    season: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from copa.spec import entry

    real = entry.edited  # the edit copa.io.season_edit makes between its read and its write
    edits: list[int] = []

    def edited_meanwhile(*a: object, **k: object) -> str:
        text = real(*a, **k)
        if not edits:  # the first time only: the editor saves between read and write
            edits.append(1)
            with season.open("a", encoding="utf-8") as f:
                f.write("# a hand edit\n")
        return text

    monkeypatch.setattr(entry, "edited", edited_meanwhile)
    assert _main(monkeypatch, "result", str(season), "Real Garcilaso 2-0 Humberto Luna") == 0
    text = season.read_text(encoding="utf-8")
    assert "# a hand edit\n" in text  # the edit is kept
    assert "Real Garcilaso 2-0 Humberto Luna" in text  # and the result, entered again on it


def test_the_temp_file_is_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 4: ``fsync`` before the rename (and the folder after it)."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(a: str | Path, b: str | Path) -> None:
        events.append(("replace", str(a)))
        real_replace(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "s.txt"
    write_text(target, "new\n")
    kinds = [k for k, _ in events]
    assert kinds == ["fsync", "replace", "fsync"], events
    assert events[0][1] == events[1][1] and ".s.txt.copa-" in events[0][1]  # the temp file
    assert events[2][1] == str(tmp_path)  # then its folder
    assert target.read_text(encoding="utf-8") == "new\n"
