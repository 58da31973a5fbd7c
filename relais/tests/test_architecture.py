"""The shape of the code, checked by reading it: one home for every access rule, every refusal
the same 404, and imports that point down.

- No role or agency-kind test outside ``relais/access/``: apps call the policy. A line that
  must test one for another reason (addressing a task to a role, the agency a report goes to)
  says why with a ``# not access: ...`` comment.
- No ``raise PermissionDenied`` anywhere: missing and forbidden both answer 404.
- ``core`` imports no feature app; ``access`` imports only the models (and the timeline
  writer, the instruments' data) of the apps it rules; ``audit`` imports no policy; and no
  module imports itself back through others.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the relais package

# A role or agency-kind test: has_role(), the actor's roles intersected or searched, the reach
# of roles, an agency's kind compared, the perpetrator-programme flag.
ROLE_OR_KIND_TEST = re.compile(
    r"has_role\(|\broles\s*&|&\s*\w+\.roles\b|\bin\s+actor\.roles\b|\.roles\.intersection"
    r"|reach_of\(|\bReach\.|(==|!=)\s*AgencyKind\.|AgencyKind\.\w+\s*(==|!=)"
    r"|agency\.kind\s+(not\s+)?in\b|is_perpetrator_programme")
EXEMPT_MARK = "# not access:"
# Whole modules outside the policy that may test roles or agency kinds, and why.
EXEMPT_MODULES = {
    "core/actor.py": "defines Actor.has_role, the primitive the policy uses",
    "accounts/models.py": "defines Agency.is_perpetrator_programme on its own field",
}
# Demo loaders fill fictitious agencies by kind: they decide no access.
EXEMPT_PARTS = ("tests", "migrations", "demo")


def _modules() -> list[Path]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if any(part in EXEMPT_PARTS for part in rel.parts) or rel.name in ("conftest.py",
                                                                             "demo.py"):
            continue
        out.append(path)
    return out


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_role_or_agency_kind_test_outside_the_access_policy():
    found = []
    for path in _modules():
        rel = _rel(path)
        if rel.startswith("access/") or rel in EXEMPT_MODULES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ROLE_OR_KIND_TEST.search(line) and EXEMPT_MARK not in line:
                found.append(f"relais/{rel}:{number}: {line.strip()}")
    assert not found, ("Role or agency-kind tests belong in relais/access/ (or say why with "
                       f"'{EXEMPT_MARK} ...'):\n" + "\n".join(found))


def test_no_refusal_other_than_404():
    found = [f"relais/{_rel(path)}:{number}"
             for path in _modules()
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if re.search(r"\braise\s+PermissionDenied\b", line)]
    assert not found, "Refuse with Http404, never PermissionDenied:\n" + "\n".join(found)


def _imports() -> dict[str, set[str]]:
    """Module -> the relais modules it imports (top level and inside functions)."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or "tests" in rel.parts or rel.name == "conftest.py":
            continue
        name = ".".join(("relais", *rel.with_suffix("").parts)).removesuffix(".__init__")
        modules[name] = path
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.startswith("relais"):
                for target in (node.module, *(f"{node.module}.{a.name}" for a in node.names)):
                    if target in modules and target != name:
                        edges[name].add(target)
            elif isinstance(node, ast.Import):
                edges[name].update(a.name for a in node.names if a.name in modules)
    return {name: edges[name] for name in modules}


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


PLATFORM = {"core", "accounts", "audit", "access"}


def test_core_imports_no_feature_app():
    allowed = {"core", "accounts", "audit"}
    bad = [f"{m} -> {t}" for m, targets in _imports().items() if _app(m) == "core"
           for t in targets if _app(t) not in allowed and t != "relais.access.scopes"]
    assert not bad, "core must not import feature apps:\n" + "\n".join(sorted(bad))


def test_the_policy_imports_only_models_of_the_apps_it_rules():
    allowed_modules = {"relais.cases.timeline", "relais.risk.instruments"}
    bad = []
    for module, targets in _imports().items():
        if _app(module) != "access":
            continue
        for target in targets:
            if _app(target) in PLATFORM or target in allowed_modules:
                continue
            if not target.endswith(".models"):
                bad.append(f"{module} -> {target}")
    assert not bad, "relais.access imports only models of other apps:\n" + "\n".join(bad)


def test_audit_imports_no_policy():
    bad = [f"{m} -> {t}" for m, targets in _imports().items() if _app(m) == "audit"
           for t in targets if _app(t) == "access"]
    assert not bad, "\n".join(bad)


def test_no_import_cycle_between_modules():
    edges = _imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_no_module_over_the_size_limit():
    """Split before it hurts: a module heading past ~800 lines becomes a package."""
    big = [f"relais/{_rel(p)}: {n}" for p in ROOT.rglob("*.py")
           if "migrations" not in p.parts
           and (n := len(p.read_text().splitlines())) > 800]
    assert not big, "\n".join(big)
