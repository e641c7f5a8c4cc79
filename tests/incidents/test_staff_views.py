import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, PublicationEvent
from organizations.models import PerpetratorGroup

from ..factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    status,
)
from .test_forms import incident_data, rows_data

pytestmark = pytest.mark.django_db

FORMSET_PREFIXES = ("perpetrator_links", "sources", "figures", "updates")


def form_post(rows=None, initial=None, **overrides):
    rows, initial = rows or {}, initial or {}
    data = incident_data(**overrides)
    for prefix in FORMSET_PREFIXES:
        data.update(rows_data(prefix, rows.get(prefix, []), initial.get(prefix, 0)))
    return data


def transition_url(incident, action):
    return reverse("incidents:transition", kwargs={"pk": incident.pk, "action": action})


# Dashboard.


def test_dashboard_groups_incidents_by_state_with_counts(editor_client):
    IncidentFactory.create_batch(2, title="A draft")
    IncidentFactory(in_review=True, title="Waiting for review")
    published = IncidentFactory(published=True, title="Out in public")

    response = editor_client.get(reverse("incidents:dashboard"))

    assert response.status_code == 200
    counts = {section["state"]: section["count"] for section in response.context["sections"]}
    assert counts == {"draft": 2, "in_review": 1, "published": 1, "withdrawn": 0}
    assert published.get_staff_url() in response.text
    assert "New incident" in response.text


def test_dashboard_query_count_does_not_grow_with_incidents(
    editor_client, django_assert_max_num_queries
):
    made = {}
    for state, traits in {
        "draft": {},
        "in_review": {"in_review": True},
        "published": {"published": True},
        "withdrawn": {"withdrawn": True},
    }.items():
        made[state] = IncidentFactory.create_batch(3, title=f"Case {state}", **traits)
        for incident in made[state]:
            incident.organizations.add(OrganizationFactory())

    editor_client.get(reverse("incidents:dashboard"))  # fills the cached status names
    with django_assert_max_num_queries(8):
        response = editor_client.get(reverse("incidents:dashboard"))

    assert response.status_code == 200
    shown = {
        section["state"]: {incident.pk for incident in section["rows"]}
        for section in response.context["sections"]
    }
    assert shown == {state: {i.pk for i in incidents} for state, incidents in made.items()}
    for incidents in made.values():
        for incident in incidents:
            assert incident.get_staff_url() in response.text
    assert response.text.count("Case in_review") == 3


def test_researcher_sees_the_dashboard_without_new_incident_button(researcher_client):
    response = researcher_client.get(reverse("incidents:dashboard"))

    assert response.status_code == 200
    assert "New incident" not in response.text


def test_dashboard_is_forbidden_without_a_role(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("incidents:dashboard")).status_code == 403


