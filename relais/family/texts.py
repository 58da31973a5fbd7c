"""The texts the family and youth courts' part writes, as codes shown in the reader's language
(relais.core.texts)."""

from relais.core.texts import register_choices
from relais.family.models import ProceedingKind

register_choices("family.proceeding_kind", ProceedingKind)
