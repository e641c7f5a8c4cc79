import re

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import SECTION_MAX_LENGTH, Addressee, Appeal, AppealEvent, RenderJob

from ..factories import (
    AddresseeFactory,
    AppealFactory,
    AppealTextFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UserFactory,
)
from .test_forms import appeal_data, rows_data, text_data

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^[A-Z]{3} \d{3} / \d{4}$")


def create_url(incident):
    return reverse("appeals:create", kwargs={"incident_pk": incident.pk})


def detail_url(appeal):
    return reverse("appeals:staff_detail", kwargs={"pk": appeal.pk})


def transition_url(appeal, action):
    return reverse("appeals:transition", kwargs={"pk": appeal.pk, "action": action})


def render_url(appeal, language):
    return reverse("appeals:render", kwargs={"pk": appeal.pk, "language": language})


def preview_url(appeal, language):
    return reverse("appeals:staff_preview", kwargs={"pk": appeal.pk, "language": language})


def text_url(appeal, language):
    return reverse("appeals:text", kwargs={"pk": appeal.pk, "language": language})


def create_post(rows=(), **overrides):
    appeal_fields = {k: v for k, v in overrides.items() if k in appeal_data()}
    text_fields = {k: v for k, v in overrides.items() if k not in appeal_fields}
    return {**appeal_data(**appeal_fields), **text_data(**text_fields), **rows_data(list(rows))}


def edit_post(appeal, links=(), rows=(), **overrides):
    data = appeal_data(original_language=appeal.original_language, **overrides)
    existing = [
        {"id": str(link.pk), "addressee": str(link.addressee_id), "position": str(link.position)}
        for link in links
    ]
    data.update(rows_data([*existing, *rows], initial=len(existing)))
    return data


# Writing an appeal from an incident.


def test_new_appeal_form_is_prefilled_from_the_incident(editor_client):
    organization = OrganizationFactory(name="Coalition Against Torture", about="Twelve NGOs.")
    incident = IncidentFactory(
        title="Meeting disrupted in Bishkek",
        summary="Men broke up the meeting.",
        narrative="About thirty men entered.",
        organizations=[organization],
    )
    IncidentPerpetratorFactory(
        incident=incident, perpetrator_group=PerpetratorGroupFactory(name="Kalys")
    )

    response = editor_client.get(create_url(incident))

    assert response.status_code == 200
    text_form = response.context["text_form"]
    assert text_form["title"].value() == "Meeting disrupted in Bishkek"
    assert text_form["summary"].value() == "Men broke up the meeting."
    assert text_form["situation"].value() == "About thirty men entered."
    assert "Coalition Against Torture" in text_form["about_defenders"].value()
    assert "Twelve NGOs." in text_form["about_defenders"].value()
    assert "Kalys" in text_form["background"].value()
    assert text_form["actions_requested"].value().count("\n") >= 2
    assert "About thirty men entered." in response.text
    assert 'data-search-url="' + reverse("appeals:addressee_search") in response.text


def test_editor_creates_an_appeal_with_its_text_and_ordered_addressees(editor_client, editor):
    incident = IncidentFactory()
    minister, prosecutor = AddresseeFactory.create_batch(2)

    response = editor_client.post(
        create_url(incident),
        create_post(
            rows=[
                {"addressee": str(prosecutor.pk), "position": "2"},
                {"addressee": str(minister.pk), "position": "1"},
            ],
            deadline="2030-01-31",
        ),
    )

    appeal = Appeal.objects.get(incident=incident)
    assert response.status_code == 302
    assert response.url == detail_url(appeal)
    assert appeal.publication_state == Appeal.State.DRAFT
    assert appeal.created_by == editor
    assert appeal.reference is None
    text = appeal.texts.get()
    assert text.language == "en"
    assert text.title == "Kyrgyzstan: Coalition Against Torture meeting disrupted"
    assert [link.addressee for link in appeal.addressee_links.all()] == [minister, prosecutor]
    assert appeal.events.get().action == AppealEvent.Action.CREATED


