"""``manage.py train_linkage --input FILE.csv --version v2``: train the model's m, u and prior
with Splink on person records, and write ``relais/linkage/params/<version>.json``.

The input is the CSV of ``link_persons`` (read and checked the same way); ``--synthetic N``
trains on the synthetic Belgian set of N persons instead. The new version is written, not put
in force: ``model.ACTIVE`` names the version in force, changed by a reviewed commit.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.linkage.model import ACTIVE, PARAMS_DIR


class Command(BaseCommand):
    help = "Train the linkage model's parameters with Splink and write them as a new version."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names the parameters' version; it replaces Django's --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve",
                                     **kwargs)

    def add_arguments(self, parser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--input", type=Path, help="CSV of person records (link_persons)")
        source.add_argument("--synthetic", type=int, metavar="N",
                            help="train on the synthetic Belgian set of N persons")
        parser.add_argument("--version", required=True, dest="params_version",
                            help="name of the new version (v2)")
        parser.add_argument("--seed", type=int, default=1,
                            help="seed of Splink's random sampling (and of --synthetic)")
        parser.add_argument("--base", default=ACTIVE,
                            help="version whose thresholds (and unestimable levels) are kept")
        parser.add_argument("--across", action="store_true",
                            help="the records are sources linked with one another "
                                 "(source_agency), not one set to deduplicate")
        parser.add_argument("--recall", type=float, default=0.8,
                            help="share of true matches the deterministic rules of the prior "
                                 "are assumed to find")
        parser.add_argument("--max-pairs", type=float, default=1e6,
                            help="pairs sampled to estimate u")
        parser.add_argument("--upper", type=float, help="upper threshold (default: the base's)")
        parser.add_argument("--lower", type=float, help="lower threshold (default: the base's)")
        parser.add_argument("--force", action="store_true", help="overwrite an existing version")

    def handle(self, *args, **options) -> None:
        try:
            from relais.linkage import training
        except ImportError as error:
            raise CommandError(f"Splink is needed: install the 'linkage' extra ({error}).") \
                from None
        version = options["params_version"]
        if not version.replace("-", "").replace("_", "").isalnum():
            raise CommandError("A version is letters, digits, '-' and '_' only.")
        if (PARAMS_DIR / f"{version}.json").exists() and not options["force"]:
            raise CommandError(f"The version {version} exists; --force to overwrite it.")
        if options["synthetic"]:
            from relais.linkage.synthetic import generate

            records, _truth = generate(persons=options["synthetic"], seed=options["seed"])
            source = f"the synthetic set of {options['synthetic']} persons, seed {options['seed']}"
        else:
            from relais.linkage.csv_records import BadFile, read_records

            try:
                records = read_records(options["input"])
            except BadFile as bad:
                raise CommandError(bad.report()) from None
            source = options["input"].name
        if len(records) < 2:
            raise CommandError("At least two records are needed to train.")
        result = training.train(
            records, version=version, seed=options["seed"], across=options["across"],
            base=options["base"], recall=options["recall"], max_pairs=options["max_pairs"],
            source=source, upper=options["upper"], lower=options["lower"])
        path = training.write(result.data)
        self.stdout.write(f"{path}: prior {result.data['prior']:.3g}")
        for field, levels in result.data["fields"].items():
            weights = ", ".join(f"{level} {math.log2(m / u):+.2f}"
                                for level, (m, u) in levels.items())
            self.stdout.write(f"  {field}: {weights}")
