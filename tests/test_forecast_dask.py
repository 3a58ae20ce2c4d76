"""The optional Dask scheduler gives the same counts as the local pool for the same seed.

Skipped when ``dask.distributed`` is not installed (it is the optional ``dask``
extra: ``uv sync --extra dask``); nothing else in copa needs it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from copa.core.season import Season
from copa.forecast.engine import Model
from copa.forecast.forecast import compile_or_core, dask_available, prepare, rate, run_chunks
from copa.spec.seasons import find_season

needs_dask = pytest.mark.skipif(
    not dask_available(), reason="dask.distributed is not installed (the optional 'dask' extra)"
)


@pytest.fixture(scope="module")
def s2011() -> Season:
    return find_season("2011")


@needs_dask
def test_dask_local_cluster_gives_the_local_pools_counts(s2011: Season) -> None:
    state, pyr = prepare(s2011, "National Stage/Round of 16")
    program = compile_or_core(state, pyr)
    model = Model.from_ratings(rate(state), program.names)
    local = run_chunks(program, model, 1_200, seed=11, workers=1, chunk=300)
    dask = run_chunks(program, model, 1_200, seed=11, workers=2, chunk=300, scheduler="dask")
    assert dask.runs == local.runs == 1_200
    assert dask.matches == local.matches
    assert dask.table.keys() == local.table.keys()
    for k in local.table:
        assert (dask.table[k] == local.table[k]).all(), k


@needs_dask
def test_copa_forecast_scheduler_dask_prints_the_same_json() -> None:
    from copa.cli import app

    runner = CliRunner()
    args = ["forecast", "2011", "--as-of", "National Stage/Semifinals", "--runs", "600"]
    args += ["--seed", "3", "--format", "json", "--workers", "2"]
    local = runner.invoke(app, args)
    dask = runner.invoke(app, [*args, "--scheduler", "dask"])
    assert local.exit_code == 0, local.output
    assert dask.exit_code == 0, dask.output
    assert dask.stdout == local.stdout


def test_without_dask_the_scheduler_option_says_so_in_one_line() -> None:
    # dask hidden from this process: the command refuses in one line, exit code 2
    code = (
        "import sys; sys.modules['distributed'] = None; from copa.cli import main; "
        "sys.argv = ['copa', 'forecast', '2011', '--runs', '10', '--scheduler', 'dask']; main()"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert got.returncode == 2, (got.stdout, got.stderr)
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and "dask" in lines[0], got.stderr
