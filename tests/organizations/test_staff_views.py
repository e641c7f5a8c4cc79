import pytest
from django.urls import reverse

from organizations.models import Organization, PerpetratorGroup

from ..factories import IncidentFactory, OrganizationFactory, PerpetratorGroupFactory

pytestmark = pytest.mark.django_db


def test_organization_search_returns_matches_by_name_or_acronym(editor_client):
    OrganizationFactory(name="Osh Lawyers' Circle", acronym="OLC")
    OrganizationFactory(name="Bir Duino", acronym="BD")

    by_name = editor_client.get(reverse("organizations:search"), {"q": "lawyers"}).json()
    by_acronym = editor_client.get(reverse("organizations:search"), {"q": "bd"}).json()

    assert [row["text"] for row in by_name["results"]] == ["Osh Lawyers' Circle (OLC)"]
    assert [row["text"] for row in by_acronym["results"]] == ["Bir Duino (BD)"]
    assert set(by_name["results"][0]) == {"id", "text"}


def test_organization_search_returns_at_most_twenty(researcher_client):
    OrganizationFactory.create_batch(25, name="Defenders' network")

    response = researcher_client.get(reverse("organizations:search"), {"q": "network"})

    assert len(response.json()["results"]) == 20


def test_search_requires_a_staff_role(client, outsider):
    OrganizationFactory(name="Bir Duino")
    client.force_login(outsider)

    assert client.get(reverse("organizations:search"), {"q": "bir"}).status_code == 403
    assert client.get(reverse("organizations:perpetrator_search")).status_code == 403


def test_perpetrator_search_matches_aliases(editor_client):
    # Same case: SQLite folds only ASCII letters (PostgreSQL would also match "калыс").
    PerpetratorGroupFactory(name="Kalys", aliases="Калыс\nKalys movement")

    response = editor_client.get(reverse("organizations:perpetrator_search"), {"q": "Калыс"})

    assert [row["text"] for row in response.json()["results"]] == ["Kalys"]


def test_quick_create_adds_an_organization(editor_client, editor):
    response = editor_client.post(
        reverse("organizations:quick_create"), {"name": "  Osh   Lawyers' Circle "}
    )

    assert response.status_code == 201
    organization = Organization.objects.get()
    assert response.json() == {"id": organization.pk, "text": "Osh Lawyers' Circle"}
    assert organization.created_by == editor


def test_quick_create_refuses_a_blank_or_duplicate_name_with_a_message(editor_client):
    OrganizationFactory(name="Bir Duino")

    blank = editor_client.post(reverse("organizations:quick_create"), {"name": ""})
    duplicate = editor_client.post(reverse("organizations:quick_create"), {"name": "bir duino"})

    assert blank.status_code == 400
    assert blank.json()["errors"]["name"] == ["This field is required."]
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.json()["errors"]["name"][0]
    assert Organization.objects.count() == 1


def test_quick_create_is_post_only_and_not_for_researchers(editor_client, researcher_client):
    url = reverse("organizations:quick_create")

    assert editor_client.get(url).status_code == 405
    assert researcher_client.post(url, {"name": "New"}).status_code == 403
    assert not Organization.objects.exists()


