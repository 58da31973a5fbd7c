"""The rules file: which steps need approval, per agency kind; checked at start."""

from __future__ import annotations

import pytest

from relais.approvals.rules import approval_rules, load_rules
from relais.approvals.steps import HANDLERS, STEPS
from relais.core.datafiles import DataFileError


def write(tmp_path, body: str):
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """version: 2
steps:
  - code: case_close_high_risk
    approver: supervisor
kinds:
  police_zone: [case_close_high_risk]
"""


def test_the_shipped_rules_load_and_say_what_needs_approval():
    rules = approval_rules()
    assert rules.version == 3
    assert rules.needs_approval("police_zone", "case_close_high_risk")
    assert rules.needs_approval("prosecutor", "case_merge")
    assert rules.needs_approval("police_zone", "family_file_continue")
    assert rules.needs_approval("victim_support", "consent_override")
    assert rules.needs_approval("police_zone", "record_delete")
    assert not rules.needs_approval("helpline", "case_close_high_risk")
    assert rules.approver("risk_lower_level") == "colleague"
    assert rules.approver("case_close_high_risk") == "supervisor"


def test_the_wired_steps_have_their_handler():
    assert {"case_close_high_risk", "risk_lower_level", "case_merge", "family_file_continue",
            "consent_override", "record_delete"} <= set(HANDLERS) <= set(STEPS)


def test_a_good_file_loads(tmp_path):
    rules = load_rules(write(tmp_path, GOOD))
    assert rules.version == 2 and rules.by_kind == {"police_zone": {"case_close_high_risk"}}


@pytest.mark.parametrize(("body", "line", "message"), [
    (GOOD.replace("version: 2\n", ""), None, "'version' is missing"),
    (GOOD.replace("case_close_high_risk\n    approver", "close_all\n    approver"), 3,
     "'code' must be one of"),
    (GOOD.replace("approver: supervisor", "approver: anyone"), 4, "'approver' must be one of"),
    (GOOD.replace("police_zone:", "police_station:"), 6, "unknown agency kind"),
    (GOOD.replace("police_zone: [case_close_high_risk]", "police_zone: [case_merge]"), 6,
     "unknown step 'case_merge'"),
    (GOOD + "colour: blue\n", 7, "unknown key 'colour'"),
    (GOOD.replace("kinds:", "kinds: [oops"), 6, "is not valid YAML"),
])
def test_a_bad_file_names_the_file_and_the_line(tmp_path, body, line, message):
    path = write(tmp_path, body)
    with pytest.raises(DataFileError) as raised:
        load_rules(path)
    assert str(path) in str(raised.value) and message in str(raised.value)
    if line:
        assert f"line {line}" in str(raised.value)


def test_a_kind_may_not_need_a_step_no_app_carries_out(tmp_path):
    from relais.approvals.rules import check_handlers

    path = write(tmp_path, GOOD.replace("police_zone: [case_close_high_risk]",
                                        "police_zone: [case_close_high_risk, case_merge]")
                 .replace("kinds:", "  - code: case_merge\n    approver: supervisor\nkinds:"))
    rules = load_rules(path)
    with pytest.raises(DataFileError) as raised:
        check_handlers(rules, {"case_close_high_risk"})
    assert f"{path}, line 8" in str(raised.value) and "case_merge" in str(raised.value)
    check_handlers(rules, {"case_close_high_risk", "case_merge"})


def test_every_step_the_shipped_file_needs_is_carried_out():
    from relais.approvals.rules import check_handlers

    check_handlers(approval_rules(), HANDLERS)  # what the start checks, stated
