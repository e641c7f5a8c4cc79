"""Staff forms for appeals, their texts, their ordered addressees, and the addressee book.

Forms validate and normalise; ``appeals.services`` does the writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casefile.forms import (
    PICKER_LABELS,
    DateInput,
    PickerSelect,
    StaffFormMixin,
    StaffInlineFormSet,
)
from casefile.translatable import LANGUAGE_CODES, language_name, text_direction

from .models import (
    SECTION_MAX_LENGTH,
    TEXT_SECTIONS,
    Addressee,
    Appeal,
    AppealAddressee,
    AppealText,
)

if TYPE_CHECKING:
    from casefile.translatable import Translatable
    from incidents.models import Incident

TEXT_FIELDS = ("title", *TEXT_SECTIONS)
FOLLOW_UP_KINDS = frozenset({Appeal.Kind.NEW_INFORMATION, Appeal.Kind.CASE_CLOSED})


class AppealForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["kind", "follows", "original_language", "deadline"]
        widgets = {"deadline": DateInput()}
        help_texts = {
            "follows": _(
                "Only for new information or a closed case: the urgent appeal of this "
                "incident that this one updates."
            ),
            "original_language": _("The language the appeal is written in first."),
            "deadline": _("Optional: the date by which readers should act."),
        }

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        follows = self.fields["follows"]
        # Follow-ups hang off an incident's original appeals only, never off another
        # follow-up: the reference suffix (".1", ".2") counts from the original.
        originals = Appeal.objects.filter(incident=incident, follows__isnull=True)
        if self.instance.pk:
            originals = originals.exclude(pk=self.instance.pk)
        follows.queryset = originals.order_by("created_at", "pk")
        follows.label_from_instance = _original_label
        follows.empty_label = _("None: this is a new urgent appeal")
        if self.instance.reference:
            # The reference was derived from these when the appeal was issued.
            for name in ("kind", "follows"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed once the appeal has been published with its reference."
                )
        if self.instance.pk:
            self._languages_with_text = set(self.instance.texts.values_list("language", flat=True))
        else:
            self._languages_with_text = set()

    def clean_original_language(self) -> str:
        language = self.cleaned_data["original_language"]
        if self._languages_with_text and language not in self._languages_with_text:
            raise forms.ValidationError(
                _(
                    "The appeal has no text in %(language)s yet. Write that text first, "
                    "then make it the original."
                ),
                code="no_text",
                params={"language": language_name(language)},
            )
        return language

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, follows = cleaned.get("kind"), cleaned.get("follows")
        if "follows" in self.errors or self.fields["follows"].disabled:
            return cleaned
        if kind == Appeal.Kind.URGENT_APPEAL and follows is not None:
            self.add_error(
                "follows",
                forms.ValidationError(
                    _(
                        "An urgent appeal opens a case's appeals and follows up on nothing. "
                        "Clear this field, or choose “New information” or “Case closed” "
                        "as the kind."
                    ),
                    code="urgent_follows",
                ),
            )
        elif kind in FOLLOW_UP_KINDS and follows is None:
            if self.fields["follows"].queryset.exists():
                message = _(
                    "Choose the urgent appeal this one follows up on: new information and "
                    "case-closed appeals always update an earlier urgent appeal."
                )
            else:
                message = _(
                    "This incident has no urgent appeal yet, so there is nothing to follow "
                    "up on. Write an urgent appeal first, or change the kind."
                )
            self.add_error("follows", forms.ValidationError(message, code="follows_required"))
        return cleaned


def _original_label(appeal: Appeal) -> str:
    if appeal.reference:
        return f"{appeal.reference} · {appeal.get_kind_display()}"
    return _("Draft urgent appeal of %(date)s (reference given on publication)") % {
        "date": appeal.created_at.date().isoformat()
    }


class AppealTextForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = AppealText
        fields = list(TEXT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "situation": forms.Textarea(attrs={"rows": 10}),
            "about_defenders": forms.Textarea(attrs={"rows": 6}),
            "background": forms.Textarea(attrs={"rows": 6}),
            "concerns": forms.Textarea(attrs={"rows": 4}),
            "actions_requested": forms.Textarea(attrs={"rows": 6}),
            "model_letter": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(
        self,
        *args: Any,
        language: str | None = None,
        to_write: tuple[str, ...] | list[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_SECTIONS:
            # No maxlength attribute: browsers cut pasted text silently at the limit.
            # The length is checked here, with a message, and nothing is lost.
            self.fields[name].validators.append(_section_length)
        if language:
            # Spell-checking and text direction follow the language being written.
            direction = text_direction(language)
            for field in self.fields.values():
                field.widget.attrs.update({"lang": language, "dir": direction})
        if language:
            # Sections the incident had no words for in this language stay empty rather than
            # in another language; say so where the editor will type.
            mark = _("To write in %(language)s") % {"language": language_name(language)}
            for name in to_write:
                field = self.fields[name]
                field.widget.attrs["placeholder"] = mark
                field.widget.attrs["data-to-write"] = language
                field.help_text = (
                    _("%(mark)s: the incident has no text in this language to start from.")
                    % {"mark": mark}
                    if not field.help_text
                    else _(
                        "%(mark)s: the incident has no text in this language to start from. "
                        "%(help)s"
                    )
                    % {"mark": mark, "help": field.help_text}
                )


def sections_to_write(initial: dict[str, str]) -> list[str]:
    """The prefilled sections the incident left empty in the text's language."""
    return [name for name in PREFILLED_FIELDS if not initial.get(name)]