def test_organization_list_searches_and_paginates(researcher_client):
    OrganizationFactory.create_batch(30, name="Human rights centre")
    OrganizationFactory(name="Bir Duino")

    first = researcher_client.get(reverse("organizations:staff_list"), {"q": "centre"})
    second = researcher_client.get(reverse("organizations:staff_list"), {"q": "centre", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Bir Duino" not in first.text


def test_organization_list_query_count_is_fixed(editor_client, django_assert_max_num_queries):
    organizations = [OrganizationFactory(name=f"Defenders group {n:02}") for n in range(10)]
    for organization in organizations:
        IncidentFactory(organizations=[organization])
    IncidentFactory(organizations=organizations[:1])

    with django_assert_max_num_queries(6):
        response = editor_client.get(reverse("organizations:staff_list"))

    assert response.status_code == 200
    rows = {o.name: o.incident_count for o in response.context["page"].object_list}
    assert rows == {o.name: 2 if o == organizations[0] else 1 for o in organizations}
    for organization in organizations:
        assert reverse("organizations:edit", kwargs={"pk": organization.pk}) in response.text
        assert f">{organization.name} ({organization.acronym})</a>" in response.text


def test_researcher_sees_lists_without_create_buttons_and_cannot_open_forms(researcher_client):
    organization = OrganizationFactory()
    group = PerpetratorGroupFactory()

    organizations = researcher_client.get(reverse("organizations:staff_list"))
    groups = researcher_client.get(reverse("organizations:perpetrator_staff_list"))

    assert organizations.status_code == groups.status_code == 200
    assert reverse("organizations:create") not in organizations.text
    assert reverse("organizations:perpetrator_create") not in groups.text
    for url in (
        reverse("organizations:create"),
        reverse("organizations:edit", kwargs={"pk": organization.pk}),
        reverse("organizations:perpetrator_create"),
        reverse("organizations:perpetrator_edit", kwargs={"pk": group.pk}),
    ):
        assert researcher_client.get(url).status_code == 403


def test_lists_are_forbidden_and_edit_pages_404_without_a_role(client, outsider):
    client.force_login(outsider)
    organization = OrganizationFactory()

    assert client.get(reverse("organizations:staff_list")).status_code == 403
    edit_url = reverse("organizations:edit", kwargs={"pk": organization.pk})
    assert client.get(edit_url).status_code == 404


def test_editor_creates_and_edits_an_organization(editor_client, editor):
    response = editor_client.post(
        reverse("organizations:create"),
        {"name": "Bir Duino", "acronym": "BD", "kind": "ngo", "country": "KG", "about": ""},
    )

    organization = Organization.objects.get()
    assert response.status_code == 302
    assert organization.created_by == editor

    editor_client.post(
        reverse("organizations:edit", kwargs={"pk": organization.pk}),
        {"name": "Bir Duino Kyrgyzstan", "kind": "coalition", "founded_year": "2010"},
    )

    organization.refresh_from_db()
    assert (organization.name, organization.kind, organization.founded_year) == (
        "Bir Duino Kyrgyzstan",
        "coalition",
        2010,
    )


def test_organization_form_shows_errors_and_keeps_values(editor_client):
    response = editor_client.post(
        reverse("organizations:create"),
        {"name": "Bir Duino", "kind": "ngo", "founded_year": "1700", "city": "Bishkek"},
    )

    assert response.status_code == 200
    assert 'id="id_founded_year_error"' in response.text
    assert 'value="Bishkek"' in response.text
    assert not Organization.objects.exists()


def test_editor_creates_a_perpetrator_group(editor_client):
    response = editor_client.post(
        reverse("organizations:perpetrator_create"),
        {"name": "Kalys", "aliases": "Калыс", "kind": "pro_government", "country": "KG"},
    )

    assert response.status_code == 302
    assert PerpetratorGroup.objects.get().alias_list == ["Калыс"]


def test_editor_translates_an_organizations_about_text_beside_the_original(editor_client):
    from organizations.models import OrganizationTranslation

    coalition = OrganizationFactory(about="Une coalition d'ONG.", original_language="fr")
    edit = editor_client.get(f"/en/staff/organizations/{coalition.pk}/edit/").text
    assert f"/en/staff/organizations/{coalition.pk}/translate/ar/" in edit

    url = f"/en/staff/organizations/{coalition.pk}/translate/ar/"
    page = editor_client.get(url).text
    assert 'lang="fr" dir="auto">Une coalition d&#x27;ONG.</div>' in page
    assert 'lang="ar" dir="rtl"' in page
    assert editor_client.post(url, {"about": "ائتلاف منظمات"}).status_code == 302
    assert OrganizationTranslation.objects.get(organization=coalition, language="ar").about == (
        "ائتلاف منظمات"
    )
    editor_client.post(url, {"about": "  "})  # emptied: readers see the original again
    assert not OrganizationTranslation.objects.filter(organization=coalition).exists()
    assert (
        editor_client.get(f"/en/staff/organizations/{coalition.pk}/translate/fr/").status_code
        == 404
    )


def test_researchers_cannot_translate_perpetrator_groups(researcher_client):
    group = PerpetratorGroupFactory(description="Un groupe.", original_language="fr")

    response = researcher_client.post(
        f"/en/staff/perpetrators/{group.pk}/translate/ru/", {"description": "Группа."}
    )
    assert response.status_code == 403
    assert not group.translations.exists()
