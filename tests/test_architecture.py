"""The house has one-way stairs: a module imports only from its own floor or the floors below it.

Floors, bottom to top (docs/architecture.md):

    0  kokportal            base: accounts, base model, audit log, mail, tasks, exports, charts, roles, errors
    1  events               events, programme, quotas, team, organisation types and organisations
    2  participants         profiles, registrations, booking, waiting list, privacy
    3  casework | feedback  workshops, groups and case examples | questionnaires and anonymous answers
    4  events.documents     the documentation PDF and printables of an event

casework and feedback stand side by side on one floor and import nothing from each other. The edges where the
floors meet, as docs/architecture.md explains, are the apps' ``views``, ``admin`` and ``urls`` modules: they may
call the services and selectors of any floor (the event page shows free seats, the event admin shows the seat
overview). Models, services, selectors, permissions, forms, tasks and everything else never import upward. The
composition root (settings, root URLs, the WSGI entry point and the demo data command, which wires every app)
is exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {  # module prefix -> floor; the longest matching prefix wins
    "kokportal": 0,
    "events": 1,
    "participants": 2,
    "casework": 3,
    "casework.feedback": 3,
    "events.documents": 4,
}
SIBLINGS = {("casework", "casework.feedback"), ("casework.feedback", "casework")}
EDGE_MODULES = {"views", "admin", "urls"}
COMPOSITION_ROOT = {
    "kokportal.settings",
    "kokportal.urls",
    "kokportal.wsgi",
    "kokportal.management.commands.seed_demo",
}


def _home(module: str) -> str | None:
    matches = [prefix for prefix in FLOORS if module == prefix or module.startswith(prefix + ".")]
    return max(matches, key=len) if matches else None


def _modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if (
            relative.parts[0] not in {"kokportal", "events", "participants", "casework"}
            or "migrations" in relative.parts
        ):
            continue
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        yield ".".join(parts), path, is_package


def _imports(module: str, path: Path, is_package: bool):
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # "from casework import feedback" imports casework.feedback
                yield (
                    (f"{target}.{alias.name}" if _home(f"{target}.{alias.name}") != _home(target) else target),
                    node.lineno,
                )


def upward_imports() -> list[str]:
    problems = []
    for module, path, is_package in _modules():
        if module in COMPOSITION_ROOT or module.split(".")[-1] in EDGE_MODULES:
            continue
        home = _home(module)
        for target, line in _imports(module, path, is_package):
            target_home = _home(target)
            if target_home is None or target_home == home:
                continue
            if FLOORS[target_home] > FLOORS[home] or (home, target_home) in SIBLINGS:
                problems.append(f"{path.relative_to(ROOT)}:{line} {module} imports {target} ({target_home} is above)")
    return problems


def test_no_module_imports_from_a_floor_above_it():
    assert upward_imports() == []


def test_the_import_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The check is no empty promise: a services module importing from the floor above is reported."""
    package = tmp_path / "events"
    package.mkdir()
    (package / "services.py").write_text("from participants.models import Registration\nfrom .models import Event\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports() == [
        "events/services.py:1 events.services imports participants.models (participants is above)"
    ]
