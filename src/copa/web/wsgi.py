"""WSGI entry point (gunicorn copa.web.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copa.web.settings")
application = get_wsgi_application()