def test_dashboard_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("incidents:dashboard"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# Detail.


def test_staff_detail_is_404_for_a_user_without_a_role(client, outsider):
    client.force_login(outsider)
    draft = IncidentFactory()
    published = IncidentFactory(published=True)

    assert client.get(draft.get_staff_url()).status_code == 404
    assert client.get(published.get_staff_url()).status_code == 404


def test_staff_detail_shows_history_and_the_editors_buttons(editor_client, editor):
    incident = IncidentFactory()
    IncidentPerpetratorFactory(incident=incident, perpetrator_group__name="Unknown men")
    PublicationEvent.objects.create(
        incident=incident, actor=editor, action="sent_back", to_state="draft", note="Add a source"
    )

    response = editor_client.get(incident.get_staff_url())

    assert response.status_code == 200
    assert "Unknown men" in response.text
    assert "Add a source" in response.text
    assert reverse("incidents:edit", kwargs={"pk": incident.pk}) in response.text
    assert transition_url(incident, "submit") in response.text
    assert transition_url(incident, "publish") not in response.text


def test_researcher_sees_the_detail_without_any_action(researcher_client):
    incident = IncidentFactory(in_review=True)

    response = researcher_client.get(incident.get_staff_url())

    assert response.status_code == 200
    assert "incidents/staff/detail.html" in [t.name for t in response.templates]
    assert not any(response.context[key] for key in ("can_edit", "can_publish", "can_submit"))
    assert transition_url(incident, "publish") not in response.text


# Creating and editing.


def test_editor_creates_a_draft_with_all_its_rows_in_one_post(editor_client, editor):
    group = PerpetratorGroupFactory(name="Men in plain clothes")
    organization = OrganizationFactory()
    data = form_post(
        organizations=[str(organization.pk)],
        rows={
            "perpetrator_links": [
                {"perpetrator_group": str(group.pk), "involvement": "carried_out"}
            ],
            "sources": [
                {
                    "kind": "news_report",
                    "title": "Seminar stopped",
                    "url": "https://example.org/a",
                    "reliability": "probable",
                }
            ],
            "figures": [{"counted": "detained", "value": "4", "qualifier": "at_least"}],
            "updates": [{"date": "2024-03-13", "title": "Lawyers released", "body": ""}],
        },
    )

    response = editor_client.post(reverse("incidents:create"), data)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_staff_url()
    assert incident.publication_state == Incident.State.DRAFT
    assert incident.slug == "seminar-broken-up-in-osh"
    assert incident.created_by == editor
    assert list(incident.organizations.all()) == [organization]
    assert list(incident.perpetrator_groups.all()) == [group]
    assert incident.sources.get().title == "Seminar stopped"
    assert incident.figures.get().value == 4
    assert incident.updates.get().title == "Lawyers released"
    assert incident.events.get().action == PublicationEvent.Action.CREATED


def test_save_and_submit_sends_the_new_draft_to_review(editor_client):
    response = editor_client.post(reverse("incidents:create"), form_post(save="submit"))

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert list(incident.events.order_by("pk").values_list("action", flat=True)) == [
        "created",
        "submitted",
    ]


def test_invalid_form_shows_the_error_by_the_field_and_keeps_what_was_typed(editor_client):
    group = PerpetratorGroupFactory(name="Men in plain clothes")
    data = form_post(
        title="Seminar broken up",
        summary="Typed with care.",
        occurred_on="2024-03-12",
        ended_on="2024-03-01",
        rows={
            "perpetrator_links": [{"perpetrator_group": str(group.pk), "involvement": "ordered"}],
            "sources": [{"kind": "ngo_report", "title": "A report", "reliability": "unverified"}],
            "figures": [{"counted": "injured", "value": "-1", "qualifier": "exact"}],
        },
    )

    response = editor_client.post(reverse("incidents:create"), data)

    assert response.status_code == 200
    assert not Incident.objects.exists()
    html = response.text
    assert 'id="error-summary"' in html
    assert "The end date cannot be before the date it happened." in html
    assert 'id="id_ended_on_error"' in html
    assert 'aria-describedby="id_ended_on_helptext id_ended_on_error"' in html
    assert 'class="form-control is-invalid"' in html
    assert "The number cannot be negative." in html
    assert 'value="Seminar broken up"' in html
    assert "Typed with care." in html
    assert 'value="2024-03-01"' in html
    assert "Men in plain clothes" in html
    assert 'value="A report"' in html
    assert 'value="-1"' in html


def test_new_incident_form_has_stable_ids_and_blank_rows_for_two_of_each(editor_client):
    response = editor_client.get(reverse("incidents:create"))

    html = response.text
    assert response.status_code == 200
    assert 'id="id_organizations"' in html
    assert 'id="id_perpetrator_links-0-perpetrator_group"' in html
    assert 'type="date"' in html
    for prefix in FORMSET_PREFIXES:
        # Two of each but updates: a case with two sources, figures and perpetrators is
        # filed in one save without JavaScript.
        blank = 1 if prefix == "updates" else 2
        assert f'name="{prefix}-TOTAL_FORMS" value="{blank}"' in html
        assert f'id="id_{prefix}-__prefix__-' in html  # the row template for "Add another"
    assert "Save and submit for review" in html


def test_editor_edits_a_draft_and_removes_a_row(editor_client):
    incident = IncidentFactory(title="Old title")
    source = SourceFactory(incident=incident)
    data = form_post(
        title="New title",
        slug=incident.slug,
        rows={
            "sources": [
                {
                    "id": str(source.pk),
                    "kind": source.kind,
                    "title": source.title,
                    "reliability": source.reliability,
                    "DELETE": "on",
                }
            ]
        },
        initial={"sources": 1},
    )

    response = editor_client.post(reverse("incidents:edit", kwargs={"pk": incident.pk}), data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "New title"
    assert not incident.sources.exists()
    assert incident.events.get().action == PublicationEvent.Action.EDITED


def test_an_edit_with_a_bad_row_changes_nothing_not_even_the_valid_fields(editor_client):
    # The case form is valid, one row is not: the whole edit is refused, or the page would
    # say "fix this" while the title had already changed under it.
    incident = IncidentFactory(title="Old title")
    data = form_post(
        title="New title",
        slug=incident.slug,
        rows={"figures": [{"counted": "injured", "value": "-1", "qualifier": "exact"}]},
    )

    response = editor_client.post(reverse("incidents:edit", kwargs={"pk": incident.pk}), data)

    assert response.status_code == 200
    assert "The number cannot be negative." in response.text
    assert 'value="New title"' in response.text  # what was typed is kept on the page
    incident.refresh_from_db()
    assert incident.title == "Old title"
    assert not incident.figures.exists()
    assert not incident.events.exists()


def test_researcher_cannot_edit_or_open_the_create_form(researcher_client):
    incident = IncidentFactory()
    edit_url = reverse("incidents:edit", kwargs={"pk": incident.pk})

    assert researcher_client.get(reverse("incidents:create")).status_code == 403
    assert researcher_client.get(edit_url).status_code == 403
    assert researcher_client.post(edit_url, form_post(title="Changed")).status_code == 403
    incident.refresh_from_db()
    assert incident.title != "Changed"


def test_editor_cannot_edit_a_case_in_review(editor_client):
    incident = IncidentFactory(in_review=True)

    response = editor_client.get(reverse("incidents:edit", kwargs={"pk": incident.pk}))

    assert response.status_code == 403


def test_edit_form_is_404_without_a_role(client, outsider):
    client.force_login(outsider)
    incident = IncidentFactory(published=True)

    assert client.get(reverse("incidents:edit", kwargs={"pk": incident.pk})).status_code == 404


# Workflow.


def test_editor_cannot_publish_and_the_state_is_unchanged(editor_client):
    incident = IncidentFactory(in_review=True)

    response = editor_client.post(transition_url(incident, "publish"))

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert not incident.events.exists()


def test_reviewer_publishes_and_gets_a_link_to_the_public_page(reviewer_client, reviewer):
    incident = IncidentFactory(in_review=True)

    response = reviewer_client.post(transition_url(incident, "publish"), follow=True)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.PUBLISHED
    assert incident.events.get().actor == reviewer
    assert incident.get_absolute_url() in response.text


def test_reviewer_sends_back_with_a_note(reviewer_client):
    incident = IncidentFactory(in_review=True)

    response = reviewer_client.post(
        transition_url(incident, "send-back"), {"send-back-note": "Add a second source."}
    )

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.DRAFT
    event = incident.events.get()
    assert (event.action, event.note) == ("sent_back", "Add a second source.")


def test_sending_back_without_a_note_changes_nothing(reviewer_client):
    incident = IncidentFactory(in_review=True)

    response = reviewer_client.post(transition_url(incident, "send-back"), follow=True)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert "Say what needs to change" in response.text


def test_reviewer_withdraws_a_published_case(reviewer_client):
    incident = IncidentFactory(published=True)

    reviewer_client.post(transition_url(incident, "withdraw"), {"withdraw-note": "Safety"})

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.WITHDRAWN


def test_editor_submits_a_draft_from_the_detail_page(editor_client):
    incident = IncidentFactory()

    editor_client.post(transition_url(incident, "submit"))

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW


def test_a_get_changes_nothing(reviewer_client):
    incident = IncidentFactory(in_review=True)

    assert reviewer_client.get(transition_url(incident, "publish")).status_code == 200
    assert reviewer_client.get(transition_url(incident, "submit")).status_code == 404
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW


def test_unknown_transition_is_404(reviewer_client):
    incident = IncidentFactory(in_review=True)

    assert reviewer_client.post(transition_url(incident, "delete")).status_code == 404


def test_transition_is_404_without_a_role(client, outsider):
    client.force_login(outsider)
    incident = IncidentFactory(published=True)

    assert client.post(transition_url(incident, "withdraw")).status_code == 404


def test_future_publication_date_is_not_a_public_link(reviewer_client):
    incident = IncidentFactory(
        publication_state=Incident.State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=2),
        status=status("arbitrary-detention"),
    )

    response = reviewer_client.get(incident.get_staff_url())

    assert incident.get_absolute_url() not in response.text


# One pass: new perpetrator groups and sources cited by figures, in the same save.


def test_a_case_with_new_groups_and_figures_citing_new_sources_is_filed_in_one_save(
    reviewer_client,
):
    data = form_post(
        title="Protest dispersed in Atyrau",
        country="KZ",
        rows={
            "perpetrator_links": [
                {
                    "new_group_name": "Atyrau city court",
                    "new_group_kind": "judiciary",
                    "involvement": "ordered",
                },
                {
                    "new_group_name": "Men in plain clothes",
                    "new_group_kind": "unknown",
                    "involvement": "carried_out",
                },
            ],
            "sources": [
                {"kind": "news_report", "title": "Report A", "reliability": "probable"},
                {"kind": "ngo_report", "title": "Report B", "reliability": "confirmed"},
            ],
            "figures": [
                {"counted": "detained", "value": "40", "qualifier": "exact", "source": "new-1"},
                {"counted": "injured", "value": "3", "qualifier": "at_least", "source": "new-0"},
            ],
        },
    )

    response = reviewer_client.post(reverse("incidents:create"), data)

    assert response.status_code == 302, response.context and response.context["error_summary"]
    incident = Incident.objects.get()
    groups = {g.name: (g.kind, g.country.code) for g in incident.perpetrator_groups.all()}
    assert groups == {
        "Atyrau city court": ("judiciary", "KZ"),
        "Men in plain clothes": ("unknown", "KZ"),
    }
    cited = {f.counted: f.source.title for f in incident.figures.select_related("source")}
    assert cited == {"detained": "Report B", "injured": "Report A"}


def test_a_new_group_needs_its_kind_and_nothing_is_saved_until_it_has_one(reviewer_client):
    data = form_post(
        rows={"perpetrator_links": [{"new_group_name": "Unnamed unit", "new_group_kind": ""}]}
    )

    response = reviewer_client.post(reverse("incidents:create"), data)

    assert response.status_code == 200
    row = response.context["perpetrator_links"].forms[0]
    assert row.errors["new_group_kind"] == [
        "Give the new group's kind (choose “Unknown” if nobody knows yet)."
    ]
    assert not Incident.objects.exists()
    assert not PerpetratorGroup.objects.exists()


def test_a_row_names_a_known_group_or_a_new_one_not_both(reviewer_client):
    known = PerpetratorGroupFactory(name="Police of Bishkek", country="KG")
    both = {
        "perpetrator_group": str(known.pk),
        "new_group_name": "Another",
        "new_group_kind": "police",
    }
    taken = {"new_group_name": "police of bishkek", "new_group_kind": "police"}

    response = reviewer_client.post(
        reverse("incidents:create"), form_post(rows={"perpetrator_links": [both, taken]})
    )

    rows = response.context["perpetrator_links"].forms
    assert rows[0].errors["new_group_name"] == [
        "Choose a known group or name a new one, not both in one row."
    ]
    assert "already exists" in rows[1].errors["new_group_name"][0]
    assert PerpetratorGroup.objects.count() == 1


def test_a_figure_citing_an_empty_source_row_is_an_error_on_that_figure(editor_client):
    data = form_post(
        rows={
            "sources": [{"kind": "", "title": "", "reliability": "unverified"}],
            "figures": [
                {"counted": "detained", "value": "4", "qualifier": "exact", "source": "new-0"}
            ],
        }
    )

    response = editor_client.post(reverse("incidents:create"), data)

    assert response.status_code == 200
    assert response.context["figures"].forms[0].errors["source"] == [
        "Source 1 is empty or removed: fill it in or cite another."
    ]
    assert not Incident.objects.exists()


def test_a_figure_may_not_cite_a_source_removed_in_the_same_save(editor_client):
    incident = IncidentFactory(title="Seminar broken up")
    source = SourceFactory(incident=incident)
    data = form_post(
        slug=incident.slug,
        initial={"sources": 1},
        rows={
            "sources": [
                {
                    "id": str(source.pk),
                    "kind": source.kind,
                    "title": source.title,
                    "reliability": source.reliability,
                    "DELETE": "on",
                }
            ],
            "figures": [
                {"counted": "killed", "value": "1", "qualifier": "exact", "source": str(source.pk)}
            ],
        },
    )

    response = editor_client.post(reverse("incidents:edit", kwargs={"pk": incident.pk}), data)

    assert response.status_code == 200
    assert response.context["figures"].forms[0].errors["source"] == [
        "This source is being removed: cite another one or keep it."
    ]
    assert incident.sources.get() == source


# Publishing and withdrawing ask first.


def test_publish_is_a_link_to_a_page_that_asks_before_anything_changes(reviewer_client):
    incident = IncidentFactory(in_review=True, title="Seminar broken up")
    url = transition_url(incident, "publish")

    detail = reviewer_client.get(incident.get_staff_url())
    asked = reviewer_client.get(url)

    assert f'href="{url}" data-confirm-dialog="confirm-publish"' in detail.text
    assert asked.status_code == 200
    assert "Publish “<bdi>Seminar broken up</bdi>”?" in asked.text
    assert f'<form method="post" action="{url}">' in asked.text
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.IN_REVIEW
    reviewer_client.post(url)
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.PUBLISHED


def test_withdraw_asks_with_its_note_and_only_steps_that_change_the_public_ask(
    reviewer_client,
):
    published = IncidentFactory(published=True)
    in_review = IncidentFactory(in_review=True)

    asked = reviewer_client.get(transition_url(published, "withdraw"))

    assert "from the public site?" in asked.text
    assert 'name="withdraw-note"' in asked.text
    assert reviewer_client.get(transition_url(in_review, "send-back")).status_code == 404


def test_an_editor_is_not_asked_to_publish(editor_client):
    in_review = IncidentFactory(in_review=True)

    assert editor_client.get(transition_url(in_review, "publish")).status_code == 403


def test_add_another_without_javascript_gives_one_more_row_and_saves_nothing(editor_client):
    data = form_post(
        title="",  # not filled in yet: no error is shown for it
        rows={"sources": [{"kind": "news_report", "title": "Report A"}]},
    )

    response = editor_client.post(reverse("incidents:create"), {**data, "add_row": "sources"})

    assert response.status_code == 200
    sources = response.context["sources"]
    assert len(sources.forms) == 2
    assert 'name="sources-TOTAL_FORMS" value="2"' in response.text
    assert 'value="Report A"' in response.text
    assert response.context["error_summary"] == []
    assert "This field is required." not in response.text
    assert not Incident.objects.exists()
