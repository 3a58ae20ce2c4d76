"""Kernel paths added for speed, each checked run for run against the core engine.

* Three clubs level on points at the top of a group whose chain goes on with a
  deciding match: the core asks for "a deciding match between A and B and C",
  plays the first two by name, and the winner goes first. The kernel now plays
  that match itself instead of handing the run to the core; every run is
  replayed through :func:`copa.core.resolve.resolve_round` (``check``) and, by
  the rule itself, the club third by name never tops such a group.
"""

from __future__ import annotations

import math

import numpy as np

from copa.core.club import Club
from copa.core.group import Group, GroupRules
from copa.core.match import Match, MatchStatus
from copa.core.season import Promotion, Season
from copa.core.stage import Advance, Round, Stage
from copa.forecast.engine import Chunk, Counts, Model, compile_season
from copa.forecast.verify import check

CHAIN = ("points", "deciding_match", "goal_difference", "goals_for", "lots")


def three_club_group() -> Season:
    clubs = ("A", "B", "C")
    matches = tuple(
        Match(h, a, status=MatchStatus.SCHEDULED) for h, a in (("A", "B"), ("B", "C"), ("C", "A"))
    )
    g = Group("Group", clubs, matches, GroupRules(chain=CHAIN), legs=1)
    rnd = Round("Group stage", groups=(g,), advance=Advance(top=1))
    stage = Stage("Final Stage", "national", (rnd,), entrants=clubs)
    return Season("t", "T", tuple(Club(c) for c in clubs), (stage,), (Promotion(1, "Up"),))


def test_a_deciding_match_between_three_level_clubs_is_the_kernels_and_agrees_with_the_core() -> (
    None
):
    season = three_club_group()
    program = compile_season(season)
    # few goals: many runs end with all three level on points (three draws, or a win each)
    model = Model.fixed(program.names, {}, math.log(0.5), 0.0)
    checked, bad = check(program, model, runs=600, seed=8)
    assert checked == 600
    assert bad == []
    runs = 4_000
    rng = np.random.Generator(np.random.PCG64(9))
    att, dfn = model.sample(rng, runs, program.live)
    ch = Chunk(rng, runs, att, dfn, model.mu, model.home, program.names, trace={})
    program.run(ch, Counts())
    assert ch.fallbacks == 0  # no run went to the core
    assert ch.trace is not None
    _, clubs, traces, out = ch.trace[("Final Stage", "Group stage")]
    hg, ag, _ = traces[0]
    # points worked here from the scores: fixtures A-B, B-C, C-A
    pts = np.zeros((runs, 3), dtype=np.int64)
    for m, (h, a) in enumerate(((0, 1), (1, 2), (2, 0))):
        pts[:, h] += np.where(hg[:, m] > ag[:, m], 3, np.where(hg[:, m] == ag[:, m], 1, 0))
        pts[:, a] += np.where(ag[:, m] > hg[:, m], 3, np.where(hg[:, m] == ag[:, m], 1, 0))
    three = (pts[:, 0] == pts[:, 1]) & (pts[:, 1] == pts[:, 2])
    assert three.sum() > 400
    winner = out.orders[0][three, 0]
    idx = {n: i for i, n in enumerate(program.names)}
    assert not (winner == idx["C"]).any()  # C is never in the deciding match
    share_a = float((winner == idx["A"]).mean())  # equal clubs, a neutral match: 1/2
    assert abs(share_a - 0.5) < 4 * math.sqrt(0.25 / three.sum())
