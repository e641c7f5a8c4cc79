"""Staff forms for an incident and the rows edited on the same page.

Forms validate and normalise; ``incidents.services.incident_save`` does the writing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from casefile.forms import DateInput, OriginalLanguageMixin, StaffFormMixin, StaffInlineFormSet
from casefile.rows import Row, form_rows
from casefile.text import refuse_bidi_controls
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
from .services import NewPerpetratorGroup
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


class IncidentForm(OriginalLanguageMixin, StaffFormMixin, forms.ModelForm):
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


# The kinds a new group can be given, grouped as the filters count them.
NEW_GROUP_KINDS = [
    ("", "---------"),
    (
        _("State actors"),
        [(k.value, k.label) for k in PerpetratorGroup.Kind if k in PerpetratorGroup.STATE_KINDS],
    ),
    (
        _("Non-state actors"),
        [
            (k.value, k.label)
            for k in PerpetratorGroup.Kind
            if k in PerpetratorGroup.NON_STATE_KINDS
        ],
    ),
    (PerpetratorGroup.Kind.UNKNOWN.value, _("Unknown: nobody knows yet")),
]


class PerpetratorLinkForm(StaffFormMixin, forms.ModelForm):
    """A perpetrator of the case: a known group from the picker, or a new one named here
    with its kind (created when the case is saved, never before)."""

    new_group_name = forms.CharField(
        label=_("Or a new group: its name"),
        required=False,
        max_length=300,
        validators=[refuse_bidi_controls],
    )
    new_group_kind = forms.ChoiceField(
        label=_("Kind of the new group"), required=False, choices=NEW_GROUP_KINDS
    )

    class Meta:
        model = IncidentPerpetrator
        fields = ["perpetrator_group", "involvement"]

    def __init__(
        self,
        *args: Any,
        user: AbstractBaseUser | AnonymousUser,
        incident_country: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.incident_country = incident_country
        group = self.fields["perpetrator_group"]
        group.widget = perpetrator_picker()
        group.queryset = PerpetratorGroup.objects.visible_to(user)
        group.required = False  # or a new group's name: checked in clean()
        if not user.has_perm("organizations.add_perpetratorgroup"):
            del self.fields["new_group_name"], self.fields["new_group_kind"]
        self.order_fields(["perpetrator_group", "new_group_name", "new_group_kind"])

    def clean_new_group_name(self) -> str:
        return " ".join(self.cleaned_data.get("new_group_name", "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        group = cleaned.get("perpetrator_group")
        name = cleaned.get("new_group_name", "")
        if group is not None and name:
            self.add_error(
                "new_group_name",
                _("Choose a known group or name a new one, not both in one row."),
            )
        elif group is None and not name and "perpetrator_group" not in self.errors:
            self.add_error(
                "perpetrator_group",
                forms.ValidationError(
                    _("Choose a group, or name a new one and give its kind."), code="required"
                ),
            )
        elif name and not cleaned.get("new_group_kind"):
            self.add_error(
                "new_group_kind",
                _("Give the new group's kind (choose “Unknown” if nobody knows yet)."),
            )
        elif name and (
            PerpetratorGroup.objects.filter(
                name__iexact=name, country=self.incident_country
            ).exists()
        ):
            self.add_error(
                "new_group_name",
                forms.ValidationError(
                    _("A group named “%(name)s” already exists: choose it from the list."),
                    code="duplicate",
                    params={"name": name},
                ),
            )
        return cleaned

    def row_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """The row's values for the service, with a new group where one was named."""
        name = self.cleaned_data.get("new_group_name")
        if name:
            values["perpetrator_group"] = NewPerpetratorGroup(
                name=name, kind=self.cleaned_data["new_group_kind"]
            )
        return values

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


NEW_SOURCE = "new-"  # a figure's choice of a source row not saved yet: "new-<form index>"


