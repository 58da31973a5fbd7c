"""Links in e-mails point to RELAIS_PUBLIC_URL, or in the demo to the host being served."""

from __future__ import annotations

from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from relais.accounts.models import Role
from relais.conftest import actor, run_mail_queue
from relais.core.links import RequestOriginMiddleware, public_url, public_url_is_set
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send


def test_the_notice_e_mail_links_to_relais_public_url(cast, settings):
    settings.RELAIS_PUBLIC_URL = "https://relais.example.be"
    cast.sapv_a.email = "sapv@zone-a.example"
    cast.sapv_a.save(update_fields=["email"])
    notice_send(actor=actor(cast.officer_a), agency=cast.zone_a,
                for_role=Role.VICTIM_ASSISTANCE_WORKER, case=cast.case,
                kind=NoticeKind.OFFICIAL_REPORT)
    run_mail_queue()
    (message,) = mail.outbox
    assert "https://relais.example.be/notices/" in message.body
    assert ":8000" not in message.body


def answer_of(request, settings_debug: bool, settings) -> str:
    settings.DEBUG = settings_debug
    middleware = RequestOriginMiddleware(lambda _request: HttpResponse(public_url("/x/")))
    return middleware(request).content.decode()


def test_in_the_demo_without_the_setting_links_follow_the_request_host(settings):
    settings.RELAIS_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["demo.example"]
    request = RequestFactory().get("/", HTTP_HOST="demo.example:8042")
    assert answer_of(request, True, settings) == "http://demo.example:8042/x/"
    assert public_url("/x/") == "http://127.0.0.1:8000/x/"  # no request: the fallback


def test_in_production_the_host_header_never_chooses_the_links(settings):
    settings.RELAIS_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["forged.example"]
    request = RequestFactory().get("/", HTTP_HOST="forged.example")
    assert "forged" not in answer_of(request, False, settings)
    settings.RELAIS_PUBLIC_URL = "https://relais.example.be"
    assert answer_of(request, False, settings) == "https://relais.example.be/x/"


def test_the_deploy_check_asks_for_the_setting(settings):
    settings.RELAIS_PUBLIC_URL = ""
    assert [m.id for m in public_url_is_set(None)] == ["relais.W001"]
    settings.RELAIS_PUBLIC_URL = "https://relais.example.be"
    assert public_url_is_set(None) == []
