"""A Russian and an Arabic urgent appeal, written in the browser from a French case that is
translated into both: their public page and their PDF hold no word of another language,
except names."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from appeals.models import Appeal, AppealVersion
from incidents.models import IncidentTranslation

from ..factories import AddresseeFactory, IncidentFactory, OrganizationFactory, UserFactory
from .test_file_and_publish import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

LATIN = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
CYRILLIC = re.compile(r"[А-Яа-яЁё]{2,}")
# Names may stay in their own script: the site's, the organization's and the reference's.
# SHA-256 names the checksum of each version, whose hex digits (in <code>) are left out.
NAMES = {"Casefile", "PDF", "KGZ", "SHA"}

CASE = {
    "ru": {
        "title": "Собрание Коалиции против пыток сорвано в Бишкеке",
        "summary": "Группа молодых людей ворвалась на собрание Коалиции и сорвала его.",
        "place": "Бишкек",
    },
    "ar": {
        "title": "تعطيل اجتماع التحالف ضد التعذيب في بيشكيك",
        "summary": "اقتحمت مجموعة من الشباب اجتماع التحالف وأوقفته.",
        "place": "بيشكيك",
    },
}
ADDRESSEE = {
    "ru": {
        "honorific": "Г-н",
        "name": "Садыр Жапаров",
        "position": "Президент",
        "institution": "Администрация Президента Кыргызской Республики",
        "postal_address": "Бишкек, Кыргызстан",
        "salutation": "Уважаемый господин Президент,",
    },
    "ar": {
        "honorific": "السيد",
        "name": "صادر جباروف",
        "position": "الرئيس",
        "institution": "ديوان رئيس جمهورية قيرغيزستان",
        "postal_address": "بيشكيك، قيرغيزستان",
        "salutation": "السيد الرئيس،",
    },
}
ACTIONS = {
    "ru": "Провести беспристрастное расследование.\nГарантировать безопасность правозащитников.",
    "ar": "إجراء تحقيق نزيه.\nضمان سلامة المدافعين عن حقوق الإنسان.",
}


URL = re.compile(r"https?://\S+")


def foreign_words(text, language):
    """Words of ``text`` in a script other than the appeal's, names and addresses (URLs)
    left out."""
    text = URL.sub(" ", text)
    for name in NAMES:
        # Extracted PDF text may run a name into the next word ("CasefileKGZ").
        text = text.replace(name, " ")
    scripts = [LATIN] if language == "ru" else [LATIN, CYRILLIC]
    return sorted({word for script in scripts for word in script.findall(text)})


@pytest.fixture
def case():
    coalition = OrganizationFactory(name="Coalition contre la torture")
    incident = IncidentFactory(
        published=True,
        original_language="fr",
        title="Réunion de la Coalition contre la torture perturbée à Bichkek",
        summary="Des jeunes ont fait irruption dans la réunion de la Coalition.",
        place="Bichkek",
        country="KG",
        organizations=[coalition],
    )
    for language, texts in CASE.items():
        IncidentTranslation.objects.create(incident=incident, language=language, **texts)
        coalition.translations.create(
            language=language,
            name={"ru": "Коалиция против пыток", "ar": "التحالف ضد التعذيب"}[language],
        )
    return incident


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_an_appeal_is_whole_in_its_own_language(page, live_server, screenshot, case, language):
    addressee = AddresseeFactory(country="KG", **ADDRESSEE[language])
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])
    log_in(page, live_server, "ruslan")

    page.goto(f"{live_server.url}/en/staff/incidents/{case.pk}/appeals/new/?language={language}")
    # The case's texts in the appeal's language, never the French original.
    expect(page.locator("#id_title")).to_have_value(CASE[language]["title"])
    expect(page.locator("#id_summary")).to_have_value(CASE[language]["summary"])
    page.locator("#id_deadline").fill("2099-12-31")
    page.locator("#id_actions_requested").fill(ACTIONS[language])
    control = page.locator("#id_addressees-0-addressee-ts-control")
    control.fill(addressee.name)
    page.locator("#id_addressees-0-addressee-ts-dropdown .option").first.click()
    for field in page.locator("textarea[placeholder]").all():
        # A section the case has no text for in this language is left "to write": written
        # here by the staffer, in the appeal's language.
        if not field.input_value():
            field.fill(CASE[language]["summary"])
    screenshot(f"{language}-form")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Appeal saved as a draft.")).to_be_visible()
    appeal = Appeal.objects.get(incident=case)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, publish").click()
    expect(page.get_by_text("Ready to publish")).to_have_count(0)
    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.PUBLISHED, page.content()[:2000]
    page.get_by_role("button", name=re.compile("^Generate PDF")).click()
    status = page.locator(f'[data-render-language="{language}"]')
    expect(status.locator('[data-render-field="state_label"]')).to_have_text("Ready")

    page.goto(f"{live_server.url}/{language}/appeals/{appeal.reference_slug}/")
    screenshot(f"{language}-public-page")
    page_text = page.evaluate(
        "() => { const main = document.querySelector('main').cloneNode(true);"
        " main.querySelectorAll('code').forEach(c => c.remove()); return main.innerText; }"
    )
    version = AppealVersion.objects.ready().get(appeal=appeal, language=language)
    pdf = page.request.get(f"{live_server.url}{version.get_public_url()}")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)

    assert CASE[language]["title"] in page_text
    assert foreign_words(page_text, language) == []
    assert foreign_words(pdf_text, language) == []
