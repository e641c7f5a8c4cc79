"""Imports point one way: each package may use its own floor and the floors below it.

The floors are drawn in docs/architecture.md. A lower app that needs something from a higher
one (the organization page listing cases, the case list filtering on appeals) gets it through
a hook the higher app registers, never by importing it; see the document for the hooks.

The check reads the source with ``ast``, so it sees every import: at the top of a module,
inside a function, under ``if TYPE_CHECKING``. It also reads the two ways a module can name
another app's model without importing it: ``apps.get_model("app", ...)`` and a model field
pointing at ``"app.Model"`` (first argument or ``to=``). Migrations are left out: Django
writes them, and a migration may depend on any app's schema.

Templates keep to the floors too. A template in ``templates/<app>/`` belongs to that app; it
may not include or extend a template of a higher app, name a higher app's URL (in ``{% url %}``
or as a name handed to an included template) nor read a higher app's permissions
(``perms.appeals.``). A higher app fills a lower app's page through its template tags and
the hooks it registers. The templates at the top of ``templates/`` (``base.html``, the error
pages, ``_breadcrumbs.html``) are the site's frame, which every page is drawn in: like
config/urls.py, they may name every app, and every app may use them.
"""

from __future__ import annotations

import ast
import re
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


def _related_model(node: ast.AST) -> list[str]:
    """The app of a relation given as ``to="app.Model"``."""
    if not isinstance(node, ast.Call):
        return []
    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
    if name not in RELATION_FIELDS:
        return []
    return [
        keyword.value.value.split(".")[0]
        for keyword in node.keywords
        if keyword.arg == "to"
        and isinstance(keyword.value, ast.Constant)
        and isinstance(keyword.value.value, str)
        and "." in keyword.value.value
    ]


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
                for name in _named_packages(node, package) + _related_model(node):
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
    "lazy relation by keyword": "x = models.ManyToManyField(to='appeals.Appeal')\n",
    "one-to-one by keyword": "x = models.OneToOneField(on_delete=None, to='incidents.Incident')\n",
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


# Templates

# Folders of templates/ not named after their app.
TEMPLATE_FOLDERS = {
    "audit": "casefile",  # casefile.audit, whose app label is "audit"
    "account": "accounts",  # allauth's pages, as the accounts app draws them
    "allauth": "accounts",
}
# App labels (in ``perms.<label>.``) not named after their package.
APP_LABELS = {"audit": "casefile"}

_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
_TAG = re.compile(r"\{%\s*(\w+)(.*?)%\}")
_STRING = re.compile(r"""(["'])(.*?)\1""")
_URL_NAME = re.compile(r"^[\w-]+(?::[\w-]+)+$")
_PERMS = re.compile(r"\bperms\.(\w+)")


def template_floor(name: str) -> str | None:
    """The app a template belongs to, by its folder; None for the site's frame."""
    folder, slash, _rest = name.partition("/")
    if not slash:
        return None
    return TEMPLATE_FOLDERS.get(folder, folder)


def _assigned(statement: ast.stmt) -> set[str]:
    """The names a module-level statement assigns."""
    if isinstance(statement, ast.Assign):
        return {getattr(target, "id", "") for target in statement.targets}
    if isinstance(statement, ast.AnnAssign | ast.AugAssign):
        return {getattr(statement.target, "id", "")}
    return set()


def url_owners(root: Path, floors: tuple[str, ...] = FLOORS) -> dict[str, str]:
    """URL namespaces (``"appeals:"``) and names outside any namespace (``"login"``), each
    with the app whose URLconf declares it. Names from other packages (allauth, the admin)
    are no app's.

    In a module with an ``app_name``, ``urlpatterns`` is the namespace; its other lists of
    patterns (accounts' allauth pages) are included bare.
    """
    owners: dict[str, str] = {}
    for package in floors:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            namespace = next(
                (
                    statement.value.value
                    for statement in tree.body
                    if "app_name" in _assigned(statement)
                    and isinstance(statement.value, ast.Constant)
                ),
                None,
            )
            if namespace:
                owners.setdefault(f"{namespace}:", package)
            for statement in tree.body:
                if namespace and "urlpatterns" in _assigned(statement):
                    continue
                for node in ast.walk(statement):
                    name = getattr(node, "func", None)
                    name = getattr(name, "id", None) or getattr(name, "attr", None)
                    if name not in {"path", "re_path"}:
                        continue
                    for keyword in node.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            owners.setdefault(keyword.value.value, package)
    return owners


def _url_owner(name: str, owners: dict[str, str]) -> str | None:
    if ":" in name:
        return owners.get(name.split(":")[0] + ":")
    return owners.get(name)


