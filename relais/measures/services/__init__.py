"""Every write of the protective measures, split by subject:

- ``bans``: the residence ban (ITR / tijdelijk huisverbod): order, service, extension, lifting,
  breaches, his accommodation;
- ``detention``: detention and release, which warns the police zone where the victim lives;
- ``common``: which agency (the zone of a municipality, the house of justice of a district),
  opening the case to it, and what may be named to whom.

Each service runs in one transaction, checks access through ``relais.access.measures``,
validates with clear messages (``ValidationError`` by field), saves, and writes its audit
event; notices leave their e-mails after commit and name only the case reference. Everything
is re-exported here: callers import ``relais.measures.services``.
"""

from relais.measures.services.bans import (  # noqa: F401
    BanOrdered,
    ban_extend,
    ban_lift,
    ban_order,
    ban_serve,
    ban_set_stay,
    bans_binding,
    binds_home,
    breach_record,
    overlap_message,
)
from relais.measures.services.common import (  # noqa: F401
    LAW,
    PLANNED_RELEASE_MAX_DAYS,
    PROTECTED_ROLES,
    house_of_justice_for,
    serving_zone,
    victim_residence,
    victim_zone,
    when,
    zone_for_municipality,
    zone_is_discreet,
)
from relais.measures.services.detention import (  # noqa: F401
    ReleaseRecorded,
    ReleaseWarning,
    _warn_of_release,
    detention_record,
    release_record,
)
