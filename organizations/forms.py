"""Staff forms for organizations and perpetrator groups, and the pieces every staff form shares.

The shared pieces live here because ``incidents`` depends on ``organizations``, never the
reverse: the incident form imports the picker widgets and the Bootstrap-aware bound field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Organization, PerpetratorGroup


class StaffBoundField(BoundField):
    """Adds Bootstrap's classes, and ``is-invalid`` when the field has errors.

    Django already sets ``aria-invalid`` and points ``aria-describedby`` at the
    ``<id>_error`` list and the ``<id>_helptext`` block that our templates render.
    """

    def build_widget_attrs(self, attrs: dict[str, Any], widget=None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
        base = _bootstrap_class(widget)
        if base and base not in classes:
            classes.insert(0, base)
        if self.errors and "is-invalid" not in classes:
            classes.append("is-invalid")
        if classes:
            attrs["class"] = " ".join(classes)
        # Texts may be in any script: each field takes the direction of what is typed in
        # it, whatever the page's (an English title on an Arabic page reads left to right).
        if isinstance(widget, forms.TextInput | forms.Textarea) and "dir" not in widget.attrs:
            attrs.setdefault("dir", "auto")
        return attrs


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StaffFormMixin:
    bound_field_class = StaffBoundField


class DateInput(forms.DateInput):
    """The browser's date picker; it always submits ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _PickerMixin:
    """A select that renders only the chosen options; the browser searches for the rest.

    The form field keeps its full queryset, so any existing object validates, but the
    page does not carry hundreds of ``<option>`` elements. ``static/js/staff.js`` turns
    the select into a Tom Select that queries ``data-search-url``.
    """

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None):
        pks = [str(v) for v in value if v and str(v).isdigit()]
        if not self.allow_multiple_selected:
            pks = pks[:1]
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not pks, 0, attrs=attrs))
        if pks:
            iterator = self.choices
            by_pk = {str(obj.pk): obj for obj in iterator.queryset.filter(pk__in=pks)}
            for pk in pks:
                if pk in by_pk:
                    label = iterator.field.label_from_instance(by_pk[pk])
                    options.append(
                        self.create_option(name, pk, label, True, len(options), attrs=attrs)
                    )
        return [(None, [option], option["index"]) for option in options]


class PickerSelect(_PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    pass


# Strings the picker script shows; passed as data attributes so they are translated
# server-side like the rest of the page.
PICKER_LABELS = {
    "data-label-add": _("Add"),
    "data-label-remove": _("Remove"),
    "data-label-no-results": _("No matches. Type a new name to add it."),
    "data-label-error": _("Could not add this entry. Please try again."),
}


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


class OriginalLanguageMixin:
    """The original language may be left out of a post (it then stays what it was), and may
    not become a language the record is translated into."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_language"].required = False

    def clean_original_language(self) -> str:
        language = self.cleaned_data.get("original_language") or self.instance.original_language
        if self.instance.pk and self.instance.translations.filter(language=language).exists():
            raise forms.ValidationError(
                _("There is a translation into that language: delete it first."),
                code="translated",
            )
        return language


class OrganizationForm(OriginalLanguageMixin, StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "original_language",
            "name",
            "acronym",
            "kind",
            "country",
            "city",
            "founded_year",
            "member_organizations",
            "about",
            "website",
        ]
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}


class PerpetratorGroupForm(OriginalLanguageMixin, StaffFormMixin, forms.ModelForm):
    class Meta:
        model = PerpetratorGroup
        fields = ["original_language", "name", "aliases", "kind", "country", "description"]
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