def test_editor_creates_a_follow_up_of_an_unpublished_appeal(editor_client):
    original = AppealFactory()

    response = editor_client.post(
        create_url(original.incident),
        create_post(kind="new_information", follows=str(original.pk)),
    )

    assert response.status_code == 302
    assert original.follow_ups.get().kind == Appeal.Kind.NEW_INFORMATION


def test_follow_up_without_follows_shows_the_error_and_keeps_the_typed_text(editor_client):
    incident = IncidentFactory()
    AppealFactory(incident=incident)

    response = editor_client.post(
        create_url(incident),
        create_post(kind="new_information", situation="Typed with care: the trial resumed."),
    )

    assert response.status_code == 200
    assert not Appeal.objects.filter(incident=incident, kind="new_information").exists()
    assert "Choose the urgent appeal this one follows up on" in response.text
    assert 'id="id_follows_error"' in response.text
    assert "Typed with care: the trial resumed." in response.text
    assert response.context["error_summary"][0]["anchor"] == "id_follows"


def test_urgent_appeal_with_follows_shows_the_error(editor_client):
    original = AppealFactory()

    response = editor_client.post(
        create_url(original.incident), create_post(follows=str(original.pk), summary="Kept.")
    )

    assert response.status_code == 200
    assert "follows up on nothing" in response.text
    assert response.context["text_form"]["summary"].value() == "Kept."
    assert original.incident.appeals.count() == 1


