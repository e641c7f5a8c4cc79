"""Demo appeals for the demo cases (run by ``load_demo``; safe to run again).

Written through ``appeals.services`` and the workflow. The Bishkek appeal was issued in
May 2019: its submission and publication are given their past time (``at=``), so
``published_at``, its events and its reference ("KGZ 001 / 0519") carry that date. Its
creation and texts are dated the day the demo is loaded.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from appeals.models import Addressee, Appeal, AppealText, AppealVersion
from appeals.rendering import printable_appeal
from appeals.services import (
    addressee_save,
    appeal_publish,
    appeal_request_render,
    appeal_save,
    appeal_submit,
    appeal_text_save,
)
from casefile.rows import Row
from incidents.models import Incident

BISHKEK_SLUG = "coalition-against-torture-meeting-disrupted-bishkek-2019"
KAZAKHSTAN_SLUG = "kazakhstan-january-2022-unrest-mass-arrests"
# Its reference takes this date: "KGZ 001 / 0519".
PUBLISHED_AT = datetime.datetime(2019, 5, 27, 9, tzinfo=datetime.UTC)

ADDRESSEES = [
    {
        "name": "Sooronbay Jeenbekov",
        "honorific": "H.E. Mr",
        "position": "President of the Kyrgyz Republic",
        "institution": "Office of the President",
        "country": "KG",
        "postal_address": "Chuy Avenue 205\n720003 Bishkek\nKyrgyz Republic",
        "salutation": "Your Excellency,",
    },
    {
        "name": "Prosecutor General of the Kyrgyz Republic",
        "position": "Prosecutor General",
        "institution": "General Prosecutor's Office",
        "country": "KG",
        "postal_address": "Prospekt Erkindik 44\n720040 Bishkek\nKyrgyz Republic",
        "salutation": "Dear Prosecutor General,",
    },
]

TEXTS = {
    "fr": {
        "title": "Kirghizistan : une réunion de la Coalition contre la torture perturbée à Bichkek",
        "summary": (
            "Le 23 mai 2019, neuf personnes munies de caméras et d'enregistreurs ont fait "
            "irruption dans une réunion de travail de la Coalition contre la torture à Bichkek "
            "et ont exigé qu'elle cesse. Elles se sont présentées comme des membres du "
            "Mouvement de la jeunesse patriotique du Kirghizstan."
        ),
        "situation": (
            "Du 21 au 23 mai 2019, des avocats travaillant avec la Coalition examinaient, avec "
            "des experts internationaux, le traitement des affaires de torture par les "
            "juridictions nationales et étrangères. Le dernier jour, les intrus ont affirmé que "
            "la réunion était financée par des pays occidentaux pour déstabiliser le pays, "
            "avant de reconnaître, une fois son objet expliqué, avoir été mal informés.\n\n"
            "Les participants ont filmé l'intrusion et porté plainte auprès de la police du "
            "district d'Alamedin pour « hooliganisme » et entrave à l'activité professionnelle "
            "d'un avocat."
        ),
        "about_defenders": (
            "La Coalition contre la torture réunit 17 organisations non gouvernementales et "
            "des militants de la société civile qui préviennent et combattent la torture et "
            "les mauvais traitements au Kirghizstan : suivi des lieux de détention, aide "
            "juridique et accompagnement des victimes."
        ),
        "background": (
            "Selon des défenseurs des droits humains locaux, le même groupe avait déjà "
            "interrompu une formation d'avocats dans la même salle. Il s'en prend aux "
            "défenseurs des droits humains et à leurs organisations depuis 2011."
        ),
        "concerns": (
            "Nous craignons que cette intrusion vise uniquement le travail pacifique et "
            "légitime de la Coalition contre la torture, et qu'elle cherche à intimider les "
            "organisations qui dénoncent la torture et les mauvais traitements."
        ),
        "actions_requested": (
            "enquêter de manière approfondie et impartiale sur la plainte déposée le "
            "23 mai 2019 et traduire les responsables en justice ;\n"
            "garantir que les membres de la Coalition contre la torture et les avocats qui "
            "travaillent avec elle puissent se réunir sans crainte de représailles ;\n"
            "veiller à ce que tous les défenseurs des droits humains au Kirghizstan puissent "
            "mener leurs activités légitimes sans restriction ni harcèlement."
        ),
    },
    "ru": {
        "title": "Кыргызстан: в Бишкеке сорвано собрание Коалиции против пыток",
        "summary": (
            "23 мая 2019 года девять человек с камерами и диктофонами ворвались на рабочую "
            "встречу Коалиции против пыток в Бишкеке и потребовали её прекратить. Они назвались "
            "членами Патриотического молодёжного движения Кыргызстана."
        ),
        "situation": (
            "С 21 по 23 мая 2019 года юристы, работающие с Коалицией, вместе с международными "
            "экспертами обсуждали, как национальные и зарубежные суды рассматривают дела о "
            "пытках. В последний день нападавшие заявили, что встречу оплачивают западные "
            "страны, чтобы дестабилизировать страну, но после объяснений организаторов "
            "признали, что были дезинформированы.\n\n"
            "Участники сняли вторжение на видео и подали заявление в отдел внутренних дел "
            "Аламединского района о «хулиганстве» и воспрепятствовании профессиональной "
            "деятельности адвоката."
        ),
        "about_defenders": (
            "Коалиция против пыток объединяет 17 неправительственных организаций и "
            "гражданских активистов, которые предупреждают пытки и жестокое обращение в "
            "Кыргызстане: посещают места заключения, оказывают юридическую помощь и "
            "поддерживают пострадавших."
        ),
        "background": (
            "По словам местных правозащитников, та же группа уже срывала обучение для юристов "
            "в том же зале. С 2011 года она преследует правозащитников и их организации."
        ),
        "concerns": (
            "Мы опасаемся, что вторжение направлено исключительно против мирной и законной "
            "работы Коалиции против пыток и имеет целью запугать организации, которые "
            "противостоят пыткам и жестокому обращению."
        ),
        "actions_requested": (
            "провести тщательное и беспристрастное расследование по заявлению, поданному "
            "23 мая 2019 года, и привлечь виновных к ответственности;\n"
            "гарантировать, что члены Коалиции против пыток и работающие с ней юристы могут "
            "собираться без страха преследований;\n"
            "обеспечить всем правозащитникам Кыргызстана возможность вести законную "
            "деятельность без ограничений и преследований."
        ),
    },
}


class Command(BaseCommand):
    help = "Demo appeals: the Bishkek case in French and Russian (rendered), one draft."

    def handle(self, *args, **options):
        reviewer = User.objects.get(username="demo-reviewer")
        editor = User.objects.get(username="demo-editor")
        with transaction.atomic():
            bishkek = self._bishkek_appeal(reviewer)
            draft = self._draft_appeal(editor)
        rendered = self._render(bishkek, reviewer)
        self.stdout.write(
            f"Appeal {bishkek.reference} in {', '.join(sorted(TEXTS))} "
            f"({rendered} rendered now); draft appeal #{draft.pk} stays private."
        )

    def _bishkek_appeal(self, reviewer: User) -> Appeal:
        incident = Incident.objects.get(slug=BISHKEK_SLUG)
        addressees = []
        for values in ADDRESSEES:
            addressee = Addressee.objects.filter(name=values["name"]).first()
            addressees.append(addressee or addressee_save(actor=reviewer, fields=values))
        appeal = Appeal.objects.filter(incident=incident, kind=Appeal.Kind.URGENT_APPEAL).first()
        is_new = appeal is None
        listed = (
            set() if is_new else set(appeal.addressee_links.values_list("addressee", flat=True))
        )
        rows = [
            Row(None, {"addressee": addressee, "position": position})
            for position, addressee in enumerate(addressees, start=1)
            if addressee.pk not in listed
        ]
        if appeal is None:
            appeal = appeal_save(
                actor=reviewer,
                incident=incident,
                fields={
                    "kind": Appeal.Kind.URGENT_APPEAL,
                    "original_language": "fr",
                    "deadline": datetime.date(2019, 6, 30),
                },
                text=TEXTS["fr"],
                addressees=rows,
            )
        elif rows:
            appeal = appeal_save(actor=reviewer, appeal=appeal, fields={}, addressees=rows)
        for language, values in TEXTS.items():
            if not AppealText.objects.filter(appeal=appeal, language=language).exists():
                appeal_text_save(actor=reviewer, appeal=appeal, language=language, fields=values)
        # Published at its past time, unless it already is (or was withdrawn meanwhile).
        if appeal.publication_state == Appeal.State.DRAFT:
            appeal = appeal_submit(
                actor=reviewer, appeal=appeal, at=PUBLISHED_AT - datetime.timedelta(hours=1)
            )
        if appeal.publication_state == Appeal.State.IN_REVIEW:
            appeal = appeal_publish(actor=reviewer, appeal=appeal, at=PUBLISHED_AT)
        return appeal

    def _draft_appeal(self, editor: User) -> Appeal:
        incident = Incident.objects.get(slug=KAZAKHSTAN_SLUG)
        appeal = Appeal.objects.filter(incident=incident).first()
        if appeal is None:
            appeal = appeal_save(
                actor=editor,
                incident=incident,
                fields={"original_language": "en"},
                text={
                    "title": (
                        "Kazakhstan: release everyone detained for peaceful protest in January 2022"
                    ),
                    "summary": (
                        "Draft (demo): thousands were detained after the January 2022 "
                        "protests, many held incommunicado while the internet was shut down."
                    ),
                    "actions_requested": "release everyone detained solely for peaceful protest",
                },
            )
        return appeal

    def _render(self, appeal: Appeal, reviewer: User) -> int:
        """Render each language whose current text has no PDF yet (in-process without Redis)."""
        count = 0
        for language in TEXTS:
            content_hash = printable_appeal(appeal, language).content_hash
            versions = AppealVersion.objects.ready().filter(appeal=appeal, language=language)
            if not versions.filter(content_hash=content_hash).exists():
                appeal_request_render(actor=reviewer, appeal=appeal, language=language)
                count += 1
        return count
