"""The appeal slots of the case pages (incidents, a floor below, cannot name appeals)."""

from django import template
from django.db.models import Prefetch

from appeals.models import Appeal, AppealVersion

register = template.Library()


@register.inclusion_tag("appeals/public/_case_appeals.html", takes_context=True)
def case_appeals(context, incident):
    """The case page's urgent-appeal slot: published appeals of this (published) incident.

    The case page's own query says whether there are any (``has_appeals``, registered in
    AppealsConfig.ready), so a case without appeals costs no query here.
    """
    if not getattr(incident, "has_appeals", True):
        return {"appeals": None, "current": None, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
    appeals = list(
        Appeal.objects.published()
        .filter(incident=incident)
        .select_related("follows")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AppealVersion.objects.ready().order_by("language", "-number"),
                to_attr="ready_versions",
            )
        )
        .order_by("-follow_up_number", "-published_at")
    )
    for appeal in appeals:
        appeal.languages = sorted({version.language for version in appeal.ready_versions})
    # An original with published follow-ups has been superseded by the newest of them.
    superseded = {appeal.follows_id for appeal in appeals if appeal.follows_id}
    return {
        "appeals": appeals,
        "current": next((a for a in appeals if a.ready_versions), None),
        "superseded": superseded,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.inclusion_tag("appeals/staff/_case_appeals.html", takes_context=True)
def staff_case_appeals(context, incident):
    """The staff case page's appeal slot: every appeal about the case, whatever its state,
    and the button to write one for those who may."""
    return {
        "incident": incident,
        "can_write": context.request.user.has_perm("appeals.add_appeal"),
    }
