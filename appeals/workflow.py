"""What an appeal adds to the shared publication workflow (``casefile.workflow``):
the checks before it is published (``appeals.checks``), its reference when first
published, fresh renders that print it, and its public files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casefile import workflow
from casefile.publication import PublicationState

from .checks import publication_gaps, refusal_message
from .models import Appeal, AppealEvent
from .publication import sync_public_files
from .references import allocate_reference
from .services import appeal_request_render

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class AppealWorkflow(workflow.Workflow):
    model = Appeal
    event_model = AppealEvent
    event_owner = "appeal"
    extra_fields = ("reference", "reference_slug", "issued_on", "follow_up_number")

    def lock(self, pk: int) -> Appeal:
        return Appeal.objects.select_for_update().select_related("incident").get(pk=pk)

    def before_save(self, appeal: Appeal, *, actor: AbstractBaseUser, step: workflow.Step) -> None:
        if step.to_state == PublicationState.PUBLISHED:
            # Checked here, on the locked row, so every path to publication is refused,
            # not only the staff page. The deadline is judged on the day of publication:
            # an import's past day (``at``) on a first publication, else today.
            first = appeal.reference is None and appeal.published_at is not None
            on = timezone.localdate(appeal.published_at) if first else timezone.localdate()
            if gaps := publication_gaps(appeal, on=on):
                raise workflow.StepRefused(refusal_message(gaps))
            # The date of the first publication: today, or the past one an import gave
            # (transition's ``at``); a republished appeal keeps its reference.
            allocate_reference(appeal, issued_on=timezone.localdate(appeal.published_at))

    def after_save(self, appeal: Appeal, *, actor: AbstractBaseUser, step: workflow.Step) -> None:
        if step.to_state == PublicationState.PUBLISHED:
            # The reference now prints on every page: render each language again.
            for language in appeal.texts.values_list("language", flat=True):
                appeal_request_render(actor=actor, appeal=appeal, language=language, record=False)
        transaction.on_commit(lambda: sync_public_files(appeal), robust=True)


workflow.register(AppealWorkflow())
