"""Readers of sources (articles, CSV, football.json, club lists) into seasons."""