def test_too_long_section_shows_the_error_and_keeps_the_text(editor_client):
    incident = IncidentFactory()
    long_text = "Very long. " * (SECTION_MAX_LENGTH // 10)

    response = editor_client.post(create_url(incident), create_post(background=long_text))

    assert response.status_code == 200
    assert "the limit is 20,000" in response.text
    assert response.context["text_form"]["background"].value() == long_text
    assert not incident.appeals.exists()


def test_addressee_rows_keep_what_was_chosen_when_the_form_has_errors(editor_client):
    incident = IncidentFactory()
    addressee = AddresseeFactory(name="Minister Kept")

    response = editor_client.post(
        create_url(incident), create_post(rows=[{"addressee": str(addressee.pk)}], title="")
    )

    assert response.status_code == 200
    assert "Minister Kept" in response.text


def test_researcher_cannot_create_an_appeal(researcher_client):
    incident = IncidentFactory()

    assert researcher_client.get(create_url(incident)).status_code == 403
    assert researcher_client.post(create_url(incident), create_post()).status_code == 403
    assert not Appeal.objects.exists()


def test_appeal_pages_are_404_without_a_role(client, outsider):
    appeal = AppealFactory()
    client.force_login(outsider)

    assert client.get(create_url(appeal.incident)).status_code == 404
    assert client.get(detail_url(appeal)).status_code == 404
    assert client.get(preview_url(appeal, "fr")).status_code == 404
    assert client.post(render_url(appeal, "fr")).status_code == 404
    assert client.get(reverse("appeals:render_status", args=[appeal.pk])).status_code == 404


def test_appeal_pages_ask_anonymous_visitors_to_log_in(client):
    appeal = AppealFactory()

    response = client.get(detail_url(appeal))

    assert response.status_code == 302
    assert reverse("login") in response.url


# Editing.


def test_editor_edits_kind_deadline_and_addressees(editor_client):
    original = AppealFactory()
    appeal = AppealFactory(incident=original.incident, addressees=[])
    kept, removed, added = AddresseeFactory.create_batch(3)
    link_kept = appeal.addressee_links.create(addressee=kept, position=1)
    link_removed = appeal.addressee_links.create(addressee=removed, position=2)
    data = edit_post(
        appeal,
        links=[link_kept, link_removed],
        rows=[{"addressee": str(added.pk), "position": ""}],
        kind="case_closed",
        follows=str(original.pk),
        deadline="2030-06-01",
    )
    data["addressees-1-DELETE"] = "on"

    response = editor_client.post(reverse("appeals:edit", args=[appeal.pk]), data)

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.kind == Appeal.Kind.CASE_CLOSED
    assert appeal.follows == original
    assert str(appeal.deadline) == "2030-06-01"
    assert [link.addressee for link in appeal.addressee_links.all()] == [kept, added]


def test_researcher_cannot_edit(researcher_client):
    appeal = AppealFactory()

    assert researcher_client.get(reverse("appeals:edit", args=[appeal.pk])).status_code == 403
    assert researcher_client.get(text_url(appeal, "fr")).status_code == 403
    response = researcher_client.post(text_url(appeal, "fr"), text_data())
    assert response.status_code == 403
    assert appeal.texts.get().title != text_data()["title"]


def test_editor_cannot_edit_an_appeal_in_review(editor_client):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    assert editor_client.get(reverse("appeals:edit", args=[appeal.pk])).status_code == 403


def test_new_translation_starts_from_the_incident_with_the_original_beside_it(editor_client):
    appeal = AppealFactory(original_language="fr", text={"title": "Réunion perturbée"})

    response = editor_client.get(text_url(appeal, "en"))

    assert response.status_code == 200
    # The incident's English words, never the French original's (shown beside instead).
    assert response.context["form"]["title"].value() == appeal.incident.title
    assert response.context["is_new"]
    assert 'lang="fr"' in response.text
    assert "in the French original" in response.text


def test_saving_a_translation_adds_the_text(editor_client):
    appeal = AppealFactory(original_language="fr")

    response = editor_client.post(text_url(appeal, "en"), text_data(title="Meeting disrupted"))

    assert response.status_code == 302
    assert appeal.texts.get(language="en").title == "Meeting disrupted"
    assert appeal.texts.get(language="fr").title != "Meeting disrupted"
    assert appeal.events.get().note == "text in en"


def test_editing_the_original_text_keeps_errors_next_to_fields(editor_client):
    appeal = AppealFactory(original_language="fr")

    response = editor_client.post(text_url(appeal, "fr"), text_data(summary=""))

    assert response.status_code == 200
    assert 'id="id_summary_error"' in response.text


def test_text_in_an_unknown_language_is_404(editor_client):
    appeal = AppealFactory()

    assert editor_client.get(text_url(appeal, "xx")).status_code == 404


# The appeal's page and workflow.


def test_detail_shows_the_appeal_its_texts_and_the_languages_to_add(editor_client):
    appeal = AppealFactory(original_language="fr")
    appeal.addressee_links.create(addressee=AddresseeFactory(name="Procureur général"))

    response = editor_client.get(detail_url(appeal))

    assert response.status_code == 200
    assert "the reference is given on publication" in response.text
    assert "Procureur général" in response.text
    for language in ("en", "ru", "ar"):
        assert text_url(appeal, language) in response.text
    assert preview_url(appeal, "fr") in response.text
    assert transition_url(appeal, "submit") in response.text
    assert transition_url(appeal, "publish") not in response.text
    assert render_url(appeal, "fr") in response.text


def test_detail_shows_researchers_no_buttons(researcher_client):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    response = researcher_client.get(detail_url(appeal))

    assert response.status_code == 200
    assert "/transition/" not in response.text
    assert transition_url(appeal, "publish") not in response.text
    assert render_url(appeal, "fr") not in response.text
    assert "Add a translation" not in response.text


def test_editor_submits_but_cannot_publish(editor_client):
    appeal = AppealFactory()

    editor_client.post(transition_url(appeal, "submit"), {"submit-note": "Ready."})
    response = editor_client.post(transition_url(appeal, "publish"))

    appeal.refresh_from_db()
    assert response.status_code == 403
    assert appeal.publication_state == Appeal.State.IN_REVIEW
    assert appeal.reference is None


def test_reviewer_publishes_and_the_appeal_gets_its_reference(
    reviewer_client, django_capture_on_commit_callbacks
):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            transition_url(appeal, "publish"), {"publish-note": "Checked."}
        )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.PUBLISHED
    assert REFERENCE.match(appeal.reference), appeal.reference
    assert appeal.reference.startswith("KGZ ")
    event = appeal.events.get(action=AppealEvent.Action.PUBLISHED)
    assert event.note == "Checked."
    page = reviewer_client.get(detail_url(appeal))
    assert appeal.reference in page.text
    assert appeal.get_public_url() in page.text
    # Publishing renders every language again, now with the reference printed.
    version = appeal.versions.get()
    assert version.get_public_url() in page.text


