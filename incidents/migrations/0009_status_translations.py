"""French, Russian and Arabic names for the seeded statuses (0002); staff may edit them."""

from django.db import migrations

NAMES = {
    "harassment-and-intimidation": (
        "Harcèlement et intimidation",
        "Преследование и запугивание",
        "المضايقة والترهيب",
    ),
    "arbitrary-detention": ("Détention arbitraire", "Произвольное задержание", "الاحتجاز التعسفي"),
    "judicial-harassment": ("Harcèlement judiciaire", "Судебное преследование", "المضايقة القضائية"),
    "physical-attack": ("Agression physique", "Физическое нападение", "الاعتداء الجسدي"),
    "killing": ("Meurtre", "Убийство", "القتل"),
    "death-in-custody": ("Mort en détention", "Смерть под стражей", "الوفاة أثناء الاحتجاز"),
    "enforced-disappearance": (
        "Disparition forcée",
        "Насильственное исчезновение",
        "الاختفاء القسري",
    ),
    "travel-ban": ("Interdiction de voyager", "Запрет на выезд", "حظر السفر"),
    "raid": ("Perquisition", "Обыск", "المداهمة"),
    "smear-campaign": ("Campagne de diffamation", "Кампания по дискредитации", "حملة تشهير"),
    "surveillance": ("Surveillance", "Слежка", "المراقبة"),
    "charged": ("Inculpation", "Предъявлено обвинение", "توجيه الاتهام"),
    "sentenced": ("Condamnation", "Вынесен приговор", "صدور حكم"),
    "released": ("Libération", "Освобождение", "الإفراج"),
    "acquitted": ("Acquittement", "Оправдание", "البراءة"),
}
LANGUAGES = ("fr", "ru", "ar")


def add_names(apps, schema_editor):
    Status = apps.get_model("incidents", "Status")
    StatusTranslation = apps.get_model("incidents", "StatusTranslation")
    for status in Status.objects.filter(slug__in=NAMES):
        for language, name in zip(LANGUAGES, NAMES[status.slug], strict=True):
            StatusTranslation.objects.get_or_create(
                status=status, language=language, defaults={"name": name}
            )


def remove_names(apps, schema_editor):
    StatusTranslation = apps.get_model("incidents", "StatusTranslation")
    StatusTranslation.objects.filter(status__slug__in=NAMES, language__in=LANGUAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_translations")]

    operations = [migrations.RunPython(add_names, remove_names)]
