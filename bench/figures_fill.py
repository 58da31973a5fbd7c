"""Give a ``seed_scale`` database what the figures' dashboard counts, in bulk SQL (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:54340/relais_final RELAIS_DEBUG=0 \\
        RELAIS_SECRET_KEY=bench .venv/bin/python bench/figures_fill.py [--reports 1000000]

``seed_scale`` writes cases, persons and shares; the intake benchmarks added official reports
to a fifth of the cases (no place, no forms, no children recorded). The dashboard counts police
reports by the date of the facts (information against official reports, forms of violence,
children) and entries at the prosecutor's office by the date of entry. This script, run once
after ``migrate``:

1. **adds reports** until the database holds ``--reports`` (default 1,000,000 incidents): one
   report on each case that has none, recorded by the case's zone and officer on its victim and
   alleged perpetrator, its facts 0 to 6 hours before the case was opened (``seed_scale``
   spreads the openings over three years); 37.5 % of the new ones are information reports (so
   that about 30 % of all are), the others official reports forwarded to the office of the
   zone's district the same day;
2. **completes every report**: the municipality and postcode of the case (the zone's
   jurisdiction), its judicial district, intimate partner or not from the case's situation, one
   to several forms of violence drawn with the field's frequencies (a visible injury on 45 % of
   the official ones), and for a case with a child its presence and impact recorded (87 %) or
   "no children concerned" ticked (13 %);
3. **enters the new official reports** at that office: received the same day (55 %) or one to
   four days later, the section and reader of the existing entries, decided ten days after
   receipt when that is more than 25 days ago;
4. ``ANALYZE`` of the tables.

Bench data only: the rows it adds write no audit event, timeline entry or share (no screen of
the bench reads them). Random draws use ``setseed(--seed)``; a second run adds nothing and
only redraws what step 2 draws.
"""

from __future__ import annotations

import argparse
import time

import benchlib  # noqa: F401  (Django on DATABASE_URL)
from django.db import connection, transaction

from relais.accounts.models import AgencyKind, JurisdictionMunicipality
from relais.directory.places import postcode_of

# Forms of violence and their chance on an official / an information report (several may
# apply); as in relais.figures.demo_year.FORMS.
FORMS = (("physical", 0.72, 0.0), ("psychological", 0.55, 0.5), ("verbal", 0.5, 0.8),
         ("sexual", 0.05, 0.0), ("economic", 0.07, 0.04), ("administrative", 0.03, 0.0),
         ("objects", 0.12, 0.1), ("animals", 0.01, 0.0), ("stalking", 0.07, 0.03),
         ("digital_stalking", 0.04, 0.02))
INFORMATION_SHARE_OF_NEW = 0.375

INSERT_REPORTS = """
INSERT INTO intake_report (
    kind, pv_number, source, offence_at, recorded_on, postcode, municipality, district,
    is_intimate_partner, forms, visible_injuries, signs_of_struggle, facts_context, facts_words,
    facts_actions, no_children_concerned, children_present, children_impact, risk_weapons,
    risk_threats, risk_history, perpetrator_left, accommodation, referred_eva, referred_sapv,
    referred_cpvs, referral_note, interpreter, interpreter_language, seen_alone, spoke_freely,
    childcare, accompanied_by_specialist, day2_contact_agreed, forwarded_at, created_at,
    agency_id, case_id, forwarded_to_id, officer_id, perpetrator_id, unit_id, victim_id,
    perpetrator_informed, perpetrator_not_informed_detail, perpetrator_not_informed_reason)
SELECT CASE WHEN draw.r < %(information)s THEN 'information' ELSE 'official' END,
       CASE WHEN draw.r < %(information)s THEN '' ELSE 'BENCH.' || c.id END,
       'victim_call', draw.offence_at, (draw.offence_at + interval '2 hours')::date, '', '', '',
       false, '[]'::jsonb, false, false, 'Fictitious bench report.', '', '', true, '', '', '',
       '', '', '', '', false, false, false, '', 'none', '', 'yes', 'yes', 'not_needed', false,
       false,
       CASE WHEN draw.r < %(information)s THEN NULL
            ELSE draw.offence_at + interval '3 hours' END,
       draw.offence_at + interval '2 hours', c.owner_agency_id, c.id,
       CASE WHEN draw.r < %(information)s THEN NULL ELSE %(office)s END,
       c.opened_by_id, p.person_id, NULL, v.person_id, '', '', ''
FROM cases_case c
JOIN LATERAL (SELECT random() AS r,
                     c.opened_at - random() * interval '6 hours' AS offence_at) draw ON true
JOIN cases_caseparticipant v ON v.case_id = c.id AND v.role = 'victim'
LEFT JOIN cases_caseparticipant p ON p.case_id = c.id AND p.role = 'alleged_perpetrator'
WHERE NOT EXISTS (SELECT 1 FROM intake_report r WHERE r.case_id = c.id)
ORDER BY c.id
LIMIT %(missing)s
"""

