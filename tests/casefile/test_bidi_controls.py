"""Direction control characters cannot spoof what a title says or reorder what follows a text.

U+202E RIGHT-TO-LEFT OVERRIDE makes "Report \u202eTXT.EXE" display as "Report EXE.TXT".
One-line fields refuse the nine embedding, override and isolate characters; long texts keep
them but are closed at their end on every page, feed and PDF.
"""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from appeals.forms import AddresseeForm
from appeals.rendering import printable_appeal, render_pdf
from casefile.text import close_bidi_controls
from incidents.forms import IncidentForm
from incidents.models import Incident
from organizations.forms import OrganizationQuickForm
from tests.api.conftest import token_client
from tests.factories import AppealFactory, IncidentFactory, UpdateFactory
from tests.incidents.test_forms import incident_data

pytestmark = pytest.mark.django_db

CONTROLS = [
    "\u202a",  # LEFT-TO-RIGHT EMBEDDING
    "\u202b",  # RIGHT-TO-LEFT EMBEDDING
    "\u202c",  # POP DIRECTIONAL FORMATTING
    "\u202d",  # LEFT-TO-RIGHT OVERRIDE
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2067",  # RIGHT-TO-LEFT ISOLATE
    "\u2068",  # FIRST STRONG ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
]
RLO, PDF, PDI = "\u202e", "\u202c", "\u2069"
SPOOF = f"Report {RLO}TXT.EXE"


def named(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char)}"


@pytest.mark.parametrize("char", CONTROLS, ids=named)
def test_the_incident_form_refuses_each_control_in_a_title_naming_it(editor, char):
    form = IncidentForm(
        incident_data(title=f"Seminar {char}broken up"), instance=Incident(), user=editor
    )

    assert not form.is_valid()
    assert named(char) in form.errors["title"][0]
    assert "Remove the invisible direction control character" in form.errors["title"][0]


@pytest.mark.parametrize("char", CONTROLS, ids=named)
def test_the_api_refuses_each_control_in_a_title(editor, char):
    response = token_client(editor).post(
        "/api/v1/incidents/",
        {
            "title": f"Journalist {char}detained",
            "summary": "Détenu après un reportage.",
            "occurred_on": "2024-03-02",
            "country": "KG",
            "status": "arbitrary-detention",
        },
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert named(char) in response.json()["errors"]["title"][0]
    assert not Incident.objects.exists()


def test_names_of_organizations_and_addressees_refuse_an_override():
    organization = OrganizationQuickForm({"name": f"Coalition {RLO}ROTARTSINIMDA"})
    addressee = AddresseeForm({"name": f"Minister {RLO}gnoW", "country": "KG"})

    assert named(RLO) in organization.errors["name"][0]
    assert named(RLO) in addressee.errors["name"][0]


def test_right_to_left_text_and_invisible_marks_stay_allowed(editor):
    title = "قيرغيزستان: تعطيل اجتماع \u200fKGZ 001\u200f"
    form = IncidentForm(incident_data(title=title), instance=Incident(), user=editor)

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("plain", "plain"),
        (SPOOF, SPOOF + PDF),
        (f"a\u2067b{RLO}c", f"a\u2067b{RLO}c{PDF}{PDI}"),  # innermost first
        (f"{RLO}x{PDF} y", f"{RLO}x{PDF} y"),  # already closed
        (f"\u2066{RLO}x{PDI} y", f"\u2066{RLO}x{PDI} y"),  # the isolate's pop closes both
        (f"{PDF}{PDI}x", f"{PDF}{PDI}x"),  # unmatched pops open nothing
        (f"\u2067{PDF}x", f"\u2067{PDF}x{PDI}"),  # a pop formatting cannot close an isolate
    ],
)
def test_long_texts_get_what_they_leave_open_closed_at_their_end(text, closed):
    assert close_bidi_controls(text) == closed


def test_an_override_in_a_summary_is_closed_on_the_public_and_staff_pages(
    client, researcher_client
):
    incident = IncidentFactory(
        published=True,
        title="Seminar broken up in Osh",
        summary=SPOOF,
        narrative=f"Narrative {RLO}one\n\nTwo",
    )
    UpdateFactory(incident=incident, body=f"Update {RLO}body")

    page = client.get(incident.get_absolute_url()).text
    assert f"{SPOOF}{PDF}</p>" in page
    assert f"Two{PDF}</p>" in page
    assert f"Update {RLO}body{PDF}</p>" in page
    assert f"{SPOOF}{PDF}</p>" in client.get("/en/cases/").text
    feed = client.get("/en/cases/feed/").content.decode()
    assert f"{SPOOF}{PDF}".replace(" ", "") in feed.replace(" ", "")
    staff = researcher_client.get(incident.get_staff_url()).text
    assert f"{SPOOF}{PDF}</p>" in staff


def test_an_override_in_an_appeal_section_is_closed_in_the_pdf():
    appeal = AppealFactory(
        published=True,
        text={"summary": SPOOF, "situation": "Les membres de la Coalition ont été menacés."},
    )

    printable = printable_appeal(appeal, "fr")
    assert f"{SPOOF}{PDF}</p>" in printable.html
    reader = PdfReader(io.BytesIO(render_pdf(printable).content))
    text = " ".join(page.extract_text() for page in reader.pages)
    # The override reverses its own words only; the next section reads in its order.
    assert "Les membres de la Coalition ont été menacés." in " ".join(text.split())
