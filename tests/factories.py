import datetime
import time

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from accounts.staff import STAFF_ROLES
from appeals.models import Addressee, Appeal, AppealText
from appeals.references import allocate_reference
from incidents.facets import facet_key, refresh_facet_counts
from incidents.models import Figure, Incident, IncidentPerpetrator, Source, Status, Update
from incidents.search import refresh_search_vectors
from organizations.models import Organization, PerpetratorGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """Staff have an authenticator app (TOTP), as they must; ``mfa=False`` for one who
        has yet to enrol. ``totp_code(user)`` gives its current code."""
        if not create:
            return
        wanted = extracted
        if wanted is None:
            wanted = (
                self.is_superuser
                or self.is_staff
                or self.groups.filter(name__in=STAFF_ROLES).exists()
            )
        if wanted:
            TOTP.activate(self, generate_totp_secret())


def totp_code(user, step: int = 0) -> str:
    """The code the user's authenticator app shows now (``step``: 30-second steps away).

    allauth accepts each code once (and one step either side of now): a test that logs in
    twice uses ``step=1`` the second time.
    """
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def status(slug: str = "harassment-and-intimidation") -> Status:
    # Statuses are seeded by a migration; tests use the real vocabulary.
    return Status.objects.get(slug=slug)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Faker("company", locale="fr_FR")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organization.Kind.NGO
    country = "KG"
    city = "Bishkek"
    about = factory.Faker("paragraph", locale="fr_FR")


class PerpetratorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerpetratorGroup

    name = factory.Faker("company", locale="ru_RU")
    kind = PerpetratorGroup.Kind.PRO_GOVERNMENT
    country = "KG"


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Meeting disrupted in Bishkek {n}")
    slug = factory.Sequence(lambda n: f"meeting-disrupted-{n}")
    # Fixed words, not Faker's: random French text sometimes holds the very word a search
    # test looks for ("réunion", "secret") and makes it fail one run in a hundred.
    summary = factory.Sequence(lambda n: f"Résumé numéro {n} : faits établis par témoins.")
    narrative = factory.Sequence(lambda n: f"Récit numéro {n}, établi à partir des sources.")
    occurred_on = datetime.date(2019, 5, 23)
    country = "KG"
    place = "Bishkek"
    status = factory.LazyFunction(status)
    publication_state = Incident.State.DRAFT

    class Params:
        published = factory.Trait(
            publication_state=Incident.State.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )
        in_review = factory.Trait(publication_state=Incident.State.IN_REVIEW)
        withdrawn = factory.Trait(
            publication_state=Incident.State.WITHDRAWN,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if extracted:
            self.organizations.add(*extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            # What incident_save does after every save: search vector and facet counts.
            refresh_search_vectors([instance.pk])
            refresh_facet_counts([facet_key(instance)])


class IncidentPerpetratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentPerpetrator

    incident = factory.SubFactory(IncidentFactory)
    perpetrator_group = factory.SubFactory(PerpetratorGroupFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    incident = factory.SubFactory(IncidentFactory)
    kind = Source.Kind.PRESS_RELEASE
    title = factory.Faker("sentence", locale="fr_FR")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    publisher = "Front Line Defenders"
    language = "fr"


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    incident = factory.SubFactory(IncidentFactory)
    counted = Figure.Counted.DETAINED
    value = 9


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    incident = factory.SubFactory(IncidentFactory)
    date = datetime.date(2019, 5, 24)
    title = factory.Sequence(lambda n: f"Mise à jour numéro {n}")
    body = factory.Sequence(lambda n: f"Nouvelles informations numéro {n} sur le dossier.")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            refresh_search_vectors([instance.incident_id])


class AddresseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addressee

    honorific = "M."
    name = factory.Sequence(lambda n: f"Ministre {n}")
    position = "Ministre de l'Intérieur"
    institution = "Ministère de l'Intérieur de la République kirghize"
    postal_address = "Bichkek, Kirghizistan"
    salutation = "Monsieur le Ministre,"


class AppealFactory(factory.django.DjangoModelFactory):
    """An appeal ready to publish (appeals.checks): its text in ``original_language``, an
    addressee (``addressees=[]`` for none) and a deadline ahead. ``published=True`` issues it.
    """

    class Meta:
        model = Appeal
        skip_postgeneration_save = True

    incident = factory.SubFactory(IncidentFactory, published=True)
    original_language = "fr"
    publication_state = Appeal.State.DRAFT
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    @factory.post_generation
    def text(self, create, extracted, **kwargs):
        AppealTextFactory(appeal=self, **{"language": self.original_language, **(extracted or {})})

    @factory.post_generation
    def addressees(self, create, extracted, **kwargs):
        for position, addressee in enumerate(
            [AddresseeFactory()] if extracted is None else extracted, start=1
        ):
            self.addressee_links.create(addressee=addressee, position=position)

    @factory.post_generation
    def published(self, create, extracted, **kwargs):
        if extracted:
            with transaction.atomic():
                allocate_reference(self, issued_on=timezone.localdate())
                self.publication_state = Appeal.State.PUBLISHED
                self.published_at = timezone.now() - datetime.timedelta(minutes=5)
                self.save()


class AppealTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppealText

    language = "fr"
    title = "Kirghizistan : réunion de la Coalition contre la torture perturbée"
    summary = "Le 23 mai 2019, des membres d'un groupe nationaliste ont interrompu la réunion."
    situation = factory.Faker("paragraph", locale="fr_FR")
    about_defenders = "La Coalition contre la torture réunit des ONG kirghizes."
    concerns = "Nous craignons que ces actes visent à faire taire les défenseurs."
    actions_requested = "Garantir la sécurité des membres de la Coalition\nEnquêter sur l'attaque"