COMPLETE_REPORTS = """
UPDATE intake_report r SET
    municipality = d.municipality,
    postcode = d.postcode,
    district = 'brussel',
    is_intimate_partner = d.intimate,
    forms = d.forms,
    visible_injuries = r.kind = 'official' AND d.injury,
    no_children_concerned = NOT (d.child AND d.recorded),
    children_present = CASE WHEN d.child AND d.recorded THEN 'yes' ELSE '' END,
    children_impact = CASE WHEN d.child AND d.recorded
                           THEN 'Fictitious: the children heard the shouting.' ELSE '' END
FROM (
    SELECT x.id, c.municipality, COALESCE(places.postcode, '') AS postcode,
           c.situation IN ('couple', 'ex_couple') AS intimate,
           EXISTS (SELECT 1 FROM cases_caseparticipant k
                   WHERE k.case_id = c.id AND k.role = 'child') AS child,
           draw.injury, draw.recorded, draw.forms
    FROM intake_report x
    JOIN cases_case c ON c.id = x.case_id
    LEFT JOIN (SELECT * FROM unnest(%(refnis)s::text[], %(postcodes)s::text[])
               AS t(refnis, postcode)) places ON places.refnis = c.municipality
    JOIN LATERAL (
        SELECT random() < 0.45 + 0 * x.id AS injury, random() < 0.87 + 0 * x.id AS recorded,
               (SELECT COALESCE(jsonb_agg(f.code ORDER BY f.n), '["verbal"]'::jsonb)
                FROM unnest(%(codes)s::text[], %(official)s::float[], %(information)s::float[])
                     WITH ORDINALITY AS f(code, official, information, n)
                WHERE random() < CASE WHEN x.kind = 'official' THEN f.official
                                      ELSE f.information END + 0 * x.id) AS forms) draw ON true
) d
WHERE d.id = r.id
"""

INSERT_ENTRIES = """
INSERT INTO justice_entry (agency_id, report_id, received_at, section_id, reader_id, due_on,
                           decision, measures, other_measure, decided_at, decided_by_id, note)
SELECT r.forwarded_to_id, r.id, got.at, %(section)s, %(reader)s,
       (got.at + interval '30 days')::date,
       CASE WHEN got.at < now() - interval '25 days' THEN 'closed' ELSE '' END, '[]'::jsonb, '',
       CASE WHEN got.at < now() - interval '25 days' THEN got.at + interval '10 days' END,
       CASE WHEN got.at < now() - interval '25 days' THEN %(reader)s END, ''
FROM intake_report r
JOIN LATERAL (SELECT CASE WHEN random() < 0.55 + 0 * r.id THEN r.forwarded_at
                          ELSE LEAST(r.forwarded_at + (1 + floor(random() * 4)) * interval '1 day',
                                     now()) END AS at) got ON true
WHERE r.forwarded_to_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM justice_entry e WHERE e.report_id = r.id)
"""


def run(sql: str, params: dict, label: str) -> int:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    print(f"  {label}: {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    return rows


def scalar(sql: str, params: tuple = ()) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000,
                        help="reports (incidents) the database should hold (default 1,000,000)")
    parser.add_argument("--seed", type=float, default=0.17, help="setseed() value (-1..1)")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("figures_fill.py writes PostgreSQL SQL: set DATABASE_URL.")
    office = scalar("SELECT id FROM accounts_agency WHERE kind = %s ORDER BY id LIMIT 1",
                    (AgencyKind.PROSECUTOR,))
    section, reader = (scalar("SELECT section_id FROM justice_entry LIMIT 1"),
                       scalar("SELECT reader_id FROM justice_entry WHERE reader_id IS NOT NULL "
                              "LIMIT 1"))
    refnis = sorted(set(JurisdictionMunicipality.objects.values_list("refnis", flat=True)))
    present = scalar("SELECT count(*) FROM intake_report")
    print(f"{present:,} reports; office {office}, section {section}, reader {reader}; "
          f"municipalities {refnis}", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        scalar("SELECT setseed(%s)", (options.seed,))
        missing = max(0, options.reports - present)
        if missing:
            run(INSERT_REPORTS, {"information": INFORMATION_SHARE_OF_NEW, "office": office,
                                 "missing": missing}, "reports added")
        run(COMPLETE_REPORTS, {
            "refnis": refnis, "postcodes": [postcode_of(code) for code in refnis],
            "codes": [f[0] for f in FORMS], "official": [f[1] for f in FORMS],
            "information": [f[2] for f in FORMS]}, "reports completed")
        run(INSERT_ENTRIES, {"section": section, "reader": reader}, "entries added")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE intake_report")
        cursor.execute("ANALYZE justice_entry")
    reports = scalar("SELECT count(*) FROM intake_report")
    entries = scalar("SELECT count(*) FROM justice_entry")
    print(f"done in {time.perf_counter() - started:.1f} s: {reports:,} reports, "
          f"{entries:,} entries", flush=True)


if __name__ == "__main__":
    main()