def test_follow_up_waits_for_its_original_to_be_published(reviewer_client):
    original = AppealFactory()
    follow_up = AppealFactory(
        incident=original.incident,
        kind=Appeal.Kind.NEW_INFORMATION,
        follows=original,
        publication_state=Appeal.State.IN_REVIEW,
    )

    page = reviewer_client.get(detail_url(follow_up))
    response = reviewer_client.post(transition_url(follow_up, "publish"))

    assert transition_url(follow_up, "publish") not in page.text
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.publication_state == Appeal.State.IN_REVIEW


def test_reviewer_sends_back_with_a_note(reviewer_client):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    reviewer_client.post(transition_url(appeal, "send-back"), {"send-back-note": "Fix dates."})

    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.DRAFT
    assert appeal.events.get().note == "Fix dates."


def test_unknown_transition_is_404(reviewer_client):
    appeal = AppealFactory()

    assert reviewer_client.post(transition_url(appeal, "explode")).status_code == 404


def test_only_a_post_takes_a_step(reviewer_client):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)

    # A GET of publish is the page that asks; of submit or send-back, nothing.
    assert reviewer_client.get(transition_url(appeal, "publish")).status_code == 200
    assert reviewer_client.get(transition_url(appeal, "send-back")).status_code == 404
    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.IN_REVIEW


# PDFs.


