"""Staff forms for organizations and perpetrator groups, and the pickers that choose them."""

from __future__ import annotations

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


def perpetrator_picker() -> PickerSelect:
    # No "Add" here: a new group is named in its own field with its kind, and created
    # with the case (a group added from a picker had no kind and counted as non-state).
    attrs = {
        "data-picker": "perpetrators",
        "data-search-url": reverse_lazy("organizations:perpetrator_search"),
        **PICKER_LABELS,
        "data-label-no-results": _("No matches. Name a new group below, with its kind."),
    }
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
