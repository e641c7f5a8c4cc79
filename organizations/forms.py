"""Staff forms for organizations and perpetrator groups, and the pickers that choose them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from casefile.forms import (
    PICKER_LABELS,
    OriginalLanguageMixin,
    PickerSelect,
    PickerSelectMultiple,
    StaffFormMixin,
)
from casefile.translatable import text_direction

from .models import Organization, PerpetratorGroup
from .services import ORGANIZATION_FIELDS, PERPETRATOR_GROUP_FIELDS


def organization_picker(*, can_create: bool) -> PickerSelectMultiple:
    attrs = {
        "data-picker": "organizations",
        "data-search-url": reverse_lazy("organizations:search"),
        **PICKER_LABELS,
    }
    if can_create:
        attrs["data-create-url"] = reverse_lazy("organizations:quick_create")
    return PickerSelectMultiple(attrs=attrs)


def perpetrator_picker(*, can_create: bool) -> PickerSelect:
    attrs = {
        "data-picker": "perpetrators",
        "data-search-url": reverse_lazy("organizations:perpetrator_search"),
        # New groups default to the incident's country: most perpetrators are local.
        "data-create-country-from": "id_country",
        **PICKER_LABELS,
    }
    if can_create:
        attrs["data-create-url"] = reverse_lazy("organizations:perpetrator_quick_create")
    return PickerSelect(attrs=attrs)


class OrganizationForm(OriginalLanguageMixin, StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)  # the staff form edits all a writer may set
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}


class PerpetratorGroupForm(OriginalLanguageMixin, StaffFormMixin, forms.ModelForm):
    class Meta:
        model = PerpetratorGroup
        fields = list(PERPETRATOR_GROUP_FIELDS)
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class OrganizationQuickForm(forms.ModelForm):
    """What the picker sends when an editor types a name nobody has entered yet."""

    class Meta:
        model = Organization
        fields = ["name"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Organization.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("An organization named “%(name)s” already exists: choose it from the list."),
                code="duplicate",
                params={"name": name},
            )
        return name


class PerpetratorGroupQuickForm(forms.ModelForm):
    class Meta:
        model = PerpetratorGroup
        fields = ["name", "country", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The picker only knows the name; the kind can be refined on the group's page.
        self.fields["kind"].required = False

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or PerpetratorGroup.Kind.UNKNOWN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and (
            PerpetratorGroup.objects.filter(
                name__iexact=name, country=cleaned.get("country", "")
            ).exists()
        ):
            self.add_error(
                "name",
                forms.ValidationError(
                    _("A group named “%(name)s” already exists: choose it from the list."),
                    code="duplicate",
                    params={"name": name},
                ),
            )
        return cleaned


class TranslationForm(StaffFormMixin, forms.Form):
    """A record's translatable texts in one language, each optional (empty: the original)."""

    def __init__(self, *args, record: Organization | PerpetratorGroup, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        direction = text_direction(language)
        for name in record.translatable_fields:
            model_field = record._meta.get_field(name)
            widget = forms.Textarea(attrs={"rows": 6}) if name != "name" else forms.TextInput()
            widget.attrs.update(lang=language, dir=direction)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name.capitalize(),
                required=False,
                max_length=model_field.max_length,
                widget=widget,
                help_text=_("Leave empty to show the original to readers."),
            )
