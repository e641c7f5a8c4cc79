"""The staff form kit: what every staff form and formset shares.

Bootstrap classes and error marks on every field, the browser's date picker, the pickers
that search instead of listing every option, the original-language rule of translatable
records, formsets whose delete box says what it does, and the note given with a workflow
action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseFormSet, BaseInlineFormSet
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import QueryDict

# The longest search term the staff lists and pickers read; the rest is dropped.
SEARCH_TERM_MAX = 100


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

    @property
    def picker_search(self) -> dict[str, str] | None:
        """A picker too long to list whole: its search box for browsers without JavaScript
        (the name of the box and the words in it), which posts the form back to list the
        matches. None for any other field."""
        widget = self.field.widget
        if not isinstance(widget, _PickerMixin) or not widget.is_long():
            return None
        name = f"{self.html_name}-search"
        return {"name": name, "term": self.form.data.get(name, "") if self.form.is_bound else ""}

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if isinstance(widget, _PickerMixin) and (search := self.picker_search):
            widget.search_term = search["term"].replace("\x00", "").strip()[:100]
        return super().as_widget(widget, attrs, only_initial)


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


# Up to this many records a picker renders them all: without JavaScript (Tor Browser's
# safest mode) it is then a plain select that lists every choice.
PICKER_ALL_OPTIONS_UP_TO = 300


class _PickerMixin:
    """A select for a long list: ``static/js/staff.js`` turns it into a Tom Select that
    queries ``data-search-url``.

    Up to ``PICKER_ALL_OPTIONS_UP_TO`` records it renders every option, so it works as a
    plain select without JavaScript; beyond that only the chosen ones and the matches of
    ``search_term`` (the no-JavaScript search box, ``StaffBoundField.picker_search``), and
    the browser searches for the rest. The form field keeps its full queryset either way,
    so any existing object validates.
    """

    search_term = ""
    SEARCH_MATCHES = 50

    def is_long(self) -> bool:
        if not hasattr(self, "_long"):
            self._long = self.choices.queryset.count() > PICKER_ALL_OPTIONS_UP_TO
        return self._long

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None):
        if not self.is_long():
            return super().optgroups(name, value, attrs)
        pks = [str(v) for v in value if v and str(v).isdigit()]
        if not self.allow_multiple_selected:
            pks = pks[:1]
        options = []
        if not self.allow_multiple_selected:
            # Labelled as Django's plain selects are: an empty <option> is invalid HTML.
            options.append(self.create_option(name, "", "---------", not pks, 0, attrs=attrs))
        iterator = self.choices
        if pks:
            by_pk = {str(obj.pk): obj for obj in iterator.queryset.filter(pk__in=pks)}
            for pk in pks:
                if pk in by_pk:
                    label = iterator.field.label_from_instance(by_pk[pk])
                    options.append(
                        self.create_option(name, pk, label, True, len(options), attrs=attrs)
                    )
        queryset = iterator.queryset
        if self.search_term and hasattr(queryset, "search"):
            found = queryset.search(self.search_term).exclude(pk__in=pks).order_by("name", "pk")
            for obj in found[: self.SEARCH_MATCHES]:
                label = iterator.field.label_from_instance(obj)
                options.append(
                    self.create_option(name, str(obj.pk), label, False, len(options), attrs=attrs)
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


class OriginalLanguageMixin:
    """The original language may be left out of a post (it then stays what it was), and may
    not become a language the record is translated into.

    It is any ISO 639-1 language (``casefile.translatable.original_language_choices``): a
    list of 184, so the picker lets one type "Spanish" or "Español" rather than scroll.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["original_language"]
        field.required = False
        field.widget.attrs["data-picker"] = "local"

    def clean_original_language(self) -> str:
        language = self.cleaned_data.get("original_language") or self.instance.original_language
        if self.instance.pk and self.instance.translations.filter(language=language).exists():
            raise forms.ValidationError(
                _("There is a translation into that language: delete it first."),
                code="translated",
            )
        return language


class StaffInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")

    @property
    def needed_in_a_row(self) -> str:
        """The labels a filled-in row needs, said once for the list: its blank rows may
        stay empty, so their fields carry no required mark."""
        form = self.empty_form
        return ", ".join(str(field.label) for name, field in form.fields.items() if field.required)


class TransitionForm(StaffFormMixin, forms.Form):
    """The note a reviewer gives with a workflow action."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].error_messages["required"] = _(
            "Say what needs to change so the editor knows what to fix."
        )


ADD_ROW = "add_row"  # the no-JavaScript "Add another" button's name; its value, the prefix
PICKER_SEARCH = "picker_search"  # a picker's no-JavaScript "Search" button


def shown_again(data: QueryDict | None, prefixes: Iterable[str]) -> QueryDict | None:
    """A post that asks to see the form again rather than save it, as it will be shown:
    without JavaScript, "Add another" (one more blank row in the formset of these
    ``prefixes``) or a picker's "Search" (as posted, the picker listing the matches).
    None for a save."""
    if data is None:
        return None
    if data.get(PICKER_SEARCH):
        return data
    prefix = data.get(ADD_ROW)
    if prefix not in set(prefixes):
        return None
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        data[total] = str(min(int(data.get(total, "0")) + 1, 1000))
    except ValueError:
        return None
    return data


def shown_as_typed(*items: forms.BaseForm | BaseFormSet) -> None:
    """Show bound forms and formsets as typed, unchecked: a row was added, nothing was
    saved, and an error on a field not yet filled in would only be noise."""
    for item in items:
        if isinstance(item, BaseFormSet):
            item._non_form_errors = item.error_class()
            item._errors = [ErrorDict() for _form in item.forms]
            shown_as_typed(*item.forms)
        else:
            item._errors = ErrorDict()


def search_term(params) -> str:
    """The ``q`` of a list's or a picker's query string, ready for ``icontains``.

    A NUL byte cannot go into a PostgreSQL string: it is dropped rather than failing.
    """
    return params.get("q", "").replace("\x00", "").strip()[:SEARCH_TERM_MAX]


def error_summary(
    *page_forms: forms.BaseForm | None,
    formsets: Iterable[tuple[BaseFormSet, Callable[[int], str]]] = (),
) -> list[dict[str, str]]:
    """Every error on a staff page, each linking to its field, for the alert at the top.

    ``formsets`` pairs each formset with the name of its n-th row ("Source 2"), which
    prefixes the row's errors so a reader knows which row to fix.
    """
    summary = []
    for form in page_forms:
        if form is not None:
            summary += _form_errors(form)
    for formset, row_name in formsets:
        summary += [{"anchor": "", "text": str(error)} for error in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            summary += _form_errors(row, row_name=row_name(number))
    return summary


def _form_errors(form: forms.BaseForm, *, row_name: str = "") -> list[dict[str, str]]:
    """A form's errors; a formset row's read "Source 2: ..." and "Source 2, Title: ..."."""
    errors_prefix, fields_prefix = (f"{row_name}: ", f"{row_name}, ") if row_name else ("", "")
    summary = [
        {"anchor": "", "text": f"{errors_prefix}{error}"} for error in form.non_field_errors()
    ]
    summary += [
        {"anchor": field.auto_id, "text": f"{fields_prefix}{field.label}: {error}"}
        for field in form
        for error in field.errors
    ]
    return summary
