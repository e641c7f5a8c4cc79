"""Appeal PDFs a screen reader can read: tagged PDF/UA-1, with the template's headings,
paragraphs and lists as the structure tree, and paragraphs that keep their own direction."""

import io
import re

import pytest
from pypdf import PdfReader

from appeals.rendering import printable_appeal, render_pdf
from tests.factories import AddresseeFactory, AppealFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": {
        "title": "Kyrgyzstan: meeting of the Coalition against Torture disrupted",
        "summary": "On 23 May 2019 a nationalist group broke up the meeting in Bishkek.",
        "concerns": "We fear these acts aim to silence human rights defenders.",
        "actions_requested": "Guarantee the safety of the Coalition's members\nInvestigate",
    },
    "ru": {
        "title": "Кыргызстан: сорвано собрание Коалиции против пыток",
        "summary": "23 мая 2019 года члены националистического движения сорвали встречу.",
        "concerns": "Мы опасаемся, что эти действия направлены против правозащитников.",
        "actions_requested": "Обеспечить безопасность членов Коалиции\nРасследовать нападение",
    },
    "ar": {
        "title": "قيرغيزستان: تعطيل اجتماع التحالف ضد التعذيب",
        "summary": "في 23 مايو 2019 عطلت مجموعة قومية اجتماعا في بيشكيك.",
        "concerns": "نخشى أن تهدف هذه الأعمال إلى إسكات المدافعين.",
        "actions_requested": "ضمان سلامة أعضاء التحالف\nالتحقيق في الهجوم",
    },
}


def rendered(language: str, **text) -> bytes:
    appeal = AppealFactory(
        published=True,
        original_language=language,
        text={**TEXTS[language], "language": language, **text},
    )
    appeal.addressee_links.create(addressee=AddresseeFactory(name="Sadyr Japarov"), position=1)
    return render_pdf(printable_appeal(appeal, language)).content


def structure_types(element, found=None) -> list[str]:
    """The structure types (/H1, /P, /L...) under ``element``, in reading order."""
    found = [] if found is None else found
    element = element.get_object()
    if "/S" in element:
        found.append(str(element["/S"]))
    kids = element.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        # Marked-content ids (integers) and annotation references end the walk.
        if hasattr(kid, "get") and kid.get("/Type") != "/OBJR":
            structure_types(kid, found)
    return found


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_pdf_is_tagged_with_headings_paragraphs_and_lists(language):
    reader = PdfReader(io.BytesIO(rendered(language)))
    catalog = reader.trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    types = structure_types(catalog["/StructTreeRoot"])
    assert types[0] == "/Document"
    assert types.count("/H1") == 1
    assert types.count("/H2") >= 4  # summary, concerns, actions, addresses
    assert types.index("/H1") < types.index("/H2")
    assert "/P" in types
    # The requested actions are a list a reader can count: an item per action.
    assert "/L" in types and types.count("/Lbl") == 2
    # PDF/UA-1 says so in the document's metadata.
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()


def test_an_english_paragraph_in_an_arabic_appeal_ends_with_its_full_stop():
    english = "The incident took place in Bishkek on 23 May."
    reader = PdfReader(io.BytesIO(rendered("ar", situation=english)))

    text = "\n".join(page.extract_text() for page in reader.pages)
    # Laid out right to left, the full stop landed before "The"; in its own direction
    # the sentence reads as written.
    assert re.search(r"The incident took place in Bishkek on 23 May\.", text), text
    assert not re.search(r"\.\s*The incident", text)
