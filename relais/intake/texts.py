"""The texts the intake writes on the timeline, as codes shown in the reader's language
(relais.core.texts)."""

from relais.core.texts import register_choices
from relais.intake.models import ViolenceForm

register_choices("intake.violence_form", ViolenceForm)
