"""copa's web app: the organizers' back office and the public site (Django).

The engine stays pure; this package stores seasons and calls it
(:mod:`copa.web.engine`).
"""
