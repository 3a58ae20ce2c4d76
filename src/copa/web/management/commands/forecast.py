"""``copa manage forecast [SEASON ...] [--runs N]``: compute and store the seasons'
forecasts now (for ``COPA_FORECAST=off`` deployments: run it from cron or a queue)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compute and store the forecast of each season (or of the seasons named)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("seasons", nargs="*", help="season short names (default: all)")
        parser.add_argument("--runs", type=int, default=None, help="simulated seasons")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--stale", action="store_true", help="only seasons whose forecast is out of date"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from copa.web.forecasting import compute
        from copa.web.models import Season

        qs = Season.objects.all()
        if opts["seasons"]:
            qs = qs.filter(slug__in=opts["seasons"])
            missing = set(opts["seasons"]) - set(qs.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no such season: {', '.join(sorted(missing))}")
        runs = opts["runs"]
        if runs is not None and not 1 <= runs <= 1_000_000:
            raise CommandError(f"--runs must be between 1 and 1,000,000, not {runs}")
        for s in qs:
            latest = s.forecasts.order_by("-computed_at", "-pk").first()
            if opts["stale"] and latest is not None and latest.version == s.version:
                continue
            fc = compute(s.pk, runs, opts["seed"])
            what = f"{fc.runs} runs in {fc.seconds:.1f} s" if fc.state == "done" else fc.error
            self.stdout.write(f"{s.slug}: {what}")
