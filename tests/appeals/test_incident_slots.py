"""What appeals add to the pages and API of cases, a floor below, through incidents.hooks and
their template tags: the staff case page's appeal list, the case list's appeal filters, the
API detail's appeals in the schema. Incidents names none of it."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from ..factories import AppealFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_the_staff_case_page_lists_every_appeal_and_offers_editors_to_write_one(
    client, editor, researcher
):
    incident = IncidentFactory(published=True)
    issued = AppealFactory(incident=incident, published=True)
    draft = AppealFactory(incident=incident)
    write = reverse("appeals:create", kwargs={"incident_pk": incident.pk})

    client.force_login(editor)
    page = client.get(incident.get_staff_url()).text
    client.force_login(researcher)
    read_only = client.get(incident.get_staff_url()).text

    assert f'href="{issued.get_absolute_url()}">{issued.reference}</a>' in page
    assert f'href="{draft.get_absolute_url()}">Draft appeal</a>' in page
    assert write in page
    assert issued.reference in read_only
    assert write not in read_only


def test_a_case_without_appeals_says_so_on_its_staff_page(editor_client):
    incident = IncidentFactory()

    page = editor_client.get(incident.get_staff_url()).text

    assert "No appeal about this incident yet." in page


def test_the_case_list_draws_the_appeal_filters_under_more_filters(client):
    page = client.get(reverse("incidents:list"), {"appeal_language": "fr"}).text

    start = page.index('<details class="more-filters')
    folded = page[start : page.index("</details>", start)]
    assert '<details class="more-filters mb-3" open>' in folded
    assert '<select name="has_appeal" id="id_has_appeal"' in folded
    assert '<option value="fr" selected>' in folded


def test_the_schema_documents_what_appeals_add_to_the_case_api():
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())

    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    assert parameters["has_appeal"]["allowEmptyValue"] is True
    assert parameters["appeal_language"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in parameters["country"]
    detail = schema["components"]["schemas"]["IncidentDetail"]["properties"]["appeals"]
    assert detail["items"] == {"$ref": "#/components/schemas/AppealRef"}
    assert set(schema["components"]["schemas"]["AppealRef"]["properties"]) == {
        "id",
        "reference",
        "api_url",
    }