class FigureForm(StaffFormMixin, forms.ModelForm):
    """A figure; its source is a saved source of the case or a source row of the same form,
    so a case and its figures' sources are filed in one save."""

    source = forms.ChoiceField(label=_("Source"), required=False)

    class Meta:
        model = Figure
        fields = ["counted", "label", "value", "qualifier", "as_of", "according_to", "source"]
        widgets = {"as_of": DateInput()}
        error_messages = {"value": {"min_value": _("The number cannot be negative.")}}

    def __init__(self, *args: Any, sources: BaseInlineFormSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources
        self.cited_source_form: forms.ModelForm | None = None
        if self.instance.source_id:
            self.initial["source"] = str(self.instance.source_id)
        field = self.fields["source"]
        field.choices = source_choices(sources)
        field.widget.attrs["data-source-choice"] = ""
        field.widget.attrs["data-new-source-label"] = _("New source %(number)s") % {
            "number": "{number}"
        }
        field.help_text = _(
            "A source listed above, also one added in this same form. Sources added here "
            "appear as “New source” with their row number."
        )

    def clean_source(self) -> Source | None:
        value = self.cleaned_data.get("source") or ""
        if not value:
            return None
        self.sources.is_valid()  # validates once; whether a row is kept is read below
        if value.startswith(NEW_SOURCE):
            # A row of the sources above: cited only if it is filled in and kept.
            index = int(value.removeprefix(NEW_SOURCE))
            form = self.sources.forms[index]
            if not form.has_changed() or self.sources._should_delete_form(form):
                raise forms.ValidationError(
                    _("Source %(number)s is empty or removed: fill it in or cite another."),
                    params={"number": index + 1},
                )
            self.cited_source_form = form
            return None
        saved = next((f for f in self.sources.forms if str(f.instance.pk) == value), None)
        if saved is None:
            raise forms.ValidationError(_("Cite a source of this case."))
        if self.sources._should_delete_form(saved):
            raise forms.ValidationError(
                _("This source is being removed: cite another one or keep it.")
            )
        return saved.instance


def source_choices(sources: BaseInlineFormSet) -> list[tuple[str, str]]:
    """The sources a figure may cite: the case's saved ones, then the new rows of the form
    (the browser adds one for each row "Add another source" adds)."""
    choices = [("", "---------")]
    for index, form in enumerate(sources.forms):
        if form.instance.pk is not None:
            choices.append((str(form.instance.pk), str(form.instance)))
        else:
            choices.append((f"{NEW_SOURCE}{index}", new_source_label(form, index)))
    return choices


def new_source_label(form: forms.ModelForm, index: int) -> str:
    headline = form["title"].value() if form.is_bound else ""
    label = _("New source %(number)s") % {"number": index + 1}
    return f"{label}: {headline}" if headline else label


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


PerpetratorLinkFormSetFactory = inlineformset_factory(
    Incident,
    IncidentPerpetrator,
    form=PerpetratorLinkForm,
    formset=PerpetratorLinkFormSet,
    extra=2,
    can_delete=True,
)
# Two blank sources and figures: without JavaScript, a case citing two sources is still
# filed in one save.
SourceFormSetFactory = inlineformset_factory(
    Incident, Source, form=SourceForm, formset=StaffInlineFormSet, extra=2, can_delete=True
)
FigureFormSetFactory = inlineformset_factory(
    Incident, Figure, form=FigureForm, formset=StaffInlineFormSet, extra=2, can_delete=True
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
    country = data.get("country", "") if data is not None else instance.country
    sources = SourceFormSetFactory(data, instance=instance, prefix="sources")
    return {
        "perpetrator_links": PerpetratorLinkFormSetFactory(
            data,
            instance=instance,
            prefix="perpetrator_links",
            form_kwargs={"user": user, "incident_country": country},
            queryset=IncidentPerpetrator.objects.select_related("perpetrator_group"),
        ),
        "sources": sources,
        "figures": FigureFormSetFactory(
            data,
            instance=instance,
            prefix="figures",
            form_kwargs={"sources": sources},
            queryset=Figure.objects.select_related("source"),
        ),
        "updates": UpdateFormSetFactory(data, instance=instance, prefix="updates"),
    }


def incident_rows(formsets: dict[str, BaseInlineFormSet]) -> dict[str, list[Row]]:
    """The rows of valid formsets for ``incident_save``, by relation: a new perpetrator
    group named in a row, and a figure citing a source row of the same save, carried as
    values the service resolves."""
    rows: dict[str, list[Row]] = {}
    row_of_form: dict[int, Row] = {}
    for name, formset in formsets.items():
        rows[name] = []
        for form, row in form_rows(formset):
            values = dict(row.values)
            if isinstance(form, PerpetratorLinkForm) and not row.delete:
                values = form.row_values(values)
            if isinstance(form, FigureForm) and form.cited_source_form is not None:
                values["source"] = row_of_form[id(form.cited_source_form)]
            row = Row(row.pk, values, row.delete)
            row_of_form[id(form)] = row
            rows[name].append(row)
    return rows


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
