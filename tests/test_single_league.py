"""Setting up a single departmental league from a bundled preset, with Spanish CSV headers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from copa.cli.pyramid import load_format


def copa(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "copa.cli", *args], capture_output=True, text=True, env=env
    )


def clubs(path: Path) -> Path:
    lines = ["nombre,distrito,provincia,departamento"]
    lines += [f"Club {i},Distrito {i % 3},Huamanga,Ayacucho" for i in range(1, 13)]
    lines += ["Sporting Lima,Lince,Lima,Lima"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_one_department_from_the_2019_preset(tmp_path: Path) -> None:
    out = tmp_path / "aya.yaml"
    p = copa(
        "new-season",
        "2019",
        str(clubs(tmp_path / "c.csv")),
        "--department",
        "ayacucho",
        "-o",
        str(out),
    )
    assert p.returncode == 0, p.stderr
    assert "12 clubs" in p.stdout  # Ayacucho's twelve, not Lima's
    shown = copa("show", str(out)).stdout
    assert "Department Ayacucho" in shown and "National Stage" not in shown
    assert "Sporting Lima" not in out.read_text(encoding="utf-8")


def test_a_format_names_the_season(tmp_path: Path) -> None:
    _, data = load_format("2019")
    data["season"] = "2025"
    fmt = tmp_path / "liga.yaml"
    fmt.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "s.yaml"
    p = copa(
        "new-season",
        str(fmt),
        str(clubs(tmp_path / "c.csv")),
        "--department",
        "Ayacucho",
        "-o",
        str(out),
    )
    assert p.returncode == 0, p.stderr
    assert copa("show", str(out)).stdout.splitlines()[0].endswith(" 2025")


def test_clubs_csv_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "nombre,distrito,provincia,departamento\nA,x,y,Ayacucho\n,x,y,Ayacucho\n", encoding="utf-8"
    )
    p = copa("new-season", "2019", str(bad), "-o", str(tmp_path / "o.yaml"))
    assert p.returncode == 2 and f"{bad}:3" in p.stderr and p.stderr.count("\n") == 1
    p = copa(
        "new-season",
        "2019",
        str(clubs(tmp_path / "c.csv")),
        "--department",
        "Cusco",
        "-o",
        str(tmp_path / "o.yaml"),
    )
    assert p.returncode == 2 and "departments: Ayacucho, Lima" in p.stderr
