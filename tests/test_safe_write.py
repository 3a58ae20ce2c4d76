"""The one safe writer (issue 12 items 1, 3, 4, 5): every command writes through it.

Real files, real processes: each defect the issue lists is reproduced as it
was found and must now be refused or done right.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from copa.io.safe_write import Conflict, WriteError, clean_stale, read_text, write_text


def copa(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def one_line_exit_2(r: subprocess.CompletedProcess[str], needle: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert needle in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


BUNDLED = str(resources.files("copa") / "data" / "seasons" / "2011.yaml")


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".copa-" in p.name or p.suffix == ".tmp")


# ---------------------------------------------------------------- item 3: the temp file


def test_a_symlink_planted_at_the_old_temp_name_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / ".out.json.tmp").symlink_to(victim)
    r = copa("export", "2011", "-o", str(tmp_path / "out.json"))
    assert r.returncode == 0, r.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("{")
    assert temp_files(tmp_path) == [".out.json.tmp"]  # the planted link, untouched


def test_temp_files_are_random_exclusive_and_stale_ones_are_cleaned(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    # what a killed run leaves: a temp file of a process that no longer exists
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = tmp_path / f".s.yaml.copa-{int(dead.stdout)}-0123456789ab.tmp.yaml"
    stale.write_text("half a fi", encoding="utf-8")
    mine = tmp_path / f".s.yaml.copa-{os.getpid()}-0123456789ab.tmp.yaml"  # a live writer's
    mine.write_text("in progress", encoding="utf-8")
    other = tmp_path / ".t.yaml.copa-1-0123456789ab.tmp.yaml"  # another target's: not ours to judge
    other.write_text("x", encoding="utf-8")
    write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert not stale.exists() and mine.exists() and other.exists()
    assert clean_stale(target) == []


# ---------------------------------------------------------------- item 4: write to, not replace


def test_a_symlinked_target_stays_a_link_and_the_real_file_is_written(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "season.yaml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    r = copa("export", "2011", "-f", "csv", "-o", str(link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("stage,")
    assert temp_files(tmp_path) == [] and temp_files(real_dir) == []


def test_the_mode_is_kept_and_a_read_only_file_is_refused(tmp_path: Path) -> None:
    private = tmp_path / "private.json"
    private.write_text("{}", encoding="utf-8")
    private.chmod(0o600)
    assert copa("export", "2011", "-o", str(private)).returncode == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text(encoding="utf-8").startswith("{\n")
    frozen = tmp_path / "frozen.json"
    frozen.write_text("keep", encoding="utf-8")
    frozen.chmod(0o444)
    one_line_exit_2(copa("export", "2011", "-o", str(frozen)), "read-only")
    assert frozen.read_text(encoding="utf-8") == "keep"
    fresh = tmp_path / "fresh.json"
    assert copa("export", "2011", "-o", str(fresh)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_device_is_written_directly_never_replaced(tmp_path: Path) -> None:
    before = os.stat("/dev/full")
    one_line_exit_2(copa("export", "2011", "-o", "/dev/full"), "No space left on device")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_dev_stdout_and_a_pipe_are_written(tmp_path: Path) -> None:
    r = copa("export", "2011", "-f", "csv", "-o", "/dev/stdout")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("stage,")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    r = copa("export", "2011", "-f", "csv", "-o", str(fifo))
    out, _ = reader.communicate(timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.startswith("stage,") and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("target", ["", "."])
def test_an_empty_or_folder_target_is_one_line(tmp_path: Path, target: str) -> None:
    one_line_exit_2(copa("export", "2011", "-o", target, cwd=tmp_path), "cannot write")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- item 5: -o onto the input


def test_export_onto_its_own_season_file_is_refused(tmp_path: Path) -> None:
    season = tmp_path / "s.yaml"
    season.write_bytes(Path(BUNDLED).read_bytes())
    before = season.read_bytes()
    one_line_exit_2(copa("export", str(season), "-o", str(season)), "its own input")
    link = tmp_path / "alias.yaml"
    link.symlink_to(season)  # the same file under another name is still the input
    one_line_exit_2(copa("export", str(season), "-f", "csv", "-o", str(link)), "its own input")
    assert season.read_bytes() == before


def test_import_onto_its_own_article_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    r = copa("export", "2011", "-f", "csv", "--what", "matches", "-o", str(source))
    assert r.returncode == 0, r.stderr
    before = source.read_bytes()
    one_line_exit_2(
        copa("import", str(source), "--preset", "copa-peru-2011", "-o", str(source)),
        "its own input",
    )
    assert source.read_bytes() == before


# ---------------------------------------------------------------- item 1: lost updates


def test_a_write_over_a_file_changed_since_it_was_read_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "s.yaml"
    target.write_text("as read\n", encoding="utf-8")
    _, seen = read_text(target)
    target.write_text("a hand edit meanwhile\n", encoding="utf-8")
    with pytest.raises(Conflict, match="changed since copa read it"):
        write_text(target, "computed from what was read\n", expect=seen)
    assert target.read_text(encoding="utf-8") == "a hand edit meanwhile\n"
    assert temp_files(tmp_path) == []
    with pytest.raises(WriteError):
        write_text(tmp_path, "x")  # a folder


def small_pyramid(tmp_path: Path) -> Path:
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv

    csv = tmp_path / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(400, 3)), encoding="utf-8")
    season = tmp_path / "s.yaml"
    r = copa("new-season", "2019", str(csv), "-o", str(season), "--seed", "3")
    assert r.returncode == 0, r.stderr
    return season


def test_play_never_writes_over_its_input_without_in_place(tmp_path: Path) -> None:
    season = small_pyramid(tmp_path)
    before = season.read_bytes()
    one_line_exit_2(copa("play", str(season), "--quiet"), "-o FILE")
    one_line_exit_2(copa("play", str(season), "-o", str(season), "--quiet"), "its own input")
    assert season.read_bytes() == before
    out = tmp_path / "played.yaml"
    r = copa("play", str(season), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert season.read_bytes() == before
    text = out.read_text(encoding="utf-8")
    assert "| simulated" in text and "| simulated" not in before.decode()
    # the district leagues' round robins carry their matchdays (from the circle method)
    assert " | matchday 1\n" in before.decode() and " | matchday 2\n" in before.decode()
    assert copa("play", str(season), "--in-place", "--quiet").returncode == 0
    assert season.read_bytes() == out.read_bytes()


def test_two_concurrent_plays_never_both_land_on_the_same_original(tmp_path: Path) -> None:
    """Issue 12 item 1: both used to exit 0 while one run's results vanished."""
    season = small_pyramid(tmp_path)
    cmd = [
        sys.executable,
        "-c",
        "from copa.cli import main; main()",
        "play",
        str(season),
        "--in-place",
        "--quiet",
    ]
    runs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen(
            [*cmd[:-2], "--seed", "99", "--in-place", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ),
    ]
    done = [(p.wait(timeout=300), p.communicate()[1]) for p in runs]
    codes = sorted(code for code, _ in done)
    # either one is refused (it read the file before the other wrote it) or the second
    # read the first's results; in no case are both written from the same original
    if codes == [0, 2]:
        err = next(e for c, e in done if c == 2)
        assert "changed since copa read it" in err and len(err.strip().splitlines()) == 1
    else:
        assert codes == [0, 0]
        # then the later one found nothing left to simulate: the results are the first's
    assert temp_files(tmp_path) == []
