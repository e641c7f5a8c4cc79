"""Load demo staff logins and demo cases for a local try-out.

Cases, organizations, perpetrator groups and their translations are written through their
services (``incidents.services``, ``organizations.services``) and the workflow, as the
staff screens write them, so search vectors, facet counts, events and public files follow.
The demo cases keep their historic dates: each service call that records a step is given
the step's past time (``at=``: filed, submitted, published in 2019 or 2022).

Idempotent: every record is keyed on a natural key (username, slug, name, title, date) and
its current values are compared with the demo's before a service is called; a service is
called only with what differs, so a second run writes nothing (no history row, no event,
``updated_at`` unchanged). Rows the demo does not name are left alone. The users have no
service and are written directly (``_sync``).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import models, transaction

from accounts.totp import totp_enrol, totp_url
from casefile.roles import EDITOR, RESEARCHER, REVIEWER
from casefile.rows import Row
from incidents.hooks import demo_loaders
from incidents.models import (
    Figure,
    Incident,
    IncidentPerpetrator,
    Source,
    Status,
    ViolationType,
)
from incidents.services import (
    incident_publish,
    incident_save,
    incident_submit,
    incident_translation_save,
)
from organizations.models import Organization, PerpetratorGroup
from organizations.services import (
    organization_save,
    organization_translation_save,
    perpetrator_group_save,
)

DEFAULT_PASSWORD = "casefile-demo"
# Where scripts/run serves the site (CASEFILE_ADDR, README); elsewhere, the server's own.
DEFAULT_ADDRESS = "127.0.0.1:8000"
NOTE = "Demo data loaded by load_demo."

# (username, role group or None for the superuser, what the role may do)
DEMO_USERS = [
    ("demo-editor", EDITOR, "file incidents, edit drafts, submit them for review"),
    ("demo-reviewer", REVIEWER, "publish, send back, withdraw"),
    ("demo-researcher", RESEARCHER, "read everything, change nothing"),
    ("demo-admin", None, "superuser; the Django admin at /admin/"),
]

BISHKEK_SLUG = "coalition-against-torture-meeting-disrupted-bishkek-2019"
KAZAKHSTAN_SLUG = "kazakhstan-january-2022-unrest-mass-arrests"
DRAFT_SLUG = "draft-demo-coalition-lawyer-summoned-for-questioning"
DRAFT_FILED_AT = datetime.datetime(2019, 6, 3, 9, tzinfo=datetime.UTC)


def login_url() -> str:
    address = os.environ.get("CASEFILE_ADDR") or DEFAULT_ADDRESS
    return f"http://{address}/en/accounts/login/"


def _utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def _sync[M: models.Model](model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Create the row, or bring it in line with ``values``, saving only if something differs.

    For the users only: accounts has no service. ``update_or_create`` would save on every
    run, so a second run would not be a no-op.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj


def _differing(record: models.Model | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``values`` that ``record`` does not hold yet (all of them for no record)."""
    if record is None:
        return dict(values)
    differing = {}
    for name, value in values.items():
        if record._meta.get_field(name).many_to_many:
            same = set(getattr(record, name).values_list("pk", flat=True)) == {
                item.pk for item in value
            }
        else:
            same = getattr(record, name) == value
        if not same:
            differing[name] = value
    return differing


def _rows(
    incident: Incident | None,
    relation: str,
    keys: Sequence[str],
    wanted: Iterable[Mapping[str, Any]],
) -> list[Row]:
    """The ``Row``s that add the ``wanted`` rows of ``relation`` the case lacks (matched on
    ``keys``) and change those that differ; an unchanged row gives none."""
    existing = list(getattr(incident, relation).all()) if incident else []
    rows = []
    for values in wanted:
        match = next(
            (row for row in existing if all(getattr(row, key) == values[key] for key in keys)),
            None,
        )
        if match is None:
            rows.append(Row(None, values))
        elif differing := _differing(match, values):
            rows.append(Row(match.pk, differing))
    return rows


