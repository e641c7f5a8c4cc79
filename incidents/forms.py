"""Staff forms for an incident and the rows edited on the same page.

Forms validate and normalise; ``incidents.services.incident_save`` does the writing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from casefile.forms import DateInput, StaffFormMixin, StaffInlineFormSet
from casefile.translatable import text_direction
from organizations.forms import organization_picker, perpetrator_picker
from organizations.models import Organization, PerpetratorGroup

from .models import (
    Figure,
    FigureTranslation,
    Incident,
    IncidentPerpetrator,
    IncidentTranslation,
    Source,
    Update,
    UpdateTranslation,
)
from .validators import (
    check_latitude,
    check_longitude,
    check_occurred_on,
    check_original_language,
    check_slug,
    rules_across_fields,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import QueryDict


class IncidentForm(StaffFormMixin, forms.ModelForm):
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. 42.874621. North is positive."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("Decimal degrees, e.g. 74.569762. East is positive."),
    )

    class Meta:
        model = Incident
        fields = [
            "original_language",
            "title",
            "slug",
            "summary",
            "narrative",
            "occurred_on",
            "date_precision",
            "ended_on",
            "country",
            "region",
            "place",
            "latitude",
            "longitude",
            "location_precision",
            "status",
            "violation_types",
            "organizations",
        ]
        labels = {"slug": _("Web address")}
        help_texts = {
            "slug": _("Part of the public address. Leave empty to make one from the title."),
            "ended_on": _("For events that lasted more than a day, such as a detention."),
            "date_precision": _("The public page shows the date no more precisely than this."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "narrative": forms.Textarea(attrs={"rows": 10}),
            "occurred_on": DateInput(),
            "ended_on": DateInput(),
            "violation_types": forms.SelectMultiple(attrs={"data-picker": "local"}),
        }

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # Left out of a post (an older client): the language stays what it was.
        self.fields["original_language"].required = False
        organizations = self.fields["organizations"]
        organizations.widget = organization_picker(
            can_create=user.has_perm("organizations.add_organization")
        )
        organizations.queryset = Organization.objects.visible_to(user)
        organizations.help_text = _(
            "Type to search. If the organization is new, type its name and choose “Add”."
        )

    # The rules themselves are in incidents.validators, shared with the API.

    def clean_slug(self) -> str:
        return check_slug(self.cleaned_data.get("slug") or "")

    def clean_original_language(self) -> str:
        return check_original_language(self.instance, self.cleaned_data.get("original_language"))

    def clean_occurred_on(self):
        return check_occurred_on(self.cleaned_data["occurred_on"])

    def clean_latitude(self) -> Decimal | None:
        return check_latitude(self.cleaned_data.get("latitude"))

    def clean_longitude(self) -> Decimal | None:
        return check_longitude(self.cleaned_data.get("longitude"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, error in rules_across_fields(cleaned, failed=set(self.errors)).items():
            self.add_error(name, error)
        return cleaned


# Inline rows.


class PerpetratorLinkForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = IncidentPerpetrator
        fields = ["perpetrator_group", "involvement"]

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["perpetrator_group"]
        group.widget = perpetrator_picker(
            can_create=user.has_perm("organizations.add_perpetratorgroup")
        )
        group.queryset = PerpetratorGroup.objects.visible_to(user)

    def validate_unique(self) -> None:
        # The formset checks duplicates among its rows (the DB's rows are all in it).
        # Checking the DB here would reject removing a group and adding it back in
        # the same save, since deletions happen before the new rows are inserted.
        pass


class SourceForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Source
        fields = ["kind", "title", "url", "publisher", "published_on", "language", "reliability"]
        # Not "Title": the incident's own title field keeps that label to itself.
        labels = {"title": _("Headline or document name")}
        widgets = {"published_on": DateInput()}


class FigureForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["counted", "label", "value", "qualifier", "as_of", "according_to", "source"]
        widgets = {"as_of": DateInput()}
        error_messages = {"value": {"min_value": _("The number cannot be negative.")}}
        help_texts = {"source": _("Only this incident's saved sources can be chosen.")}


class UpdateForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Update
        fields = ["date", "title", "body", "status"]
        labels = {"title": _("Headline")}
        widgets = {"date": DateInput(), "body": forms.Textarea(attrs={"rows": 3})}


class PerpetratorLinkFormSet(StaffInlineFormSet):
    def clean(self) -> None:
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            group = form.cleaned_data.get("perpetrator_group")
            if group is None:
                continue
            if group.pk in seen:
                form.add_error(
                    "perpetrator_group",
                    forms.ValidationError(
                        _("This perpetrator group is already listed in another row."),
                        code="duplicate",
                    ),
                )
            seen.add(group.pk)
        super().clean()


class FigureFormSet(StaffInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # A figure may cite only a source of the same incident. Sources added in this
        # same save have no id yet, so they can be linked after saving.
        form.fields["source"].queryset = (
            Source.objects.filter(incident=self.instance)
            if self.instance.pk
            else Source.objects.none()
        )


def check_figures_cite_kept_sources(sources: BaseInlineFormSet, figures: BaseInlineFormSet) -> bool:
    """A figure may not cite a source removed in the same save; mark such rows as errors."""
    removed = {form.instance.pk for form in sources.deleted_forms if form.instance.pk}
    ok = True
    for form in figures.forms:
        if form in figures.deleted_forms or (not form.has_changed() and not form.instance.pk):
            continue
        source = form.cleaned_data.get("source")
        if source is not None and source.pk in removed:
            form.add_error(
                "source", _("This source is being removed: cite another one or keep it.")
            )
            ok = False
    return ok


PerpetratorLinkFormSetFactory = inlineformset_factory(
    Incident,
    IncidentPerpetrator,
    form=PerpetratorLinkForm,
    formset=PerpetratorLinkFormSet,
    extra=1,
    can_delete=True,
)
SourceFormSetFactory = inlineformset_factory(
    Incident, Source, form=SourceForm, formset=StaffInlineFormSet, extra=1, can_delete=True
)
FigureFormSetFactory = inlineformset_factory(
    Incident, Figure, form=FigureForm, formset=FigureFormSet, extra=1, can_delete=True
)
UpdateFormSetFactory = inlineformset_factory(
    Incident, Update, form=UpdateForm, formset=StaffInlineFormSet, extra=1, can_delete=True
)


def incident_formsets(
    *,
    data: QueryDict | None,
    instance: Incident,
    user: AbstractBaseUser | AnonymousUser,
) -> dict[str, BaseInlineFormSet]:
    """The inline formsets of the incident page, keyed by prefix (also the template names)."""
    return {
        "perpetrator_links": PerpetratorLinkFormSetFactory(
            data,
            instance=instance,
            prefix="perpetrator_links",
            form_kwargs={"user": user},
            queryset=IncidentPerpetrator.objects.select_related("perpetrator_group"),
        ),
        "sources": SourceFormSetFactory(data, instance=instance, prefix="sources"),
        "figures": FigureFormSetFactory(data, instance=instance, prefix="figures"),
        "updates": UpdateFormSetFactory(data, instance=instance, prefix="updates"),
    }


class IncidentTranslationForm(StaffFormMixin, forms.ModelForm):
    """An incident's texts in one language other than its original."""

    class Meta:
        model = IncidentTranslation
        fields = ["title", "summary", "narrative", "region", "place"]

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update(lang=language, dir=text_direction(language))


class UpdateTranslationForm(StaffFormMixin, forms.ModelForm):
    """One update's title and text in the translation's language; empty: not translated."""

    class Meta:
        model = UpdateTranslation
        fields = ["title", "body"]

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        for field in self.fields.values():
            field.widget.attrs.update(lang=language, dir=text_direction(language))

    @property
    def is_empty(self) -> bool:
        return not (self.cleaned_data.get("title") or self.cleaned_data.get("body"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("body") and not cleaned.get("title"):
            self.add_error("title", _("Translate the title too, or leave both empty."))
        return cleaned


class FigureTranslationForm(StaffFormMixin, forms.ModelForm):
    """A figure's label in the translation's language; empty: the original label."""

    class Meta:
        model = FigureTranslation
        fields = ["label"]

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        direction = text_direction(language)
        self.fields["label"].widget.attrs.update(lang=language, dir=direction)

    @property
    def is_empty(self) -> bool:
        return not self.cleaned_data.get("label")