def _section_length(value: str) -> None:
    if len(value) > SECTION_MAX_LENGTH:
        raise forms.ValidationError(
            _(
                "This section is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it or move part of it to another section."
            ),
            code="max_length",
            params={"length": f"{len(value):,}", "limit": f"{SECTION_MAX_LENGTH:,}"},
        )


DEFAULT_ACTIONS = (
    _(
        "Guarantee in all circumstances the physical and psychological integrity and the "
        "security of the human rights defenders concerned and of their families."
    ),
    _(
        "Carry out an immediate, thorough, impartial and transparent investigation into "
        "these events, identify all those responsible, bring them to justice and apply "
        "the sanctions provided by law."
    ),
    _(
        "Put an end to all acts of harassment against the human rights defenders concerned, "
        "and ensure that they can carry out their legitimate work without hindrance or "
        "fear of reprisals."
    ),
    _(
        "Comply with the UN Declaration on Human Rights Defenders and with the country's "
        "international human rights obligations."
    ),
)


# The sections the incident fills in; the others are the editor's to write from scratch.
PREFILLED_FIELDS = (
    "title",
    "summary",
    "situation",
    "about_defenders",
    "background",
    "actions_requested",
)


def _in_language(record: Translatable, name: str, language: str) -> str:
    """The record's ``name`` text written in ``language``: the original when the languages
    match, else its translation into it; "" when it has none (never another language)."""
    if record.source_language == language:
        return getattr(record, name) or ""
    translation = record.translation_in(language)
    return (getattr(translation, name, "") or "") if translation is not None else ""


def text_initial_from_incident(incident: Incident, *, language: str) -> dict[str, str]:
    """The first draft of an appeal's text in ``language``, taken from the incident so
    nothing is typed twice.

    Each section comes only from texts written in ``language`` (the incident's original or
    its translation, and those of its organizations, perpetrators and status); a section
    that would need words in another language is left empty, for the form to mark as
    still to write (``AppealTextForm(to_write=...)``).
    """
    # Our own sentences (the background, the default demands) exist in the languages the
    # interface is translated into; any other language gets none rather than English.
    has_sentences = language in LANGUAGE_CODES
    initial = {
        "title": _in_language(incident, "title", language),
        "summary": _in_language(incident, "summary", language),
        "situation": _in_language(incident, "narrative", language),
        "about_defenders": _about_defenders(incident, language),
        "background": _background(incident, language) if has_sentences else "",
        "actions_requested": "",
    }
    if has_sentences:
        with translation.override(language):
            initial["actions_requested"] = "\n".join(str(action) for action in DEFAULT_ACTIONS)
    return initial


def _about_defenders(incident: Incident, language: str) -> str:
    about = []
    for organization in incident.organizations.all():
        name = _in_language(organization, "name", language)
        words = _in_language(organization, "about", language)
        if not name or (organization.about and not words):
            return ""  # one organization not written in this language: the section is to write
        heading = f"{name} ({organization.acronym})" if organization.acronym else name
        with translation.override(language):
            # The city is stored in one language only: given where it is that language.
            city = organization.city if organization.source_language == language else ""
            if city or organization.country:
                place = ", ".join(
                    part for part in (city, str(organization.country.name or "")) if part
                )
                heading = f"{heading} ({place})"
        about.append(f"{heading}\n{words}".strip())
    return "\n\n".join(about)