class Command(BaseCommand):
    help = "Create demo staff users and demo cases (safe to run again: it changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"password of the demo users (default: $DEMO_PASSWORD or {DEFAULT_PASSWORD!r})",
        )

    def handle(self, *args, **options):
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "DEBUG is off: the demo users have a known password. "
                    "Do not leave them on a server that others can reach."
                )
            )
        with transaction.atomic():
            users = self._load_users(password)
            self.editor, self.reviewer = users["demo-editor"], users["demo-reviewer"]
            incidents = self._load_cases()
            self._translate_organizations()
        for command in demo_loaders():
            call_command(command, stdout=self.stdout)
        self._report(password, incidents)

    # Users.

    def _load_users(self, password: str) -> dict[str, User]:
        users = {}
        self.totp_secrets: dict[str, str] = {}
        for username, role, _description in DEMO_USERS:
            is_admin = role is None
            user = _sync(
                User,
                {"username": username},
                {
                    "email": f"{username}@example.org",
                    "is_active": True,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            # A fresh salt each time would make set_password a change on every run.
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role)] if role else [])
            # Staff must have a second factor: the demo users come with an authenticator app
            # (its secret is printed below) and recovery codes, both kept on later runs.
            self.totp_secrets[username] = totp_enrol(user)
            RecoveryCodes.activate(user)
            users[username] = user
        return users

    # Cases.

    def _load_cases(self) -> list[Incident]:
        return [self._load_bishkek(), self._load_kazakhstan(), self._load_draft()]

    def _actor(self, record: Incident | None) -> User:
        # Editors edit drafts; a case in review or published is changed by a reviewer.
        if record is None or record.publication_state == Incident.State.DRAFT:
            return self.editor
        return self.reviewer

    def _organization(self, name: str, values: dict[str, Any]) -> Organization:
        record = Organization.objects.filter(name=name).first()
        fields = _differing(record, {"name": name, **values})
        if record is None or fields:
            record = organization_save(actor=self.editor, organization=record, fields=fields)
        return record

    def _group(self, name: str, values: dict[str, Any]) -> PerpetratorGroup:
        record = PerpetratorGroup.objects.filter(name=name).first()
        fields = _differing(record, {"name": name, **values})
        if record is None or fields:
            record = perpetrator_group_save(actor=self.editor, group=record, fields=fields)
        return record

    def _incident(
        self,
        *,
        slug: str,
        status: str,
        violation_codes: list[str],
        organizations: list[Organization],
        published_at: datetime.datetime | None,
        perpetrators: list[tuple[PerpetratorGroup, str]],
        sources: list[dict[str, Any]],
        figures: list[dict[str, Any]],
        updates: list[dict[str, Any]],
        **fields: Any,
    ) -> Incident:
        """Bring the case in line with the demo through ``incident_save``, then take it
        through the workflow to its state (published, or left a draft) at its past times:
        filed by the editor, submitted an hour later, published by the reviewer."""
        filed_at = published_at - datetime.timedelta(hours=4) if published_at else DRAFT_FILED_AT
        incident = Incident.objects.filter(slug=slug).first()
        is_new = incident is None
        changed = _differing(
            incident,
            {
                "slug": slug,
                **fields,
                "status": Status.objects.get(slug=status),
                "violation_types": list(ViolationType.objects.filter(code__in=violation_codes)),
                "organizations": organizations,
            },
        )
        rows = {
            "perpetrator_links": _rows(
                incident,
                "perpetrator_links",
                ["perpetrator_group"],
                [
                    {"perpetrator_group": group, "involvement": involvement}
                    for group, involvement in perpetrators
                ],
            ),
            "sources": _rows(incident, "sources", ["title"], sources),
            "updates": _rows(incident, "updates", ["date"], updates),
        }
        rows = {relation: changes for relation, changes in rows.items() if changes}
        if is_new or changed or rows:
            incident = incident_save(
                actor=self._actor(incident),
                incident=incident,
                fields=changed,
                rows=rows,
                at=filed_at if is_new else None,
            )
        # A figure cites one of the case's sources, so it is saved once they are: a second
        # save (the staff form too offers only the sources the case already has).
        cited = [
            {**values, "source": incident.sources.get(title=values["source"])} for values in figures
        ]
        if figure_rows := _rows(incident, "figures", ["counted", "source"], cited):
            incident = incident_save(
                actor=self._actor(incident),
                incident=incident,
                fields={},
                rows={"figures": figure_rows},
                at=filed_at if is_new else None,
            )
        self._translate_incident(incident)
        if published_at and incident.publication_state == Incident.State.DRAFT:
            incident = incident_submit(
                actor=self.editor,
                incident=incident,
                note=NOTE,
                at=filed_at + datetime.timedelta(hours=1),
            )
        if published_at and incident.publication_state == Incident.State.IN_REVIEW:
            incident = incident_publish(
                actor=self.reviewer, incident=incident, note=NOTE, at=published_at
            )
        return incident

    def _load_bishkek(self) -> Incident:
        coalition = self._organization(
            "Coalition Against Torture",
            {
                "kind": Organization.Kind.COALITION,
                "country": "KG",
                "city": "Bishkek",
                "member_organizations": 17,
                "about": (
                    "The Coalition Against Torture brings together 17 non-governmental "
                    "organizations and independent civil-society activists who work to "
                    "prevent and combat torture and ill-treatment in Kyrgyzstan.\n\n"
                    "Its members monitor places of detention, give legal aid to people "
                    "who were tortured or ill-treated, and help them recover."
                ),
            },
        )
        youth_movement = self._group(
            "Kyrgyzstan Patriotic Youth Movement",
            {
                "aliases": (
                    "Кыргызстандын патриот жаштар кыймылы\n"
                    "Патриотическое молодёжное движение Кыргызстана\n"
                    "Mouvement de la jeunesse patriotique du Kirghizstan"
                ),
                "kind": PerpetratorGroup.Kind.PRO_GOVERNMENT,
                "country": "KG",
                "description": (
                    "A nationalist group that has targeted human rights defenders and "
                    "organizations since 2011. It presents itself as a watchdog over what "
                    "it calls the illegal initiatives of foreign embassies, international "
                    "organizations and their local partners."
                ),
            },
        )
        harassment = "harassment-and-intimidation"
        press_release = (
            "Une réunion de la Coalition contre la torture interrompue avec agressivité "
            "par des membres du Mouvement de la jeunesse patriotique du Kirghizstan"
        )
        return self._incident(
            slug=BISHKEK_SLUG,
            status="harassment-and-intimidation",
            violation_codes=["0601", "0403", "0504"],
            organizations=[coalition],
            published_at=_utc(2019, 5, 24, 12),
            title=(
                "Coalition Against Torture meeting in Bishkek disrupted by the "
                "Kyrgyzstan Patriotic Youth Movement"
            ),
            summary=(
                "On 23 May 2019 nine people burst into a working meeting of the Coalition "
                "Against Torture in Bishkek, Kyrgyzstan, and demanded that it stop. They "
                "accused the meeting of being paid for by Western countries to "
                "destabilise peace in Kyrgyzstan."
            ),
            narrative=(
                "From 21 to 23 May 2019, lawyers working with the Coalition Against "
                "Torture (in Russian, «Коалиция против пыток») met in a conference room in "
                "Bishkek. With international experts, they discussed how courts at home and "
                "abroad currently deal with torture cases.\n\n"
                "On the last day, 23 May, nine people carrying cameras and voice recorders "
                "walked into the room and aggressively insisted that the meeting end. They "
                "later introduced themselves as members of the Kyrgyzstan Patriotic Youth "
                "Movement and claimed that Western governments, and the organizations they "
                "fund, were trying to undermine peace in the country. Once the organizers "
                "had explained what the meeting was really about, the group said it had "
                "been misinformed.\n\n"
                "The participants filmed the intrusion and lodged a complaint with the "
                "Alamedin district police department of internal affairs for "
                '"hooliganism" and for obstructing the professional activities of a '
                "lawyer.\n\n"
                "According to local human rights defenders, it was not the first time the "
                "group had interfered with lawyers' work: it had already broken up a "
                "training for lawyers held in the same conference room. The movement has "
                "targeted human rights defenders and their organizations since 2011.\n\n"
                "The disruption appears to be aimed solely at the coalition's peaceful and "
                "legitimate work against torture, and at intimidating the organizations "
                "that challenge torture and ill-treatment."
            ),
            occurred_on=datetime.date(2019, 5, 23),
            date_precision=Incident.DatePrecision.DAY,
            ended_on=None,
            country="KG",
            region="",
            place="Bishkek",
            location_precision=Incident.LocationPrecision.PLACE,
            perpetrators=[(youth_movement, IncidentPerpetrator.Involvement.CARRIED_OUT)],
            sources=[
                {
                    "title": press_release,
                    "kind": Source.Kind.PRESS_RELEASE,
                    "url": "",
                    "publisher": "Front Line Defenders",
                    "published_on": datetime.date(2019, 5, 24),
                    "language": "fr",
                    "reliability": Source.Reliability.PROBABLE,
                }
            ],
            figures=[
                {
                    "counted": Figure.Counted.OTHER,
                    "source": press_release,
                    "label": "people disrupted the meeting",
                    "value": 9,
                    "qualifier": Figure.Qualifier.EXACT,
                    "as_of": datetime.date(2019, 5, 24),
                    "according_to": "Front Line Defenders",
                }
            ],
            updates=[
                {
                    "date": datetime.date(2019, 5, 23),
                    "title": "Meeting disrupted; complaint lodged with the police",
                    "body": (
                        "Participants filmed the intrusion and complained to the Alamedin "
                        "district police department of internal affairs."
                    ),
                    "status": Status.objects.get(slug=harassment),
                    "created_at": _utc(2019, 5, 24, 9),
                },
                {
                    "date": datetime.date(2019, 5, 24),
                    "title": "Front Line Defenders publishes the case",
                    "body": (
                        "Front Line Defenders issued a statement on the disruption, concerned "
                        "that the coalition was targeted for its peaceful work against torture."
                    ),
                    "status": Status.objects.get(slug=harassment),
                    "created_at": _utc(2019, 5, 24, 12),
                },
            ],
        )

    def _load_kazakhstan(self) -> Incident:
        police = self._group(
            "Kazakhstan police",
            {
                "aliases": "Полиция Казахстана",
                "kind": PerpetratorGroup.Kind.POLICE,
                "country": "KZ",
                "description": "",
            },
        )
        ministry = self._group(
            "Ministry of Internal Affairs of Kazakhstan",
            {
                "aliases": (
                    "Министерство внутренних дел Республики Казахстан\n"
                    "Қазақстан Республикасы Ішкі істер министрлігі"
                ),
                "kind": PerpetratorGroup.Kind.OFFICIALS,
                "country": "KZ",
                "description": "",
            },
        )
        news = (
            "Une maman du Conseil des droits de l'homme des Nations Unies sur la "
            "violence meurtrière au Kazakhstan, l'un de ses membres"
        )
        updates = [
            (
                datetime.date(2022, 1, 2),
                "Fuel-price protests begin in Zhanaozen",
                "Demonstrations against a rise in fuel prices start in the oil town of "
                "Zhanaozen and soon spread to Almaty and other cities.",
                None,
            ),
            (
                datetime.date(2022, 1, 6),
                "Deaths reported; CSTO troops sent; UN High Commissioner speaks out",
                "The authorities say 12 members of the security forces have been killed and "
                'the police speak of dozens of attackers "liquidated" in Almaty. The UN '
                "High Commissioner for Human Rights criticises the internet shutdown and the "
                "arrests.",
                "killing",
            ),
            (
                datetime.date(2022, 1, 7),
                "More than 2,000 people arrested",
                "The Ministry of Interior reports more than 2,000 arrests under the state of "
                "emergency.",
                "arbitrary-detention",
            ),
        ]
        return self._incident(
            slug=KAZAKHSTAN_SLUG,
            status="arbitrary-detention",
            violation_codes=["0301", "0302", "0702", "0103"],
            organizations=[],
            published_at=_utc(2022, 1, 10, 12),
            title=(
                "Mass arrests, deaths and an internet shutdown in Kazakhstan's January 2022 unrest"
            ),
            summary=(
                "Protests over fuel prices began on 2 January 2022 in Zhanaozen, an oil town "
                "in Kazakhstan's far south-west, and spread within days to Almaty and other "
                "cities. The authorities declared a state of emergency, cut off the internet "
                "and arrested more than 2,000 people; deaths were reported among protesters "
                "and the security forces."
            ),
            narrative=(
                "Anger at rising fuel prices first erupted on 2 January 2022 in Zhanaozen, "
                "in the far south-west of Kazakhstan. Over the next days anti-government "
                "demonstrations spread to Almaty, the largest city, and to other towns. In "
                "places they turned violent: official buildings were set on fire and "
                "protesters clashed with the police.\n\n"
                "A state of emergency was declared. The Ministry of Interior said that more "
                "than 2,000 people had been arrested. The authorities reported that 12 "
                "members of the security forces had been killed, while a national police "
                'spokeswoman said that "dozens of attackers" had been "liquidated" in '
                "Almaty, referring to the anti-government protesters. No independent count "
                "of deaths among protesters was available at the time.\n\n"
                "The government cut internet access. The UN High Commissioner for Human "
                "Rights, Michelle Bachelet, criticised the shutdown as no answer to a crisis "
                "and warned that it risked fuelling violence. She recalled that people have "
                "the right to protest peacefully and to express themselves, urged protesters "
                "not to turn to violence, and voiced concern about the arrests.\n\n"
                "At President Kassym-Jomart Tokayev's request, the Moscow-led Collective "
                "Security Treaty Organization (CSTO) sent 2,500 troops it described as "
                "peacekeepers. The High Commissioner said that any use of force, including "
                "by foreign forces, must follow international standards for law "
                "enforcement.\n\n"
                "In Kazakhstan the events are often called «Январские события» (Russian, "
                '"the January events") or «Қаңтар оқиғалары» (Kazakh).'
            ),
            occurred_on=datetime.date(2022, 1, 2),
            date_precision=Incident.DatePrecision.DAY,
            ended_on=None,
            country="KZ",
            region="",
            place="Zhanaozen, Almaty and other cities",
            location_precision=Incident.LocationPrecision.COUNTRY,
            perpetrators=[
                (police, IncidentPerpetrator.Involvement.CARRIED_OUT),
                (ministry, IncidentPerpetrator.Involvement.ORDERED),
            ],
            sources=[
                {
                    "title": news,
                    "kind": Source.Kind.NEWS_REPORT,
                    "url": "",
                    "publisher": "CNSNews.com (French translation)",
                    "published_on": datetime.date(2022, 1, 7),
                    "language": "fr",
                    "reliability": Source.Reliability.PROBABLE,
                },
                {
                    "title": "Statement by the UN High Commissioner for Human Rights on Kazakhstan",
                    "kind": Source.Kind.OFFICIAL_STATEMENT,
                    "url": "",
                    "publisher": "Office of the UN High Commissioner for Human Rights",
                    "published_on": datetime.date(2022, 1, 6),
                    "language": "en",
                    "reliability": Source.Reliability.CONFIRMED,
                },
            ],
            figures=[
                {
                    "counted": Figure.Counted.ARRESTED,
                    "source": news,
                    "label": "",
                    "value": 2000,
                    "qualifier": Figure.Qualifier.AT_LEAST,
                    "as_of": datetime.date(2022, 1, 7),
                    "according_to": "the Ministry of Interior",
                },
                {
                    "counted": Figure.Counted.KILLED,
                    "source": news,
                    "label": "members of the security forces",
                    "value": 12,
                    "qualifier": Figure.Qualifier.EXACT,
                    "as_of": datetime.date(2022, 1, 7),
                    "according_to": "the authorities",
                },
            ],
            updates=[
                {
                    "date": date,
                    "title": title,
                    "body": body,
                    "status": Status.objects.get(slug=status) if status else None,
                    "created_at": _utc(2022, 1, 10, 9),
                }
                for date, title, body, status in updates
            ],
        )

    def _load_draft(self) -> Incident:
        coalition = Organization.objects.get(name="Coalition Against Torture")
        investigators = self._group(
            "Unidentified investigators (demo draft group)",
            {
                "aliases": "",
                "kind": PerpetratorGroup.Kind.UNKNOWN,
                "country": "KG",
                "description": "Named only in a draft: its page must stay 404 to the public.",
            },
        )
        return self._incident(
            slug=DRAFT_SLUG,
            status="judicial-harassment",
            violation_codes=["0501"],
            organizations=[coalition],
            published_at=None,
            title="DRAFT (demo, fictional): coalition lawyer summoned for questioning",
            summary=(
                "Demo draft, fictional and unverified: a lawyer who attended the disrupted "
                "Coalition Against Torture meeting is said to have been summoned for "
                "questioning. This is a draft and must never appear on the public site."
            ),
            narrative="To be checked with the coalition before anything is written here.",
            occurred_on=datetime.date(2019, 6, 1),
            date_precision=Incident.DatePrecision.MONTH,
            ended_on=None,
            country="KG",
            region="",
            place="Bishkek",
            location_precision=Incident.LocationPrecision.PLACE,
            perpetrators=[(investigators, IncidentPerpetrator.Involvement.SUSPECTED)],
            sources=[
                {
                    "title": "Phone call with a coalition member (demo)",
                    "kind": Source.Kind.WITNESS_TESTIMONY,
                    "url": "",
                    "publisher": "",
                    "published_on": datetime.date(2019, 6, 3),
                    "language": "ru",
                    "reliability": Source.Reliability.UNVERIFIED,
                }
            ],
            figures=[],
            updates=[],
        )

    # Translations: the demo cases are written in English and read in French and Russian.

    def _translate_incident(self, incident: Incident) -> None:
        from .demo_translations import INCIDENTS

        fields = ("title", "summary", "narrative", "region", "place")
        for language, texts in INCIDENTS.get(incident.slug, {}).items():
            wanted = {name: texts[name] for name in fields}
            translation = incident.translations.filter(language=language).first()
            update_texts = {}
            for date, (title, body) in texts["updates"].items():
                update = incident.updates.get(date=date)
                values = {"title": title, "body": body}
                if _differing(update.translations.filter(language=language).first(), values):
                    update_texts[update.pk] = values
            figure_labels = {}
            for label, translated in texts["figures"].items():
                for figure in incident.figures.filter(label=label):
                    values = {"label": translated}
                    if _differing(figure.translations.filter(language=language).first(), values):
                        figure_labels[figure.pk] = values
            if _differing(translation, wanted) or update_texts or figure_labels:
                incident_translation_save(
                    actor=self._actor(incident),
                    incident=incident,
                    language=language,
                    texts=wanted,
                    update_texts=update_texts,
                    figure_labels=figure_labels,
                )

    def _translate_organizations(self) -> None:
        from .demo_translations import (
            ORGANIZATION_NAMES,
            ORGANIZATIONS,
            PERPETRATOR_GROUP_NAMES,
            PERPETRATOR_GROUPS,
        )

        for model, names, texts in (
            (Organization, ORGANIZATION_NAMES, ORGANIZATIONS),
            (PerpetratorGroup, PERPETRATOR_GROUP_NAMES, PERPETRATOR_GROUPS),
        ):
            name_field, text_field = model.translatable_fields
            for english_name in names.keys() | texts.keys():
                record = model.objects.get(name=english_name)
                languages = names.get(english_name, {}).keys() | texts.get(english_name, {}).keys()
                for language in sorted(languages):
                    wanted = {
                        # Stripped, as the service stores them: else never equal.
                        name_field: names.get(english_name, {}).get(language, "").strip(),
                        text_field: texts.get(english_name, {}).get(language, "").strip(),
                    }
                    if _differing(record.translations.filter(language=language).first(), wanted):
                        organization_translation_save(
                            actor=self.editor, record=record, language=language, texts=wanted
                        )

    # Output.

    def _report(self, password: str, incidents: list[Incident]) -> None:
        self.stdout.write("")
        self.stdout.write("Demo logins (local demo only):")
        self.stdout.write(f"  {'username':<16} {'password':<16} may")
        for username, _role, description in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {password:<16} {description}")
        self.stdout.write("")
        self.stdout.write(
            "Each demo login then asks for the code of an authenticator app. Add the user to "
            "an app with the address below (or type its secret), or print the current code: "
            ".venv/bin/python manage.py demo_totp demo-editor  (add --recovery-codes for the "
            "one-time recovery codes)."
        )
        for username, _role, _description in DEMO_USERS:
            user = User.objects.get(username=username)
            self.stdout.write(f"  {username:<16} {totp_url(user, self.totp_secrets[username])}")
        published = sum(incident.is_published for incident in incidents)
        drafts = len(incidents) - published
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{published} published cases, {drafts} draft; log in at {login_url()} "
                "(staff dashboard at /en/staff/; public site at /en/)."
            )
        )
