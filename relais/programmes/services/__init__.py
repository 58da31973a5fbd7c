"""Writes of perpetrator programmes (Praxis model), split by subject:

- ``files``: the programme's rules and formats, hours, files (from a referral or direct),
  status changes and reporting them to the justice side;
- ``groups``: groups, their sessions and the activities of a file.

Everything is re-exported here: callers import ``relais.programmes.services``.
"""

from relais.programmes.services.files import (  # noqa: F401
    DEFAULT_FORMAT_NAMES,
    DEFAULT_FORMATS,
    FORMAT_FIELDS,
    MAX_HOURS_PER_ACTIVITY,
    SETTINGS_FIELDS,
    ZERO,
    Mandate,
    attended_hours,
    closed_error,
    file_change_status,
    file_open_direct,
    file_open_from_referral,
    file_update_substances,
    format_hours,
    format_save,
    format_version,
    interviews_attended,
    next_statuses,
    settings_for,
    settings_update,
    settings_version,
    substances_version,
)
from relais.programmes.services.groups import (  # noqa: F401
    Joined,
    MemberAttendance,
    activity_record,
    file_join_group,
    group_close,
    group_create,
    group_members,
    group_session_record,
    group_size_warning,
    size_warning,
)
