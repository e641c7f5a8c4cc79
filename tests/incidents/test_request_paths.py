"""The public request paths made cheaper (issue 11): the filter form built once, case cards
and summary facets kept, the case page in few queries. Each test checks what a reader sees,
not only how fast it came."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.filters import IncidentFilter
from incidents.models import (
    FigureTranslation,
    Incident,
    IncidentTranslation,
    Status,
    UpdateTranslation,
    ViolationType,
)
from incidents.services import incident_withdraw
from incidents.templatetags import incidents as case_card_tags
from organizations.models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroupTranslation,
)
from tests.factories import (
    FigureFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/en/cases/"


@pytest.fixture(autouse=True)
def _no_kept_cards():
    # Kept cards outlive a test (the cache is the process's, its keys name their content);
    # these tests count renders from a cold cache.
    caches["fragments"].clear()


def card_titles(text: str) -> list[str]:
    return re.findall(r'<h3 class="h5 card-title[^>]*><a href="[^"]*">([^<]*)</a>', text)


# The filter form: built once per process, same answers.


def test_two_filters_built_at_once_each_answer_their_own_search():
    """The filters are copied per FilterSet without deepcopy: each copy's methods must
    belong to its own FilterSet (a search is worked out and kept per FilterSet)."""
    IncidentFactory(published=True, title="Bishkek meeting disrupted", country="KG")
    IncidentFactory(published=True, title="Almaty lawyer detained", country="KZ", place="Almaty")
    published = Incident.objects.published()
    bishkek = IncidentFilter(QueryDict("q=Bishkek"), queryset=published)
    almaty = IncidentFilter(QueryDict("q=Almaty"), queryset=published)
    assert bishkek.is_valid() and almaty.is_valid()

    assert [case.title for case in almaty.qs] == ["Almaty lawyer detained"]
    assert [case.title for case in bishkek.qs] == ["Bishkek meeting disrupted"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("987654", "Select a valid choice. 987654 is not one of the available choices."),
        ("abc", "“abc” is not a valid value."),
        ("²", "“²” is not a valid value."),  # a digit int() cannot read
        ("9" * 30, f"“{'9' * 30}” is not a valid value."),
    ],
)
def test_an_unknown_organization_is_reported_on_the_list_page(client, value, message):
    IncidentFactory(published=True, title="Listed case")

    response = client.get(LIST, {"organization": value})

    assert response.status_code == 200
    assert f"Targeted organization: {message}" in response.text.replace("&quot;", '"')
    assert card_titles(response.text) == ["Listed case"]  # the bad value is ignored


def test_a_chosen_organization_filters_and_shows_as_a_chip_in_the_readers_language(client):
    coalition = OrganizationFactory(name="Coalition contre la torture", acronym="")
    OrganizationTranslation.objects.create(
        organization=coalition, language="en", name="Coalition Against Torture"
    )
    IncidentFactory(published=True, title="Coalition meeting", organizations=[coalition])
    IncidentFactory(published=True, title="Other case")

    response = client.get(LIST, {"organization": str(coalition.pk)})

    assert card_titles(response.text) == ["Coalition meeting"]
    chips = response.text.split('class="filter-chips')[1].split("</ul>")[0]
    assert "Coalition Against Torture" in chips
    assert f'<input type="hidden" name="organization" value="{coalition.pk}">' in response.text


def test_an_organization_named_only_in_a_draft_is_refused_like_an_unknown_one():
    hidden = OrganizationFactory(name="Known only to a draft")
    IncidentFactory(title="Draft", organizations=[hidden])
    published = Incident.objects.published()

    refused = IncidentFilter(QueryDict(f"organization={hidden.pk}"), queryset=published)
    unknown = IncidentFilter(QueryDict("organization=987654"), queryset=published)

    assert not refused.is_valid() and not unknown.is_valid()
    assert refused.errors["organization"] == [
        message.replace("987654", str(hidden.pk)) for message in unknown.errors["organization"]
    ]


def test_the_api_still_answers_400_for_a_bad_filter_value(client):
    response = client.get("/api/v1/incidents/", {"year": "abc", "country": "XX"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "country": ["Select a valid choice. XX is not one of the available choices."],
        "year": ["Enter a whole number."],
    }


# Case cards: kept, and never out of date.


@pytest.fixture
def listed():
    coalition = OrganizationFactory(name="Coalition contre la torture", acronym="")
    return IncidentFactory(
        published=True,
        title="Réunion perturbée à Bichkek",
        summary="Des militants ont interrompu la réunion.",
        original_language="fr",
        organizations=[coalition],
    )


def test_a_card_is_rendered_once_and_then_read_from_the_cache(client, listed, monkeypatch):
    rendered = []
    card_template = case_card_tags.get_template(case_card_tags.CASE_CARD)
    original_render = card_template.render

    def counting_render(context=None, request=None):
        rendered.append(context["incident"].pk)
        return original_render(context, request)

    real_get_template = case_card_tags.get_template
    monkeypatch.setattr(card_template, "render", counting_render)
    monkeypatch.setattr(
        case_card_tags,
        "get_template",
        lambda name: card_template if name == case_card_tags.CASE_CARD else real_get_template(name),
    )

    first = client.get(LIST).text
    second = client.get(LIST).text

    assert rendered == [listed.pk]
    assert card_titles(first) == card_titles(second) == ["Réunion perturbée à Bichkek"]
    assert first.split('class="case-card')[1] == second.split('class="case-card')[1]


def test_a_changed_case_shows_its_new_text_at_once_whatever_changed_it(client, listed):
    client.get(LIST)
    # A bulk update bumps no update time: the card's key follows what it shows anyway.
    Incident.objects.filter(pk=listed.pk).update(
        title="Réunion de la Coalition interrompue", summary="Nouveau résumé des faits."
    )

    text = client.get(LIST).text

    assert card_titles(text) == ["Réunion de la Coalition interrompue"]
    assert "Nouveau résumé des faits." in text
    assert "Réunion perturbée à Bichkek" not in text


def test_a_new_translation_shows_on_the_card_at_once(client, listed):
    client.get("/ru/cases/")
    IncidentTranslation.objects.create(
        incident=listed, language="ru", title="Собрание в Бишкеке сорвано", summary="Сорвано."
    )

    assert card_titles(client.get("/ru/cases/").text) == ["Собрание в Бишкеке сорвано"]


def test_a_renamed_organization_or_status_shows_on_the_card_at_once(client, listed):
    client.get(LIST)
    Organization.objects.filter(pk=listed.organizations.get().pk).update(name="Coalition renommée")
    case_status = Status.objects.get(pk=listed.status_id)
    case_status.name = "Harassment, renamed"
    case_status.save()  # forgets the cached vocabulary (incidents.apps)

    card = client.get(LIST).text.split('class="case-card')[1]

    assert "Coalition renommée" in card and "Coalition contre la torture" not in card
    assert "Harassment, renamed" in card


def test_the_original_language_marker_follows_the_readers_language(client, listed):
    assert "Original in French" in client.get(LIST).text
    assert "original-language" not in client.get("/fr/cases/").text.split("<footer")[0]


def test_a_withdrawn_case_leaves_the_list_and_its_counts_at_once(client, listed, reviewer):
    IncidentFactory(published=True, title="Stays listed")
    before = client.get(LIST).text
    assert sorted(card_titles(before)) == ["Réunion perturbée à Bichkek", "Stays listed"]
    assert "2 cases" in before

    with TestCase.captureOnCommitCallbacks(execute=True):
        incident_withdraw(actor=reviewer, incident=listed)

    after = client.get(LIST).text
    assert card_titles(after) == ["Stays listed"]
    assert "1 case" in after and "2 cases" not in after
    assert "Réunion perturbée à Bichkek" not in after


def test_a_published_case_enters_the_list_and_its_counts_at_once(client, listed):
    client.get(LIST, {"country": "KG"})  # counts kept for this filter
    IncidentFactory(published=True, title="Newly published", country="KG")

    text = client.get(LIST, {"country": "KG"}).text

    assert "2 cases" in text
    assert "Newly published" in card_titles(text)


def test_a_draft_card_is_never_kept_and_drafts_never_show(client, listed, monkeypatch):
    draft = IncidentFactory(title="Secret draft title", organizations=[])
    stored = []
    fragments = caches["fragments"]
    original_set_many = fragments.set_many
    monkeypatch.setattr(
        fragments, "set_many", lambda data, *a, **k: stored.extend(data) or original_set_many(data)
    )
    rows = Incident.objects.filter(pk__in=[draft.pk, listed.pk]).with_listing_data()

    html = case_card_tags.case_cards(rows.order_by("-pk"))

    assert "Secret draft title" in html  # a staff list could render it...
    assert len(stored) == 1 and f":{listed.pk}:" in stored[0]  # ...but only the public one is kept
    assert "Secret draft title" not in client.get(LIST).text


# The case page: few queries, the right content.


@pytest.fixture
def typical_case():
    """A case as most are: two organizations, a perpetrator, a violation, a source, and a
    Russian translation of the case, one organization and the group."""
    coalition = OrganizationFactory(name="Coalition contre la torture", acronym="CCT")
    OrganizationTranslation.objects.create(
        organization=coalition, language="ru", name="Коалиция против пыток", about="О нас."
    )
    bureau = OrganizationFactory(name="Bureau des droits humains", acronym="")
    incident = IncidentFactory(
        published=True,
        original_language="fr",
        slug="reunion-bichkek",
        title="Réunion de la Coalition perturbée à Bichkek",
        organizations=[coalition, bureau],
    )
    IncidentTranslation.objects.create(
        incident=incident,
        language="ru",
        title="Сорвано собрание Коалиции в Бишкеке",
        summary="Активисты сорвали собрание.",
        narrative="Двадцать человек вошли в зал.",
    )
    youth = PerpetratorGroupFactory(name="Mouvement de la jeunesse patriotique")
    PerpetratorGroupTranslation.objects.create(
        group=youth, language="ru", name="Патриотическое молодёжное движение"
    )
    IncidentPerpetratorFactory(incident=incident, perpetrator_group=youth)
    incident.violation_types.set([ViolationType.objects.get(code="0601")])
    SourceFactory(incident=incident, title="Communiqué de la Coalition")
    return incident


def test_a_typical_case_page_takes_at_most_six_queries(
    client, typical_case, django_assert_max_num_queries
):
    client.get("/ru/cases/reunion-bichkek/")  # warm the status vocabulary
    with django_assert_max_num_queries(6):
        response = client.get("/ru/cases/reunion-bichkek/")

    text = response.text
    assert response.status_code == 200
    assert '<h1 id="case-title" lang="ru" dir="auto">Сорвано собрание Коалиции в Бишкеке' in text
    assert "Двадцать человек вошли в зал." in text  # the translated narrative, joined
    assert "Коалиция против пыток" in text and "О нас." in text  # translated organization
    assert "Bureau des droits humains" in text  # untranslated: the original name
    assert "Патриотическое молодёжное движение" in text
    assert "0601" in text
    assert "Communiqué de la Coalition" in text
    assert 'class="small available-languages"' in text  # written in French and Russian


def test_the_case_page_in_the_original_language_shows_no_translation(client, typical_case):
    text = client.get("/fr/cases/reunion-bichkek/").text

    assert '<h1 id="case-title" lang="fr" dir="auto">Réunion de la Coalition perturbée' in text
    assert "Coalition contre la torture" in text and "Коалиция против пыток" not in text
    assert "Mouvement de la jeunesse patriotique" in text
    assert "translation-notice" not in text


def test_a_fully_documented_case_page_stays_within_nine_queries(
    client, typical_case, django_assert_max_num_queries
):
    """Figures, updates and an appeal with a PDF add a query each (the appeal two)."""
    from appeals.models import AppealVersion
    from tests.factories import AppealFactory

    figure = FigureFactory(incident=typical_case, value=9)
    FigureTranslation.objects.create(figure=figure, language="ru", label="задержанных")
    update = UpdateFactory(incident=typical_case, title="Plainte déposée", body="Plainte.")
    UpdateTranslation.objects.create(update=update, language="ru", title="Подана жалоба")
    appeal = AppealFactory(incident=typical_case, published=True)
    AppealVersion.objects.create(
        appeal=appeal,
        language="fr",
        number=1,
        file_name="appeal.pdf",
        content_hash="0" * 64,
        sha256="1" * 64,
        ready_at=timezone.now(),
    )
    path = "/ru/cases/reunion-bichkek/"
    client.get(path)
    with django_assert_max_num_queries(9):
        text = client.get(path).text

    assert "задержанных" in text and "Подана жалоба" in text
    assert f"/appeals/{appeal.reference_slug}.pdf" in text
    assert "Коалиция против пыток" in text


def test_a_case_without_appeal_says_so_without_reading_appeals(client, typical_case):
    with CaptureQueriesContext(connection) as queries:
        text = client.get("/en/cases/reunion-bichkek/").text

    assert "No urgent appeal is available for this case yet." in text
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "appeals_')]


def test_a_draft_case_page_is_404_in_one_query(client, django_assert_num_queries):
    IncidentFactory(slug="draft-case", title="Draft")
    client.get("/en/cases/draft-case/")
    with django_assert_num_queries(1):
        assert client.get("/en/cases/draft-case/").status_code == 404


# The list page: the page query only, once its facets are kept.


def test_the_list_page_takes_one_query_once_its_counts_are_kept(
    client, listed, django_assert_num_queries
):
    IncidentFactory.create_batch(3, published=True, country="KZ")
    client.get(LIST)
    with django_assert_num_queries(1):
        text = client.get(LIST).text

    assert "4 cases" in text
    assert "Réunion perturbée à Bichkek" in card_titles(text)
    kazakhstan = r'id="country-KZ">\s*<label[^>]*>Kazakhstan <span class="facet-count">\(3\)'
    assert re.search(kazakhstan, text)


@pytest.mark.postgres
def test_a_search_on_postgresql_counts_live_and_pins_its_queries(
    client, listed, django_assert_max_num_queries
):
    """A search is not answered by the summary table: its facets are counted each time."""
    IncidentFactory(published=True, title="Almaty lawyer detained", country="KZ")
    client.get(LIST, {"q": "Bichkek"})
    with django_assert_max_num_queries(3):  # the search probe, the facets, the page
        text = client.get(LIST, {"q": "Bichkek"}).text

    assert card_titles(text) == ["Réunion perturbée à Bichkek"]
    assert "1 case" in text
