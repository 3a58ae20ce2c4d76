"""Outputs of a season: JSON, CSV, wikitext, SVG brackets, charts."""
