"""The public appeal page carries the appeal itself: its sections, in the reader's language
when that language has been issued, else in the original, and never an unpublished text."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from appeals.models import Appeal, AppealVersion
from tests.factories import AddresseeFactory, AppealFactory, AppealTextFactory

pytestmark = pytest.mark.django_db

ENGLISH = {
    "language": "en",
    "title": "Kyrgyzstan: meeting of the Coalition against Torture disrupted",
    "summary": "On 23 May 2019 a nationalist group broke up the meeting.",
    "concerns": "We fear these acts aim to silence defenders.",
    "actions_requested": "Guarantee the safety of the members\nInvestigate the attack",
    "model_letter": "Dear Minister,\n\nWe are writing to you about the Coalition.",
}


def issue(appeal: Appeal, language: str, number: int = 1) -> AppealVersion:
    """A ready PDF of the appeal in ``language``: what makes that language published."""
    return AppealVersion.objects.create(
        appeal=appeal,
        language=language,
        number=number,
        file_name=f"appeals/{appeal.pk}-{language}-{number}.pdf",
        content_hash="0" * 64,
        sha256=f"{number:064x}",
        size=1000,
        page_count=1,
        ready_at=timezone.now(),
    )


def page(client, appeal: Appeal, language: str) -> str:
    with translation.override(language):
        url = appeal.get_public_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def headings(html: str) -> list[str]:
    return re.findall(r"<(h[1-6])\b", html.split('id="main"', 1)[1])


def test_the_page_carries_every_section_of_the_appeal(client):
    appeal = AppealFactory(
        published=True,
        original_language="en",
        text=ENGLISH | {"background": "The Coalition was founded in 2008."},
        deadline=datetime.date(2030, 6, 30),
    )
    minister = AddresseeFactory(
        name="Ulan Niyazbekov", postal_address="Frunze Street 469\nBishkek 720040"
    )
    appeal.addressee_links.create(addressee=minister, position=1)
    issue(appeal, "en")

    html = page(client, appeal, "en")

    for words in (
        ENGLISH["title"],
        ENGLISH["summary"],
        ENGLISH["concerns"],
        "The Coalition was founded in 2008.",
        "Ulan Niyazbekov",
        "Frunze Street 469<br>Bishkek 720040",
        "We are writing to you about the Coalition.",
        "Please act before June 30, 2030.",
    ):
        assert words in html, words
    assert '<li dir="ltr">Guarantee the safety of the members</li>' in html
    assert '<li dir="ltr">Investigate the attack</li>' in html
    # One h1, the sections as h2 after it, the download table's heading last.
    found = headings(html)
    assert found[0] == "h1" and found.count("h1") == 1 and set(found[1:]) == {"h2"}
    assert len(found) >= 8
    assert appeal.reference in html
    assert "/appeals/" in html and ".pdf" in html  # the PDF is still to be had


def test_the_text_is_in_the_readers_language_when_that_language_is_issued(client):
    appeal = AppealFactory(published=True)  # in French
    AppealTextFactory(appeal=appeal, **ENGLISH)
    issue(appeal, "fr")
    issue(appeal, "en")

    english = page(client, appeal, "en")
    french = page(client, appeal, "fr")

    assert '<div class="appeal-text mb-4" lang="en" dir="ltr">' in english
    assert ENGLISH["summary"] in english
    assert "Le 23 mai 2019" not in english
    assert '<div class="appeal-text mb-4" lang="fr" dir="ltr">' in french
    assert "Le 23 mai 2019" in french
    assert ENGLISH["summary"] not in french


def test_a_translation_not_yet_issued_never_shows(client):
    appeal = AppealFactory(published=True)  # in French, issued in French only
    AppealTextFactory(appeal=appeal, **ENGLISH | {"summary": "Unreviewed draft translation."})
    issue(appeal, "fr")

    html = page(client, appeal, "en")

    assert "Unreviewed draft translation." not in html
    assert "Le 23 mai 2019" in html
    assert 'lang="fr"' in html
    assert "shown in French" in html


def test_a_draft_appeal_shows_nothing(client):
    appeal = AppealFactory(text={"summary": "Texte encore en brouillon."})
    appeal.reference_slug = "kgz-099-0101"
    appeal.save()

    response = client.get("/fr/appeals/kgz-099-0101/")

    assert response.status_code == 404
    assert "Texte encore en brouillon." not in response.content.decode()


def test_an_arabic_appeal_is_right_to_left_and_an_english_paragraph_left_to_right(client):
    appeal = AppealFactory(
        published=True,
        original_language="ar",
        text={
            "language": "ar",
            "title": "قيرغيزستان: تعطيل اجتماع التحالف ضد التعذيب",
            "summary": (
                "في 23 مايو 2019 عطلت مجموعة قومية اجتماعا.\n\nThe incident took place in Bishkek."
            ),
        },
    )
    issue(appeal, "ar")

    html = page(client, appeal, "ar")

    assert '<div class="appeal-text mb-4" lang="ar" dir="rtl">' in html
    assert '<h1 lang="ar" dir="rtl">' in html
    assert '<p dir="rtl">في 23 مايو 2019 عطلت مجموعة قومية اجتماعا.</p>' in html
    # Isolated in its own direction, the full stop stays after "Bishkek".
    assert '<p dir="ltr">The incident took place in Bishkek.</p>' in html


def test_dates_on_the_arabic_appeal_page_read_as_on_the_arabic_case_page(client):
    appeal = AppealFactory(published=True)
    version = issue(appeal, "fr")
    with translation.override("ar"):
        made_on = date_format(timezone.localtime(version.created_at), "DATE_FORMAT")
        issued_on = date_format(appeal.issued_on, "DATE_FORMAT")
        case_url = appeal.incident.get_absolute_url()

    html = page(client, appeal, "ar")
    case_page = client.get(case_url).content.decode()

    # "8 ديسمبر، 2026", the day first, as the case page shows the same version.
    assert f">{made_on}</time>" in html
    assert f">{made_on}</time>" in case_page
    assert issued_on in html
    # Not Django's fallback date-and-time pattern for Arabic ("ديسمبر 8, 2026, 1:47 ص").
    with translation.override("ar"):
        stamp = date_format(timezone.localtime(version.created_at), "DATETIME_FORMAT")
    assert stamp not in html


def test_the_follow_up_chain_is_linked_both_ways(client):
    original = AppealFactory(published=True)
    issue(original, "fr")
    follow_up = AppealFactory(
        published=True, incident=original.incident, follows=original, kind="new_information"
    )

    original_page = page(client, original, "fr")
    follow_up_page = page(client, follow_up, "fr")

    assert follow_up.get_public_url().removeprefix("/fr") in original_page
    assert follow_up.reference in original_page
    assert original.reference in follow_up_page
