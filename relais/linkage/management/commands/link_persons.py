"""Link a CSV of person records: the predicted same-person pairs, with the application's model.

    manage.py link_persons --input FILE.csv --output PAIRS.csv [--threshold P] [--across]

The input's columns are those of ``relais.linkage.csv_records.COLUMNS``. A bad file gets a
report naming each line and column at fault and no output at all: the pairs are written to a
temporary file beside the output, renamed only once complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from relais.linkage.batch import link
from relais.linkage.csv_records import BadFile, read_records
from relais.linkage.model import params
from relais.linkage.normalize import PersonRecord

OUTPUT_COLUMNS = ("record_id_l", "record_id_r", "score")


def probability(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = ("Link the person records of a CSV file (record_id, source_agency, given_name, "
            "surname, birth_date, national_number, sex, postcode, municipality, street, "
            "house_number, phone) and write the predicted same-person pairs (record_id_l, "
            "record_id_r, score). A bad file is reported line by line and nothing is written.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True, help="the records (CSV)")
        parser.add_argument("--output", type=Path, required=True, help="the pairs (CSV)")
        parser.add_argument("--threshold", type=probability, default=None,
                            help="the least probability of a pair (default: the model's "
                                 "upper threshold)")
        parser.add_argument("--across", action="store_true",
                            help="only pairs of records from different source agencies")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="the language of the report")

    def handle(self, *args, input: Path, output: Path, threshold: float | None, across: bool,
               language: str, **options) -> None:
        with translation.override(language):
            try:
                records = read_records(input)
            except BadFile as bad:
                raise CommandError(
                    _("%(file)s is not loaded, nothing is written:")
                    % {"file": input.name} + "\n" + bad.report()) from None
            limit = params().upper if threshold is None else threshold
            count = self.write_pairs(records=records, output=output, threshold=limit,
                                     across=across)
            self.stdout.write(_("%(records)d records read, %(pairs)d pairs written to "
                                "%(file)s (threshold %(threshold)s, parameters %(version)s).")
                              % {"records": len(records), "pairs": count, "file": output,
                                 "threshold": limit, "version": params().version})

    def write_pairs(self, *, records: list[PersonRecord], output: Path, threshold: float,
                    across: bool) -> int:
        """Write the pairs to a temporary file in the output's folder and rename it over the
        output only once every pair is written."""
        folder = output.resolve().parent
        if not folder.is_dir():
            raise CommandError(_("The output folder does not exist."))
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.",
                                             suffix=".part")
        count = 0
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
                writer = csv.writer(stream)
                writer.writerow(OUTPUT_COLUMNS)
                for left, right, match in link(records, threshold=threshold, across=across):
                    writer.writerow((left, right, f"{match.probability:.4f}"))
                    count += 1
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count