def _background(incident: Incident, language: str) -> str:
    place = _in_language(incident, "place", language)
    region = _in_language(incident, "region", language)
    status = _in_language(incident.status, "name", language)
    if (incident.place and not place) or (incident.region and not region) or not status:
        return ""
    perpetrators = []
    links = incident.perpetrator_links.select_related("perpetrator_group")
    with translation.override(language):
        for link in links:
            name = _in_language(link.perpetrator_group, "name", language)
            if not name:
                return ""
            perpetrators.append(f"{name} ({link.get_involvement_display().lower()})")
        country = str(incident.country.name) if incident.country else ""
        background = [
            _("The incident took place on %(date)s in %(place)s.")
            % {
                "date": incident.occurred_display,
                "place": ", ".join(part for part in (place, region, country) if part),
            }
        ]
        if perpetrators:
            background.append(
                _("Held responsible: %(perpetrators)s.") % {"perpetrators": "; ".join(perpetrators)}
            )
        background.append(_("Current status of the case: %(status)s.") % {"status": status})
        return "\n\n".join(str(paragraph) for paragraph in background)


# Addressees, in the order they print.


def addressee_picker() -> PickerSelect:
    return PickerSelect(
        attrs={
            "data-picker": "addressees",
            "data-search-url": reverse_lazy("appeals:addressee_search"),
            **PICKER_LABELS,
            # No quick-create here: an addressee needs an address, not just a name.
            "data-label-no-results": _("No matches. Add the authority on the Addressees page."),
        }
    )


class AppealAddresseeForm(StaffFormMixin, forms.ModelForm):
    position = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("1 prints first. Leave empty to add after the others."),
    )

    class Meta:
        model = AppealAddressee
        fields = ["addressee", "position"]
        help_texts = {"addressee": _("Type part of a name, position or institution.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        addressee = self.fields["addressee"]
        addressee.widget = addressee_picker()
        addressee.queryset = Addressee.objects.all()

    def validate_unique(self) -> None:
        # The formset checks duplicates among its rows; checking the database here would
        # reject removing an addressee and adding it back in the same save.
        pass


class AppealAddresseeFormSet(StaffInlineFormSet):
    def clean(self) -> None:
        seen: set[int] = set()
        live = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            addressee = form.cleaned_data.get("addressee")
            if addressee is None:
                continue
            if addressee.pk in seen:
                form.add_error(
                    "addressee",
                    forms.ValidationError(
                        _("This addressee is already listed in another row."), code="duplicate"
                    ),
                )
                continue
            seen.add(addressee.pk)
            live.append(form)
        # Rows left without a number go after the numbered ones, in the order shown.
        last = max((form.cleaned_data.get("position") or 0 for form in live), default=0)
        for form in live:
            if form.cleaned_data.get("position") is None:
                last += 1
                form.cleaned_data["position"] = last
                form.instance.position = last
        super().clean()


AddresseeFormSetFactory = inlineformset_factory(
    Appeal,
    AppealAddressee,
    form=AppealAddresseeForm,
    formset=AppealAddresseeFormSet,
    extra=1,
    can_delete=True,
)


ADDRESSEE_PREFIX = "addressees"


def addressee_formset(*, data: Any, instance: Appeal) -> AppealAddresseeFormSet:
    return AddresseeFormSetFactory(
        data,
        instance=instance,
        prefix=ADDRESSEE_PREFIX,
        queryset=AppealAddressee.objects.select_related("addressee"),
    )


class AddresseeForm(StaffFormMixin, forms.ModelForm):
    class Meta:
        model = Addressee
        fields = [
            "honorific",
            "name",
            "position",
            "institution",
            "country",
            "email",
            "fax",
            "salutation",
            "postal_address",
        ]
        labels = {"country": _("Country")}
        help_texts = {"country": _("Two-letter ISO code, e.g. KG for Kyrgyzstan.")}
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 4})}

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise forms.ValidationError(
                _("Give the two-letter country code, such as KG or KZ."), code="country"
            )
        return country
