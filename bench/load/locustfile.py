"""The simulated users of the load test (started by ``bench/load/run.py``, which writes the
fixture this file reads: ``LOAD_FIXTURE``).

A working day's mix, by weight: intervention officers (case pages, now and then an intake
saved through the real form), SAPV workers on their follow-up queue, legal advisors on the
prosecution table, dispatchers receiving alarm presses (the gateway's POST, then the summary
the dispatch software fetches), and the public finder (anonymous). With ``"mode": "bare"`` the
same users ask the bare views of ``bench/load/bare.py`` instead.

Every staff user has a session of its own, signed in with a verified second factor. The
cookies are sent by hand (the server marks them Secure, as behind the TLS proxy), with
``X-Forwarded-Proto: https``. Every request's time is also kept raw (not only Locust's rounded
histogram) and written to ``samples`` when the run stops; the run stops at ``run_time`` or after
``max_requests`` requests, whichever comes first.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import string
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as _file:
    FIXTURE = json.load(_file)
BARE = FIXTURE["mode"] == "bare"
WAIT = FIXTURE["wait"]
SAMPLES: list[tuple[str, float, bool, int]] = []
STATE = {"count": 0, "started": float("inf")}


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_kwargs) -> None:
    """Only the steady state is measured: from ``warmup`` seconds after every user is there
    (the workers' first requests load the URLconf, the templates, the translations...)."""
    STATE["started"] = time.time() + FIXTURE["warmup"]


@events.request.add_listener
def _request(name: str, response_time: float, exception, response=None, **_kwargs) -> None:
    STATE["count"] += 1
    if STATE["count"] == FIXTURE["max_requests"] and _runner is not None:
        gevent.spawn(_runner.quit)
    if time.time() >= STATE["started"]:
        status = getattr(response, "status_code", 0) or 0
        SAMPLES.append((name, response_time, exception is None, status))


_runner = None


@events.init.add_listener
def _init(environment, **_kwargs) -> None:
    global _runner
    _runner = environment.runner


@events.quitting.add_listener
def _write(environment, **_kwargs) -> None:
    with open(FIXTURE["samples"], "w", encoding="utf-8") as out:
        json.dump({"samples": SAMPLES, "measured_from": STATE["started"],
                   "measured_to": time.time()}, out)


def _pool(role: str):
    """Each simulated user takes the next session of its role."""
    return itertools.cycle(FIXTURE["sessions"][role])


POOLS = {role: _pool(role) for role in FIXTURE["sessions"]}
DISPATCH = itertools.cycle(FIXTURE["dispatch"])


class Staff(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT["staff"])

    def on_start(self) -> None:
        me = next(POOLS[self.role])
        self.zone = str(me["zone"])
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits)
                            for _n in range(32))
        host = urlsplit(self.host).netloc
        self.headers = {
            "X-Forwarded-Proto": "https", "Origin": f"https://{host}",
            "Cookie": f"{FIXTURE['session_cookie']}={me['session']}; "
                      f"{FIXTURE['csrf_cookie']}={self.csrf}"}

    def page(self, url: str, name: str) -> None:
        with self.client.get(url, headers=self.headers, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")


class Officer(Staff):
    """An intervention officer: opens cases of her zone; now and then records an intake."""

    weight = FIXTURE["weights"]["officer"]
    role = "officer"

    def a_case(self) -> list[int]:
        return random.choice(FIXTURE["cases"][self.zone])

    @task(FIXTURE["weights"]["case_pages_per_intake"])
    def case_page(self) -> None:
        case, _victim, _perpetrator = self.a_case()
        self.page((FIXTURE["urls"]["case"]).format(case=case), "case page")

    @task(1)
    def intake(self) -> None:
        case, victim, perpetrator = self.a_case()
        url = FIXTURE["urls"]["intake"].format(case=case)
        self.page(url, "intake form")
        postcode, refnis = FIXTURE["places"][self.zone]
        offence = datetime.now() - timedelta(hours=random.randint(1, 48))
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "victim_id": victim, "perpetrator_id": perpetrator or "",
            "kind": "official", "source": "walk_in", "pv_number": "BR.00.L0.000001/2026",
            "offence_at": offence.strftime("%Y-%m-%dT%H:%M"),
            "recorded_on": datetime.now().date().isoformat(),
            "postcode": postcode, "municipality": refnis, "forms": ["physical", "verbal"],
            "visible_injuries": "on",
            "facts_context": "Fictitious (load test). Dispute about the car keys.",
            "facts_words": "He said: 'Give me the keys.'",
            "facts_actions": "He grabbed her wrist; red marks visible.",
            "children_present": "no", "children_impact": "The child was at school.",
            "risk_weapons": "", "risk_threats": "", "risk_history": "",
            "perpetrator_left": "no", "accommodation": "", "referred_sapv": "on",
            "referral_note": "", "interpreter": "none", "interpreter_language": "",
            "seen_alone": "yes", "spoke_freely": "yes", "childcare": "not_needed",
            "day2_contact_agreed": "on",
            "item_children": "yes", "item_weapons_threats_substances": "no",
            "item_escalation": "unknown", "item_isolation": "no", "item_stalking": "no",
            "sc_channel": "", "sc_hours": "", "sc_can_speak_freely": "unknown", "sc_notes": "",
            "submission_token": secrets.token_hex(12),
        }
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded",
                   "Referer": f"{self.headers['Origin']}{url}"}
        with self.client.post(url, data=urlencode(data, doseq=True), headers=headers,
                              name="intake save", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:  # 200 is the form again, with its errors
                response.failure(f"answered {response.status_code}")


class SapvWorker(Staff):
    """A victim-assistance worker (SAPV) working down the zone's follow-up queue."""

    weight = FIXTURE["weights"]["sapv"]
    role = "sapv"

    @task
    def queue(self) -> None:
        self.page(FIXTURE["urls"]["queue"], "SAPV queue")


class LegalAdvisor(Staff):
    """A legal advisor of the prosecutor's office on the tracking table."""

    weight = FIXTURE["weights"]["legal"]
    role = "legal"

    @task
    def table(self) -> None:
        self.page(FIXTURE["urls"]["table"], "tracking table")


class Dispatcher(FastHttpUser):
    """The alarm gateway posting a press, then the dispatch software fetching the summary."""

    weight = FIXTURE["weights"]["dispatch"]
    wait_time = between(*WAIT["dispatch"])

    def on_start(self) -> None:
        self.zone = next(DISPATCH)

    @task
    def press(self) -> None:
        zone = self.zone
        body = {"device": random.choice(zone["serials"]),
                "at": datetime.now().astimezone().isoformat(),
                "latitude": round(50.80 + random.random() / 10, 6),
                "longitude": round(4.30 + random.random() / 10, 6),
                "accuracy_m": random.randint(5, 60)}
        started = time.perf_counter()
        with self.client.post(FIXTURE["urls"]["press"], data=json.dumps(body), headers={
                "Content-Type": "application/json", "X-Forwarded-Proto": "https",
                "Authorization": f"Token {zone['token']}"}, name="alarm press",
                catch_response=True) as response:
            expected = 200 if BARE else 201
            if response.status_code != expected:
                response.failure(f"answered {response.status_code}")
                return
            summary = None if BARE else response.json().get("summary_api_url")
        if summary:
            with self.client.get(summary, headers={
                    "X-Forwarded-Proto": "https", "Authorization": f"Token {zone['reader']}"},
                    name="alarm summary (JSON)", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"answered {response.status_code}")
                    return
        events.request.fire(request_type="ALARM", name="alarm press to summary ready",
                            response_time=(time.perf_counter() - started) * 1000,
                            response_length=0, exception=None, context={})


class PublicVisitor(FastHttpUser):
    """Someone on the public finder (/help/): the page, then a search around a postcode."""

    weight = FIXTURE["weights"]["public"]
    wait_time = between(*WAIT["public"])

    @task
    def search(self) -> None:
        headers = {"X-Forwarded-Proto": "https"}
        self.client.get("/help/fr/", headers=headers, name="public finder")
        postcode = random.choice(FIXTURE["public_postcodes"])
        with self.client.post("/help/fr/", data=urlencode({"where": postcode,
                                                            "need": "support"}),
                              headers={**headers,
                                       "Content-Type": "application/x-www-form-urlencoded"},
                              name="public finder search", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
