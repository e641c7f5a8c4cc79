"""What makes a record public, for every model that goes through the publication workflow.

Incidents and appeals share the four states, the field names (``publication_state``,
``published_at``) and the rule that a publication date still ahead is an embargo, not a
publication. The rule is written here twice, side by side: once as SQL for querysets
(``published_condition``) and once on loaded fields (``Publishable.is_published``).
A model can narrow both (an appeal is public only with a reference and a public incident).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casefile.roles import can_read_unpublished

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Publishable:
    """Mixed into a model with ``publication_state`` and ``published_at`` fields."""

    State = PublicationState

    @property
    def is_published(self) -> bool:
        """What ``published()`` says of this record, from its loaded fields."""
        return (
            self.publication_state == PublicationState.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def published_condition() -> models.Q:
    """The rule as SQL: in the published state, with a publication time that has come."""
    return models.Q(
        publication_state=PublicationState.PUBLISHED,
        published_at__isnull=False,
        published_at__lte=timezone.now(),
    )


class PublicOrStaffQuerySet(models.QuerySet):
    """Staff roles see every row; anyone else what the subclass's ``published()`` keeps."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user: AbstractBaseUser | AnonymousUser):
        return self.all() if can_read_unpublished(user) else self.published()


class PublicationQuerySet(PublicOrStaffQuerySet):
    """The publication gate of a record with a state: the public sees ``published()``."""

    def published(self):
        return self.filter(published_condition())

    def with_public_flag(self):
        """Annotate ``is_public``: whether ``published()`` holds each row (for staff lists
        and the export's audit count)."""
        return self.annotate(
            is_public=models.ExpressionWrapper(
                published_condition(), output_field=models.BooleanField()
            )
        )

    def in_state(self, state: str):
        return self.filter(publication_state=state)
