"""Production settings, translations, demo data and error pages."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from relais.accounts.models import Agency, AgencyKind, User
from relais.cases.models import Case

ROOT = Path(settings.BASE_DIR)


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("RELAIS_", "PYTEST", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ.setdefault("
         f"'DJANGO_SETTINGS_MODULE', 'relais.settings'); django.setup(); "
         f"from django.conf import settings as s; {code}"],
        env=clean | env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"RELAIS_DEBUG": "0"}, "print(s.DEBUG)")
    assert result.returncode != 0
    assert "RELAIS_SECRET_KEY" in result.stderr


def test_production_settings_are_secure():
    result = run_settings(
        {"RELAIS_DEBUG": "0", "RELAIS_SECRET_KEY": "x" * 50,
         "RELAIS_ALLOWED_HOSTS": "relais.example"},
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS, "
        "'default-src' in s.CONTENT_SECURITY_POLICY['DIRECTIVES'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "31536000", "True",
                                     "['relais.example']", "True"]


def test_deploy_checks_pass_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={k: v for k, v in os.environ.items() if not k.startswith(("RELAIS_", "PYTEST"))}
        | {"RELAIS_DEBUG": "0", "RELAIS_SECRET_KEY": "k" * 60 + "-production-like-secret",
           "RELAIS_ALLOWED_HOSTS": "relais.example",
           "RELAIS_PUBLIC_URL": "https://relais.example"},
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_translations_are_complete(language):
    po = (ROOT / "relais" / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""' in e and e.rstrip().endswith('msgstr ""')]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []


def test_not_found_page_says_nothing_about_what_was_asked(cast):
    from relais.conftest import verified_client

    response = verified_client(cast.officer_b).get(f"/cases/{cast.case.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert cast.case.reference not in page and "Alice" not in page


@override_settings(DEBUG=True)
def test_demo_is_idempotent_and_keeps_changes(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Agency.objects.count(), User.objects.count(), Case.objects.count())
    # 12 cases told as stories, and the year behind the figures (relais.figures.demo_year).
    # 39 agencies, a family and a youth court per network (6), the national observatory.
    assert counts[0] == 46 and counts[2] > 12
    user = User.objects.get(username="bxl.intervention")
    user.first_name = "Changed"
    user.save()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Agency.objects.count(), User.objects.count(), Case.objects.count()) == counts
    assert User.objects.get(username="bxl.intervention").first_name == "Changed"
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == set(AgencyKind.values)  # every kind of agency is in the demo


def test_demo_is_refused_without_debug(db):
    with pytest.raises(CommandError, match="RELAIS_DEBUG"):
        call_command("seed_demo")


def test_health_endpoint_needs_no_sign_in():
    assert Client().get("/health").content == b"ok"
