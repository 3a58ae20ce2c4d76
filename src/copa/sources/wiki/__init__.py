"""Reading Wikipedia articles (wikitext) about Copa Perú seasons."""
