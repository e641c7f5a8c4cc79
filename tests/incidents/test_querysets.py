import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from incidents.models import Figure, Incident, Source
from organizations.models import Organization, PerpetratorGroup

from ..factories import (
    FigureFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_published_keeps_only_published_incidents():
    published = IncidentFactory(published=True)
    IncidentFactory()
    IncidentFactory(in_review=True)
    IncidentFactory(withdrawn=True)

    assert list(Incident.objects.published()) == [published]


def test_published_with_future_date_is_an_embargo_not_a_publication():
    IncidentFactory(
        publication_state=Incident.State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    assert not Incident.objects.published().exists()


def test_visible_to_anonymous_and_outsiders_is_published_only(outsider):
    from django.contrib.auth.models import AnonymousUser

    published = IncidentFactory(published=True)
    IncidentFactory()

    assert list(Incident.objects.visible_to(AnonymousUser())) == [published]
    assert list(Incident.objects.visible_to(outsider)) == [published]


@pytest.mark.parametrize("role", ["editor", "reviewer", "researcher"])
def test_visible_to_staff_roles_includes_unpublished(role):
    user = UserFactory(roles=[role])
    IncidentFactory(published=True)
    IncidentFactory()

    assert Incident.objects.visible_to(user).count() == 2


def test_organization_is_public_only_through_a_published_incident():
    public_org = OrganizationFactory(name="Coalition Against Torture")
    secret_org = OrganizationFactory(name="Lawyers in hiding")
    IncidentFactory(published=True, organizations=[public_org])
    IncidentFactory(organizations=[secret_org])

    assert list(Organization.objects.published()) == [public_org]


def test_perpetrator_group_named_only_in_a_draft_stays_hidden():
    link = IncidentPerpetratorFactory(incident=IncidentFactory(published=True))
    IncidentPerpetratorFactory(incident=IncidentFactory())

    assert list(PerpetratorGroup.objects.published()) == [link.perpetrator_group]


def test_sources_and_figures_follow_their_incident():
    visible = SourceFactory(incident=IncidentFactory(published=True))
    SourceFactory(incident=IncidentFactory())
    figure = FigureFactory(incident=visible.incident)
    FigureFactory(incident=IncidentFactory(in_review=True))

    assert list(Source.objects.published()) == [visible]
    assert list(Figure.objects.published()) == [figure]


def test_published_incident_needs_a_publication_date():
    with pytest.raises(IntegrityError):
        IncidentFactory(publication_state=Incident.State.PUBLISHED, published_at=None)


def test_incident_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        IncidentFactory(occurred_on=datetime.date(2022, 1, 5), ended_on=datetime.date(2022, 1, 2))


def test_coordinates_come_in_pairs():
    with pytest.raises(IntegrityError):
        IncidentFactory(latitude="42.87", longitude=None)


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (Incident.DatePrecision.DAY, "May 23, 2019"),
        (Incident.DatePrecision.MONTH, "May 2019"),
        (Incident.DatePrecision.YEAR, "2019"),
        (Incident.DatePrecision.ESTIMATE, "around May 2019"),
    ],
)
def test_date_is_shown_no_more_precisely_than_known(precision, expected):
    incident = IncidentFactory.build(
        occurred_on=datetime.date(2019, 5, 23), date_precision=precision
    )

    assert incident.occurred_display == expected


def test_conflicting_figures_from_two_sources_both_stay():
    incident = IncidentFactory(published=True)
    FigureFactory(incident=incident, counted="arrested", value=2000, qualifier="at_least")
    FigureFactory(incident=incident, counted="arrested", value=7939, according_to="Prosecutor")

    values = sorted(incident.figures.values_list("value", flat=True))
    assert values == [2000, 7939]
    assert str(incident.figures.get(value=2000).value_display) == "at least 2000"
