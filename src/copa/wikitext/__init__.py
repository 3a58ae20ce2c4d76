"""Wikitext markup shared by the wiki reader (``copa.sources.wiki``) and the wiki
writer (``copa.sinks.wiki_export``): the visible text of a cell and the score in it
(:mod:`~copa.wikitext.cells`), and edits of template parameters that keep every other
byte of an article (:mod:`~copa.wikitext.edit`). Neither side imports the other."""
