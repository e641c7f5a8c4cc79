"""Seed the two controlled vocabularies: case statuses and violation types.

Violation types follow the arrangement of the HURIDOCS Events Standard Formats
micro-thesaurus "Types of Acts" (two-digit groups, four-digit terms). The list was
compiled offline; check the codes against the published micro-thesaurus before
exchanging data with systems that rely on them.
"""

from django.db import migrations

STATUSES = [
    ("harassment-and-intimidation", "Harassment and intimidation"),
    ("arbitrary-detention", "Arbitrary detention"),
    ("judicial-harassment", "Judicial harassment"),
    ("physical-attack", "Physical attack"),
    ("killing", "Killing"),
    ("death-in-custody", "Death in custody"),
    ("enforced-disappearance", "Enforced disappearance"),
    ("travel-ban", "Travel ban"),
    ("raid", "Raid"),
    ("smear-campaign", "Smear campaign"),
    ("surveillance", "Surveillance"),
    ("charged", "Charged"),
    ("sentenced", "Sentenced"),
    ("released", "Released"),
    ("acquitted", "Acquitted"),
]

VIOLATION_TYPES = [
    ("01", "Killing", None),
    ("0101", "Extrajudicial execution", "01"),
    ("0102", "Death in custody", "01"),
    ("0103", "Death resulting from excessive use of force", "01"),
    ("02", "Disappearance", None),
    ("0201", "Enforced disappearance", "02"),
    ("03", "Deprivation of liberty", None),
    ("0301", "Arbitrary arrest", "03"),
    ("0302", "Arbitrary detention", "03"),
    ("0303", "Incommunicado detention", "03"),
    ("0304", "House arrest", "03"),
    ("04", "Torture and ill-treatment", None),
    ("0401", "Torture", "04"),
    ("0402", "Physical assault", "04"),
    ("0403", "Psychological assault and harassment", "04"),
    ("0404", "Threats", "04"),
    ("0405", "Sexual violence", "04"),
    ("05", "Violations of due process", None),
    ("0501", "Judicial harassment", "05"),
    ("0502", "Unfair trial", "05"),
    ("0503", "Denial of access to a lawyer", "05"),
    ("0504", "Obstruction of a lawyer's professional activities", "05"),
    ("06", "Restrictions on assembly and association", None),
    ("0601", "Banning or disruption of a meeting", "06"),
    ("0602", "Dispersal of a peaceful assembly", "06"),
    ("0603", "Closure or deregistration of an organization", "06"),
    ("07", "Restrictions on expression and information", None),
    ("0701", "Censorship", "07"),
    ("0702", "Internet shutdown or blocking", "07"),
    ("0703", "Smear campaign", "07"),
    ("08", "Restrictions on freedom of movement", None),
    ("0801", "Travel ban", "08"),
    ("0802", "Deportation or forced exile", "08"),
    ("09", "Interference with privacy and property", None),
    ("0901", "Surveillance", "09"),
    ("0902", "Raid or search of premises", "09"),
    ("0903", "Seizure of property or materials", "09"),
]


def seed(apps, schema_editor):
    Status = apps.get_model("incidents", "Status")
    ViolationType = apps.get_model("incidents", "ViolationType")
    for position, (slug, name) in enumerate(STATUSES):
        Status.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    by_code = {}
    for code, name, parent_code in VIOLATION_TYPES:
        by_code[code], _ = ViolationType.objects.update_or_create(
            code=code, defaults={"name": name, "parent": by_code.get(parent_code)}
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
