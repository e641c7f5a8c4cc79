"""Public organization and perpetrator group pages: the newest cases, and a way to all."""

import datetime

import pytest
from django.test import Client

from incidents.templatetags import incidents as case_tags
from tests.factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)


@pytest.fixture
def busy_group(db, monkeypatch):
    """A group and an organization named in 5 published cases and a draft; pages show 3."""
    monkeypatch.setattr(case_tags, "NEWEST_CASES", 3)
    organization = OrganizationFactory(name="Coalition Against Torture")
    group = PerpetratorGroupFactory(name="Kyrgyzstan Patriotic Youth Movement")
    cases = []
    for day in range(5):
        incident = IncidentFactory(
            published=True,
            title=f"Meeting disrupted, day {day + 1}",
            occurred_on=datetime.date(2019, 5, 20 + day),
            organizations=[organization],
        )
        IncidentPerpetratorFactory(incident=incident, perpetrator_group=group)
        cases.append(incident)
    draft = IncidentFactory(title="Secret draft", organizations=[organization])
    IncidentPerpetratorFactory(incident=draft, perpetrator_group=group)
    return organization, group, cases


@pytest.mark.parametrize("page", ["organization", "group"])
def test_pages_show_the_newest_cases_and_link_to_all_of_them(client: Client, busy_group, page):
    organization, group, cases = busy_group
    if page == "organization":
        url, query = f"/en/organizations/{organization.pk}/", f"organization={organization.pk}"
    else:
        url, query = f"/en/perpetrators/{group.pk}/", f"perpetrator={group.pk}"

    response = client.get(url)

    assert response.status_code == 200
    text = response.text
    shown = [case.title for case in cases if case.title in text]
    assert shown == [f"Meeting disrupted, day {day}" for day in (3, 4, 5)]
    assert "Secret draft" not in text
    assert "The newest 3 cases are shown." in text
    assert f'href="/en/cases/?{query}"' in text
    listed = client.get(f"/en/cases/?{query}")
    assert listed.context["result_count"] == 5


def test_a_page_with_few_cases_does_not_say_some_are_hidden(client, busy_group, monkeypatch):
    monkeypatch.setattr(case_tags, "NEWEST_CASES", 20)
    organization, _group, _cases = busy_group

    text = client.get(f"/en/organizations/{organization.pk}/").text

    assert "are shown" not in text
    assert "All cases targeting this organization" in text
