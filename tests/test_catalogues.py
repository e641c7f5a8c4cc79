"""The French, Russian and Arabic catalogues are complete, current and well-formed.

Complete: every message translated, none fuzzy. Current: extracting the messages from the
source again (``makemessages`` in a copy of the project) finds exactly the messages of the
committed catalogues, so a new ``{% translate %}`` cannot ship untranslated. Well-formed:
every translation keeps its message's placeholders and HTML tags.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
TAG = re.compile(r"</?([a-z]+)")
# Left out of the copy: not source, or not ours.
NOT_SOURCE = (".git", ".venv", "node_modules", "static", "staticfiles", "var", "media")
NOT_SOURCE += ("test-artifacts", "bench", "tests", "locale", "__pycache__", ".ruff_cache")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = catalogue(language)

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_tags(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted_tags = sorted(TAG.findall(entry.msgid))
        wanted = set().union(*(PLACEHOLDER.findall(source) for source in sources))
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave the count out ("one case"); nothing else may go.
            counts = {"%(counter)s", "%(count)s", "%(newest)s", "%(shown)s"}
            missing = wanted - found - (counts & wanted)
            if missing or found - wanted or sorted(TAG.findall(text)) != wanted_tags:
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_the_catalogues_hold_exactly_the_messages_of_the_source(tmp_path):
    if shutil.which("xgettext") is None:
        message = "GNU gettext (xgettext) is needed to extract the messages"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *[f"--locale={c}" for c in LANGUAGES]],
        cwd=copy,
        env={**os.environ, "DEBUG": "true", "SECRET_KEY": "catalogue-check"},
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        extracted = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = catalogue(language)
        new = {key(e) for e in extracted} - {key(e) for e in committed}
        gone = {key(e) for e in committed} - {key(e) for e in extracted}
        assert not new, f"{language}: run scripts/messages and translate {sorted(new)}"
        assert not gone, f"{language}: run scripts/messages to drop {sorted(gone)}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Télécharger l’appel urgent"),
        ("ru", "Скачать срочное обращение"),
        ("ar", "تنزيل النداء العاجل"),
    ],
)
def test_the_compiled_catalogues_are_in_use(language, expected):
    with translation.override(language):
        assert translation.gettext("Download the urgent appeal") == expected


def test_our_russian_summary_overrides_djangos_wrong_sense():
    # Django's own catalogue turns "Summary" into a statistics summary.
    with translation.override("ru"):
        assert translation.gettext("Summary") == "Краткое описание"
