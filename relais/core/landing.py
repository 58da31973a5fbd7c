"""Where a person lands after signing in, and when she clicks "Relais": her own work.

Two registries, so that ``core`` knows no feature app:

- each app registers the screens one can land on, by name, in its ``AppConfig.ready``:
  ``register_landing("alarm_board", url_name="alarms:board")`` (``query`` adds a query string,
  e.g. the incoming referrals);
- the access policy (``relais.access.landing``) registers the one function that chooses the
  name for an actor: which landing a role gets is policy, not a screen's business.

``landing_url(actor)`` answers the chosen screen's address; a name nobody registered (an app
left out) falls back to "My cases". The view at ``/`` (``relais.core.views.home``) redirects
there; the sign-in ends there too (``LOGIN_REDIRECT_URL = "home"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from relais.core.actor import Actor

DEFAULT = "my_cases"


@dataclass(frozen=True)
class Landing:
    url_name: str
    query: str = ""

    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


TARGETS: dict[str, Landing] = {}
_chooser: list[Callable[[Actor], str]] = []


def register_landing(name: str, *, url_name: str, query: str = "") -> None:
    TARGETS[name] = Landing(url_name=url_name, query=query)


def register_chooser(chooser: Callable[[Actor], str]) -> None:
    """The policy's function naming an actor's landing (one; a second replaces it)."""
    _chooser[:] = [chooser]


def landing_name(actor: Actor) -> str:
    name = _chooser[0](actor) if _chooser else DEFAULT
    return name if name in TARGETS else DEFAULT


def landing_url(actor: Actor) -> str:
    return TARGETS[landing_name(actor)].url()
