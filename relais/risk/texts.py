"""The texts the risk assessment writes on the timeline, as codes shown in the reader's
language (relais.core.texts): the instrument's title and level come from its data file, in the
reader's language."""

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.core.texts import register_text
from relais.risk.instruments import instrument_get


def _words(params: dict[str, Any]) -> dict[str, Any]:
    instrument = instrument_get(params["instrument"], params.get("version"))
    language = get_language()
    return {"instrument": instrument.title_in(language),
            "level": instrument.level(params["level"]).label_in(language)}


register_text("risk.assessed", _("%(instrument)s: %(level)s"), params=_words)
register_text("risk.level", _("%(level)s"), params=_words)
register_text("risk.lower_asked", _("Lower the level to %(level)s (%(instrument)s)"),
              params=_words)
