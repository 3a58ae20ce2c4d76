"""``copa manage loadseason FILE``: store a season file (or a bundled season by name)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Load a season file (or a bundled season such as 2011) into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a season file, or a bundled season's name")
        parser.add_argument("--slug", help="short name in addresses (default: the season)")
        parser.add_argument("--replace", action="store_true", help="replace a stored season")

    def handle(self, *args: Any, **opts: Any) -> None:
        from copa.spec.errors import SeasonFileError
        from copa.spec.seasons import season_text
        from copa.web.services import Invalid, load_season

        try:
            text, source = season_text(opts["file"])
            row = load_season(text, source, opts.get("slug"), opts["replace"])
        except (SeasonFileError, Invalid) as e:
            raise CommandError(str(e)) from None
        n = row.fixtures.count()
        self.stdout.write(f"loaded {row} as /{row.slug}/ ({n} fixtures)")
