"""The seeded violation types' names (migration 0002), for the message catalogues.

Violation types are a fixed thesaurus (HURIDOCS "Types of Acts"), not case content: their
names are translated in locale/ like the rest of the interface. ``ViolationType.
display_name`` looks the stored name up there; a name staff add later stays as written.
"""

from django.utils.translation import gettext_noop

VIOLATION_TYPE_NAMES = [
    gettext_noop("Killing"),
    gettext_noop("Extrajudicial execution"),
    gettext_noop("Death in custody"),
    gettext_noop("Death resulting from excessive use of force"),
    gettext_noop("Disappearance"),
    gettext_noop("Enforced disappearance"),
    gettext_noop("Deprivation of liberty"),
    gettext_noop("Arbitrary arrest"),
    gettext_noop("Arbitrary detention"),
    gettext_noop("Incommunicado detention"),
    gettext_noop("House arrest"),
    gettext_noop("Torture and ill-treatment"),
    gettext_noop("Torture"),
    gettext_noop("Physical assault"),
    gettext_noop("Psychological assault and harassment"),
    gettext_noop("Threats"),
    gettext_noop("Sexual violence"),
    gettext_noop("Violations of due process"),
    gettext_noop("Judicial harassment"),
    gettext_noop("Unfair trial"),
    gettext_noop("Denial of access to a lawyer"),
    gettext_noop("Obstruction of a lawyer's professional activities"),
    gettext_noop("Restrictions on assembly and association"),
    gettext_noop("Banning or disruption of a meeting"),
    gettext_noop("Dispersal of a peaceful assembly"),
    gettext_noop("Closure or deregistration of an organization"),
    gettext_noop("Restrictions on expression and information"),
    gettext_noop("Censorship"),
    gettext_noop("Internet shutdown or blocking"),
    gettext_noop("Smear campaign"),
    gettext_noop("Restrictions on freedom of movement"),
    gettext_noop("Travel ban"),
    gettext_noop("Deportation or forced exile"),
    gettext_noop("Interference with privacy and property"),
    gettext_noop("Surveillance"),
    gettext_noop("Raid or search of premises"),
    gettext_noop("Seizure of property or materials"),
]
