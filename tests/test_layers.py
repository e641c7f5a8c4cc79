"""Imports point one way: each package may use its own floor and the floors below it.

The floors are drawn in docs/architecture.md. A lower app that needs something from a higher
one (the organization page listing cases, the case list filtering on appeals) gets it through
a hook the higher app registers, never by importing it; see the document for the hooks.

The check reads the source with ``ast``, so it sees every import: at the top of a module,
inside a function, under ``if TYPE_CHECKING``. It also reads the two ways a module can name
another app's model without importing it: ``apps.get_model("app", ...)`` and a model field
pointing at ``"app.Model"``. Migrations are left out: Django writes them, and a migration
may depend on any app's schema. Templates are not read (see docs/architecture.md for what
they still share).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first.
FLOORS = (
    "casefile",  # the ground: roles, access, texts, API kit, form kit, workflow, audit trail
    "accounts",  # sign-in, second factor, lockout, API tokens
    "organizations",
    "incidents",
    "appeals",
    "backups",  # copies of the whole database and files
    "config",  # the roof: settings, URLs, the API router, Celery, WSGI
)
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class UpwardImport:
    path: str
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} uses {self.target}"


def _named_packages(node: ast.AST, module_package: str) -> list[str]:
    """The top-level packages an AST node brings in, as dotted names or app labels."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    if isinstance(node, ast.Call):
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        first = node.args[0] if node.args else None
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            return []
        if name == "get_model":
            return [first.value.split(".")[0]]
        if name in RELATION_FIELDS and "." in first.value:
            return [first.value.split(".")[0]]
    return []


def upward_imports(root: Path, floors: tuple[str, ...] = FLOORS) -> list[UpwardImport]:
    """Every place where a package on one floor uses a package on a higher floor."""
    height = {package: floor for floor, package in enumerate(floors)}
    found = []
    for package in floors:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                for name in _named_packages(node, package):
                    target = name.split(".")[0]
                    if height.get(target, -1) > height[package]:
                        found.append(UpwardImport(str(path.relative_to(root)), node.lineno, name))
    return found


def test_no_package_imports_from_a_higher_floor():
    found = upward_imports(ROOT)
    assert not found, "Imports against the floors (docs/architecture.md):\n" + "\n".join(
        map(str, found)
    )


def test_every_python_package_of_the_site_is_on_a_floor():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if (path.parent / "apps.py").exists() or path.parent.name == "config"
    }
    assert apps <= set(FLOORS), f"Put {sorted(apps - set(FLOORS))} on a floor in FLOORS."


PLANTED = {
    "top-level import": "from incidents.models import Incident\n",
    "late import": "def f():\n    import appeals.models\n",
    "type-checking import": "if TYPE_CHECKING:\n    from incidents import roles\n",
    "get_model": "def f(apps):\n    return apps.get_model('appeals', 'Appeal')\n",
    "lazy relation": "x = models.ForeignKey('incidents.Incident', on_delete=None)\n",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_upward_import_is_found(tmp_path, source):
    for package in FLOORS:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "organizations" / "planted.py").write_text(source)
    (tmp_path / "appeals" / "fine.py").write_text("from incidents.models import Incident\n")
    (tmp_path / "organizations" / "migrations").mkdir()
    (tmp_path / "organizations" / "migrations" / "0002.py").write_text("import incidents\n")

    found = upward_imports(tmp_path)

    assert [(item.path, item.line) for item in found] == [
        ("organizations/planted.py", source.count("\n"))
    ]
