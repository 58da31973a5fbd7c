"""``relais.wsgi`` for the fault drills' gunicorn: the collected static files of the bench
(``RELAIS_FAULTS_STATIC``, so that error pages render with DEBUG off) and e-mail kept in memory
(the drills test the database, not the mail relay)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

if os.environ.get("RELAIS_FAULTS_STATIC"):
    settings.STATIC_ROOT = os.environ["RELAIS_FAULTS_STATIC"]
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

from relais.wsgi import application  # noqa: E402, F401