def test_generate_pdf_makes_a_ready_version(editor_client, django_capture_on_commit_callbacks):
    appeal = AppealFactory(original_language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(render_url(appeal, "fr"))

    assert response.status_code == 302
    job = RenderJob.objects.get(appeal=appeal)
    assert job.state == RenderJob.State.READY, job.error
    assert job.version.number == 1
    assert job.version.ready_at is not None
    page = editor_client.get(detail_url(appeal))
    assert "PDF queued" in page.text
    assert job.version.sha256[:12] in page.text
    # Not public: no public download link.
    assert "Download version" not in page.text


def test_render_status_reports_the_latest_job_per_language(
    editor_client, django_capture_on_commit_callbacks
):
    appeal = AppealFactory(original_language="fr")
    AppealTextFactory(appeal=appeal, language="en")
    RenderJob.objects.create(appeal=appeal, language="en", state="failed", error="Too long.")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(render_url(appeal, "fr"))

    data = editor_client.get(reverse("appeals:render_status", args=[appeal.pk])).json()

    assert data == {
        "jobs": [
            {
                "language": "en",
                "state": "failed",
                "state_label": "Failed",
                "error": "Too long.",
                "attempts": 0,
                "version_number": None,
            },
            {
                "language": "fr",
                "state": "ready",
                "state_label": "Ready",
                "error": "",
                "attempts": 1,
                "version_number": 1,
            },
        ]
    }


def test_render_status_is_empty_before_any_request(researcher_client):
    appeal = AppealFactory()

    response = researcher_client.get(reverse("appeals:render_status", args=[appeal.pk]))

    assert response.json() == {"jobs": []}
    assert "no-store" in response["Cache-Control"]


def test_detail_shows_a_queued_job_and_asks_to_poll(editor_client):
    appeal = AppealFactory(original_language="fr")
    RenderJob.objects.create(appeal=appeal, language="fr")

    response = editor_client.get(detail_url(appeal))

    assert 'data-state="queued"' in response.text
    assert "data-render-poll" in response.text
    assert "js/appeals.js" in response.text


def test_detail_shows_a_failed_jobs_error(editor_client):
    appeal = AppealFactory(original_language="fr")
    RenderJob.objects.create(
        appeal=appeal, language="fr", state="failed", attempts=3, error="Ran out of <memory>."
    )

    response = editor_client.get(detail_url(appeal))

    assert "Ran out of &lt;memory&gt;." in response.text
    assert "data-render-poll" not in response.text


def test_render_needs_a_text_in_that_language(editor_client):
    appeal = AppealFactory(original_language="fr")

    assert editor_client.post(render_url(appeal, "en")).status_code == 404
    assert editor_client.post(render_url(appeal, "xx")).status_code == 404
    assert not RenderJob.objects.exists()


def test_researcher_cannot_render(researcher_client):
    appeal = AppealFactory(original_language="fr")

    assert researcher_client.post(render_url(appeal, "fr")).status_code == 403
    assert not RenderJob.objects.exists()


def test_render_needs_a_post(editor_client):
    appeal = AppealFactory(original_language="fr")

    assert editor_client.get(render_url(appeal, "fr")).status_code == 405


def test_preview_shows_the_text_escaped(researcher_client):
    appeal = AppealFactory(
        original_language="fr", text={"concerns": "<script>alert(1)</script> Nos craintes."}
    )

    response = researcher_client.get(preview_url(appeal, "fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nos craintes." in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "no-store" in response["Cache-Control"]


def test_preview_without_a_text_in_that_language_is_404(editor_client):
    appeal = AppealFactory(original_language="fr")

    assert editor_client.get(preview_url(appeal, "en")).status_code == 404


# The incident's page.


def test_incident_page_lists_its_appeals_and_offers_to_write_one(editor_client):
    appeal = AppealFactory()

    response = editor_client.get(appeal.incident.get_staff_url())

    assert detail_url(appeal) in response.text
    assert create_url(appeal.incident) in response.text


def test_incident_page_offers_researchers_no_new_appeal(researcher_client):
    appeal = AppealFactory()

    response = researcher_client.get(appeal.incident.get_staff_url())

    assert detail_url(appeal) in response.text
    assert create_url(appeal.incident) not in response.text


# Addressees.


def test_addressee_list_searches_and_paginates(researcher_client):
    AddresseeFactory(name="Sadyr Japarov", position="President")
    AddresseeFactory.create_batch(30)

    found = researcher_client.get(reverse("appeals:addressee_list"), {"q": "japarov"})
    first_page = researcher_client.get(reverse("appeals:addressee_list"))

    assert [a.name for a in found.context["page"].object_list] == ["Sadyr Japarov"]
    assert first_page.context["page"].paginator.num_pages == 2
    assert "New addressee" not in first_page.text


def test_editor_adds_and_edits_an_addressee(editor_client):
    response = editor_client.post(
        reverse("appeals:addressee_create"),
        {"name": "Kurbanbek Bazarbaev", "position": "Prosecutor General", "country": "kg"},
    )

    addressee = Addressee.objects.get()
    assert response.status_code == 302
    assert addressee.country == "KG"
    editor_client.post(
        reverse("appeals:addressee_edit", args=[addressee.pk]),
        {"name": "Kurbanbek Bazarbaev", "position": "Former Prosecutor General", "country": "KG"},
    )
    addressee.refresh_from_db()
    assert addressee.position == "Former Prosecutor General"


def test_addressee_form_errors_stay_next_to_the_field(editor_client):
    response = editor_client.post(reverse("appeals:addressee_create"), {"email": "not-an-email"})

    assert response.status_code == 200
    assert 'id="id_name_error"' in response.text
    assert 'value="not-an-email"' in response.text


def test_researcher_cannot_add_or_edit_addressees(researcher_client):
    addressee = AddresseeFactory()

    assert researcher_client.get(reverse("appeals:addressee_create")).status_code == 403
    response = researcher_client.post(
        reverse("appeals:addressee_edit", args=[addressee.pk]), {"name": "Changed"}
    )
    assert response.status_code == 403
    addressee.refresh_from_db()
    assert addressee.name != "Changed"


def test_addressee_search_returns_picker_options(editor_client):
    minister = AddresseeFactory(name="Ulan Niyazbekov", position="Minister of the Interior")
    AddresseeFactory(name="Someone Else", position="Ombudsman")

    data = editor_client.get(reverse("appeals:addressee_search"), {"q": "interior"}).json()

    assert data == {"results": [{"id": minister.pk, "value": minister.pk, "text": str(minister)}]}


def test_addressee_search_returns_at_most_twenty(editor_client):
    AddresseeFactory.create_batch(25)

    data = editor_client.get(reverse("appeals:addressee_search")).json()

    assert len(data["results"]) == 20


def test_addressee_pages_are_forbidden_without_a_role(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("appeals:addressee_list")).status_code == 403
    assert client.get(reverse("appeals:addressee_search")).status_code == 403


# Query counts.


def test_addressee_list_query_count_does_not_grow_with_rows(
    researcher_client, django_assert_max_num_queries
):
    addressees = AddresseeFactory.create_batch(20)

    with django_assert_max_num_queries(7):
        response = researcher_client.get(reverse("appeals:addressee_list"))

    assert response.status_code == 200
    assert {a.pk for a in response.context["page"].object_list} == {a.pk for a in addressees}
    for addressee in addressees:
        assert f"{addressee.name}<" in response.text


def test_detail_query_count_does_not_grow_with_languages_versions_and_events(
    reviewer_client, django_assert_max_num_queries
):
    appeal = AppealFactory(original_language="fr")
    for language in ("en", "ru", "ar"):
        AppealTextFactory(appeal=appeal, language=language)
    for language in ("en", "fr", "ru", "ar"):
        for number in (1, 2):
            version = appeal.versions.create(
                language=language,
                number=number,
                content_hash="x",
                sha256="ab" * 32,
                size=1000,
                file_name=f"{appeal.pk}/{language}/v{number}.pdf",
                ready_at=timezone.now(),
            )
            RenderJob.objects.create(
                appeal=appeal, language=language, state="ready", version=version, attempts=1
            )
    addressees = AddresseeFactory.create_batch(3)
    for addressee in addressees:
        appeal.addressee_links.create(addressee=addressee)
    actor = UserFactory(username="someone")
    for _ in range(5):
        AppealEvent.objects.create(appeal=appeal, actor=actor, action="edited")

    with django_assert_max_num_queries(16):
        response = reviewer_client.get(detail_url(appeal))

    assert response.status_code == 200
    rows = response.context["language_rows"]
    assert rows[0]["code"] == "fr"  # the original first
    assert {row["code"]: [v.number for v in row["versions"]] for row in rows} == {
        code: [2, 1] for code in ("en", "fr", "ru", "ar")
    }
    for addressee in addressees:
        assert addressee.name in response.text
    assert len(response.context["events"]) == 5
    assert response.text.count("someone") >= 5


def test_publishing_an_appeal_asks_first_in_a_dialog(reviewer_client):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)
    url = transition_url(appeal, "publish")

    detail = reviewer_client.get(appeal.get_absolute_url())
    asked = reviewer_client.get(url)

    assert f'href="{url}" data-confirm-dialog="confirm-publish"' in detail.text
    assert 'id="confirm-publish"' in detail.text
    assert "It becomes public at once" in asked.text
    assert 'name="publish-note"' in asked.text


def test_add_another_addressee_without_javascript_gives_one_more_row(editor_client):
    appeal = AppealFactory()
    url = reverse("appeals:edit", kwargs={"pk": appeal.pk})
    page = editor_client.get(url)
    data = {
        **{k: v for k, v in page.context["form"].initial.items() if v is not None},
        "addressees-TOTAL_FORMS": "1",
        "addressees-INITIAL_FORMS": "1",
        "addressees-0-id": str(appeal.addressee_links.get().pk),
        "addressees-0-addressee": str(appeal.addressee_links.get().addressee_id),
        "add_row": "addressees",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert len(response.context["addressees"].forms) == 2
    assert response.context["error_summary"] == []
    assert 'name="add_row" value="addressees"' in response.text
