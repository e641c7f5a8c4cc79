"""Demo appeals for the demo cases (run by ``load_demo``; safe to run again)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from appeals.models import Addressee, Appeal, AppealAddressee, AppealText, AppealVersion
from appeals.references import allocate_reference
from appeals.rendering import printable_appeal
from appeals.services import request_render
from incidents.models import Incident

BISHKEK_SLUG = "coalition-against-torture-meeting-disrupted-bishkek-2019"
KAZAKHSTAN_SLUG = "kazakhstan-january-2022-unrest-mass-arrests"
ISSUED_ON = datetime.date(2019, 5, 27)

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
            "Le 23 mai 2019, une trentaine de membres du Mouvement de la jeunesse patriotique "
            "du Kirghizistan ont fait irruption dans une réunion de la Coalition contre la "
            "torture à Bichkek, ont filmé les participants et les ont accusés de servir des "
            "intérêts étrangers. La police appelée sur place n'est pas intervenue."
        ),
        "situation": (
            "La Coalition présentait ses conclusions sur la torture en détention. Les intrus "
            "ont interrompu les interventions, exigé les noms des organisations membres et "
            "publié ensuite les images sur les réseaux sociaux avec des commentaires hostiles.\n\n"
            "Dans les jours suivants, plusieurs participants ont reçu des messages menaçants."
        ),
        "about_defenders": (
            "La Coalition contre la torture réunit 17 organisations non gouvernementales et "
            "des militants de la société civile qui préviennent et combattent la torture et "
            "les mauvais traitements au Kirghizistan : visites des lieux de détention, aide "
            "juridique et accompagnement des victimes."
        ),
        "background": (
            "Ce n'est pas la première fois que ce mouvement nationaliste s'en prend à des "
            "défenseurs des droits humains à Bichkek sans être inquiété."
        ),
        "concerns": (
            "Nous craignons que cette attaque, restée impunie, vise à intimider la Coalition "
            "et à dissuader les victimes de torture de témoigner."
        ),
        "actions_requested": (
            "garantir en toutes circonstances l'intégrité physique et psychologique des "
            "membres de la Coalition contre la torture ;\n"
            "ouvrir une enquête impartiale sur la perturbation de la réunion du 23 mai 2019 "
            "et sur l'inaction de la police ;\n"
            "veiller à ce que les défenseurs des droits humains puissent se réunir sans "
            "crainte de représailles."
        ),
    },
    "ru": {
        "title": "Кыргызстан: в Бишкеке сорвано собрание Коалиции против пыток",
        "summary": (
            "23 мая 2019 года около тридцати членов Патриотического молодёжного движения "
            "Кыргызстана ворвались на собрание Коалиции против пыток в Бишкеке, снимали "
            "участников на видео и обвиняли их в работе на иностранные интересы. Вызванная "
            "полиция не вмешалась."
        ),
        "situation": (
            "Коалиция представляла выводы о пытках в местах лишения свободы. Нападавшие "
            "прерывали выступления, требовали назвать организации-члены, а затем выложили "
            "видео в социальные сети с враждебными комментариями.\n\n"
            "В следующие дни несколько участников получили угрожающие сообщения."
        ),
        "about_defenders": (
            "Коалиция против пыток объединяет 17 неправительственных организаций и "
            "гражданских активистов, которые предупреждают пытки и жестокое обращение в "
            "Кыргызстане: посещают места заключения, оказывают юридическую помощь и "
            "поддерживают пострадавших."
        ),
        "background": (
            "Это движение не впервые безнаказанно нападает на правозащитников в Бишкеке."
        ),
        "concerns": (
            "Мы опасаемся, что это безнаказанное нападение направлено на запугивание Коалиции "
            "и на то, чтобы пострадавшие от пыток перестали давать показания."
        ),
        "actions_requested": (
            "при любых обстоятельствах гарантировать физическую и психологическую "
            "неприкосновенность членов Коалиции против пыток;\n"
            "провести беспристрастное расследование срыва собрания 23 мая 2019 года и "
            "бездействия полиции;\n"
            "обеспечить правозащитникам возможность собираться без страха преследований."
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
        appeal = Appeal.objects.filter(incident=incident, kind=Appeal.Kind.URGENT_APPEAL).first()
        if appeal is None:
            appeal = Appeal.objects.create(
                incident=incident,
                original_language="fr",
                deadline=datetime.date(2019, 6, 30),
                state=Appeal.State.PUBLISHED,
                published_at=datetime.datetime(2019, 5, 27, 9, tzinfo=datetime.UTC),
                created_by=reviewer,
                updated_by=reviewer,
            )
            allocate_reference(appeal, issued_on=ISSUED_ON)
            appeal.save()
        for language, values in TEXTS.items():
            text = AppealText.objects.filter(appeal=appeal, language=language).first()
            if text is None:
                AppealText.objects.create(appeal=appeal, language=language, **values)
        for position, values in enumerate(ADDRESSEES, start=1):
            addressee = Addressee.objects.filter(name=values["name"]).first()
            if addressee is None:
                addressee = Addressee.objects.create(**values)
            AppealAddressee.objects.get_or_create(
                appeal=appeal, addressee=addressee, defaults={"position": position}
            )
        return appeal

    def _draft_appeal(self, editor: User) -> Appeal:
        incident = Incident.objects.get(slug=KAZAKHSTAN_SLUG)
        appeal = Appeal.objects.filter(incident=incident).first()
        if appeal is None:
            appeal = Appeal.objects.create(
                incident=incident, original_language="en", created_by=editor, updated_by=editor
            )
            AppealText.objects.create(
                appeal=appeal,
                language="en",
                title="Kazakhstan: release everyone detained for peaceful protest in January 2022",
                summary=(
                    "Draft (demo): thousands were detained after the January 2022 protests, "
                    "many held incommunicado while the internet was shut down."
                ),
                actions_requested="release everyone detained solely for peaceful protest",
            )
        return appeal

    def _render(self, appeal: Appeal, reviewer: User) -> int:
        """Render each language whose current text has no PDF yet (in-process without Redis)."""
        count = 0
        for language in TEXTS:
            content_hash = printable_appeal(appeal, language).content_hash
            versions = AppealVersion.objects.ready().filter(appeal=appeal, language=language)
            if not versions.filter(content_hash=content_hash).exists():
                request_render(actor=reviewer, appeal=appeal, language=language)
                count += 1
        return count