def _template_uses(tag: str, arguments: str, owners: dict[str, str]):
    """(what, app) for every template and URL name a template tag names."""
    strings = [match.group(2) for match in _STRING.finditer(arguments)]
    first = arguments.split()[0] if arguments.split() else ""
    if tag in {"include", "extends"} and first[:1] in {'"', "'"} and strings:
        name = strings.pop(0).partition("#")[0]
        yield f"template {name}", template_floor(name)
    if tag == "url" and first[:1] in {'"', "'"} and strings:
        name = strings.pop(0)
        yield f"URL {name}", _url_owner(name, owners)
    # A URL name handed on, as in {% include "..._translations.html" with url_name="x:y" %}.
    for string in strings:
        if _URL_NAME.match(string):
            yield f"URL {string}", _url_owner(string, owners)


def upward_template_uses(root: Path, floors: tuple[str, ...] = FLOORS) -> list[UpwardImport]:
    """Every place where a template of one app uses a template, a URL or a permission of an
    app on a higher floor."""
    height = {package: floor for floor, package in enumerate(floors)}
    owners = url_owners(root, floors)
    templates = root / "templates"
    found = []
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        name = path.relative_to(templates).as_posix()
        app = template_floor(name)
        if app is None:
            continue
        # Comments are blanked, their lines kept, so line numbers stay right.
        source = _COMMENT.sub(
            lambda match: "\n" * match.group(0).count("\n"), path.read_text(encoding="utf-8")
        )
        uses = [
            (match.start(), what, target)
            for match in _TAG.finditer(source)
            for what, target in _template_uses(match.group(1), match.group(2), owners)
        ]
        uses += [
            (match.start(), match.group(0), APP_LABELS.get(match.group(1), match.group(1)))
            for match in _PERMS.finditer(source)
        ]
        for start, what, target in sorted(uses):
            if height.get(target, -1) > height.get(app, len(floors)):
                line = source.count("\n", 0, start) + 1
                found.append(UpwardImport(f"templates/{name}", line, what))
    return found


def test_no_template_uses_a_higher_floor():
    found = upward_template_uses(ROOT)
    assert not found, "Templates against the floors (docs/architecture.md):\n" + "\n".join(
        map(str, found)
    )


def test_every_template_folder_is_on_a_floor():
    folders = {
        TEMPLATE_FOLDERS.get(path.name, path.name)
        for path in (ROOT / "templates").iterdir()
        if path.is_dir()
    }
    assert folders <= set(FLOORS), (
        f"Name the app of templates/{sorted(folders - set(FLOORS))} in TEMPLATE_FOLDERS."
    )


def test_url_owners_are_read_from_the_urlconfs():
    owners = url_owners(ROOT)

    assert owners["incidents:"] == "incidents"
    assert owners["appeal_files:"] == "appeals"
    assert owners["audit:"] == "casefile"
    assert owners["login"] == "accounts"
    assert owners["set_language"] == "config"


PLANTED_IN_TEMPLATES = {
    "include": '{% include "incidents/public/case_list.html#case-card" %}',
    "extends": "{% extends 'appeals/staff/detail.html' %}",
    "url": "<a href=\"{% url 'appeals:create' incident.pk %}\">",
    "url stored": "{% url 'incidents:dashboard' as home %}",
    "url outside a namespace": "{% url 'case_feed' %}",
    "url handed on": '{% include "organizations/_t.html" with url_name="incidents:translate" %}',
    "permission": "{% if perms.appeals.add_appeal %}",
    "permission shown": "{{ perms.incidents }}",
}


@pytest.mark.parametrize("source", PLANTED_IN_TEMPLATES.values(), ids=PLANTED_IN_TEMPLATES.keys())
def test_a_planted_upward_template_use_is_found(tmp_path, source):
    for package in FLOORS:
        (tmp_path / package).mkdir()
    (tmp_path / "incidents" / "urls.py").write_text('app_name = "incidents"\n')
    (tmp_path / "incidents" / "feed_urls.py").write_text(
        'urlpatterns = [path("feed/", feed, name="case_feed")]\n'
    )
    (tmp_path / "appeals" / "urls.py").write_text('app_name = "appeals"\n')
    templates = tmp_path / "templates"
    for folder in ("organizations", "appeals", "audit"):
        (templates / folder).mkdir(parents=True)
    (templates / "organizations" / "planted.html").write_text(
        "{% extends \"base.html\" %}{% load i18n incidents %}{% url 'organizations:x' %}\n"
        "{# perms.appeals and {% url 'appeals:create' %} in a comment #}\n"
        "{% comment %}\n{% include 'appeals/x.html' %}\n{% endcomment %}\n"
        f"{{% url 'mfa_index' %}}{{% translate 'Note: appeals:x' %}}\n{source}\n"
    )
    (templates / "appeals" / "fine.html").write_text(
        "{% include 'incidents/x.html' %}{% url 'incidents:list' %}{{ perms.incidents }}\n"
    )
    (templates / "audit" / "fine.html").write_text("{% if perms.audit.view_trail %}\n")
    (templates / "base.html").write_text("{% url 'appeals:create' %}{{ perms.appeals }}\n")

    found = upward_template_uses(tmp_path)

    assert [(item.path, item.line) for item in found] == [
        ("templates/organizations/planted.html", 7)
    ]
