"""An alarm press with its e-mail queued (now) against sent inside the request (before).

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/mail_press.py

Run by pytest on the test database with the fixed cast (a live alarm of zone A, the
dispatcher with an e-mail address). A small SMTP relay on loopback answers every command, after
``RELAY_DELAY`` seconds for its greeting (0 = a relay next door; 0.1 = a busy or distant one).
Alternately, the same press through the API: "queued" is the POST alone (the e-mail waits for
the worker); "in request" is the POST followed by the sending of its e-mail in the same span,
which is what the request did before the queue (``send_mail`` after commit, in the request's
thread). Medians and p95 in milliseconds are printed.
"""

from __future__ import annotations

import socketserver
import statistics
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from relais.alarms.tests.factories import live_alarm
from relais.conftest import api_client, cast, run_mail_queue  # noqa: F401  (cast: a fixture)

PRESSES = 40


class _Relay(socketserver.StreamRequestHandler):
    """Just enough SMTP to take a message."""

    def handle(self) -> None:
        time.sleep(self.server.delay)
        self.wfile.write(b"220 relay ready\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.mark.parametrize("delay", [0.0, 0.1])
def test_press_queued_against_sent_in_request(cast, settings, delay):  # noqa: F811
    get_user_model().objects.filter(pk=cast.dispatcher_a.pk).update(email="d@example.org")
    live_alarm(cast)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Relay)
    server.daemon_threads = True
    server.delay = delay
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    client = api_client(cast.dispatcher_a, kind="gateway")
    samples: dict[str, list[float]] = {"queued": [], "in request": []}
    try:
        for n in range(PRESSES + 4):
            order = ("queued", "in request") if n % 2 == 0 else ("in request", "queued")
            for kind in order:
                run_mail_queue()  # the worker sends what is queued, outside the timing
                started = time.perf_counter()
                response = client.post("/api/alarms/activations/", {
                    "device": "BTN-A-0001", "at": timezone.now().isoformat()}, format="json")
                if kind == "in request":
                    assert run_mail_queue() == 1
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 201
                if n >= 4:  # warm-up
                    samples[kind].append(elapsed)
    finally:
        server.shutdown()
        server.server_close()
    print(f"\nrelay greeting delay {delay * 1000:.0f} ms, {PRESSES} presses each, alternating:")
    for kind, values in samples.items():
        print(f"  {kind:<10}  median {statistics.median(values):7.2f} ms   "
              f"p95 {percentile(values, 0.95):7.2f} ms")
