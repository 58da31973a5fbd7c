"""Which steps need a second person's approval, per agency kind: versioned data
(``rules/approval-steps.v1.yaml``), checked when Relais starts (errors name the file and line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from relais.accounts.models import AgencyKind
from relais.approvals.steps import STEPS
from relais.core.datafiles import DataFileError, Reader, load_yaml

APPROVERS = ("supervisor", "colleague")


@dataclass(frozen=True)
class ApprovalRules:
    version: int
    approvers: dict[str, str]  # step -> "supervisor" | "colleague"
    by_kind: dict[str, frozenset[str]]  # agency kind -> steps that need approval there
    path: str = ""
    kind_lines: dict[str, int] = field(default_factory=dict)

    def needs_approval(self, kind: str, step: str) -> bool:
        return step in self.by_kind.get(kind, frozenset())

    def approver(self, step: str) -> str:
        return self.approvers.get(step, "supervisor")


def load_rules(path: Path | str) -> ApprovalRules:
    """Read and check one rules file."""
    root = Reader(path, load_yaml(path))
    root.reject_unknown({"version", "steps", "kinds"})
    version = int(root.number("version", integer=True, minimum=1))
    approvers: dict[str, str] = {}
    for item in root.mappings("steps"):
        item.reject_unknown({"code", "approver"})
        code = item.text("code", choices=tuple(STEPS))
        if code in approvers:
            raise item.error(f"step '{code}' is given twice", "code")
        approvers[code] = item.text("approver", choices=APPROVERS)
    kinds = root.sub("kinds")
    by_kind: dict[str, frozenset[str]] = {}
    for kind, steps in kinds.data.items():
        if kind not in AgencyKind.values:
            raise kinds.error(f"unknown agency kind '{kind}'", kind)
        if not isinstance(steps, list):
            raise kinds.error(f"'{kind}' must be a list of steps", kind)
        for step in steps:
            if step not in approvers:
                raise kinds.error(f"'{kind}': unknown step '{step}' (declare it under steps)",
                                  kind)
        by_kind[kind] = frozenset(steps)
    return ApprovalRules(version=version, approvers=approvers, by_kind=by_kind, path=str(path),
                         kind_lines=dict(getattr(kinds.data, "key_lines", {})))


def check_handlers(rules: ApprovalRules, handlers: Iterable[str]) -> None:
    """Every step a kind needs approval for has its handler (registered by its app): a step
    that could never be carried out would leave requests waiting for ever."""
    known = set(handlers)
    for kind, steps in rules.by_kind.items():
        if missing := sorted(steps - known):
            raise DataFileError(rules.path, rules.kind_lines.get(kind),
                                f"'{kind}': step '{missing[0]}' cannot be approved yet "
                                "(no app carries it out)")


SHIPPED_RULES = Path(__file__).parent / "rules" / "approval-steps.v1.yaml"


@cache
def approval_rules() -> ApprovalRules:
    """The rules in force (``RELAIS_APPROVAL_RULES``, default: ours)."""
    path = Path(getattr(settings, "RELAIS_APPROVAL_RULES", "") or SHIPPED_RULES)
    if not path.exists():
        raise DataFileError(path, None, "the approval rules file is missing")
    return load_rules(path)


def needs_approval(*, agency_kind: str, step: str) -> bool:
    """Whether ``step`` needs a second person's approval in an agency of this kind."""
    return approval_rules().needs_approval(agency_kind, step)
