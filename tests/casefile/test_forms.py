"""The staff form kit: the error summary at the top of every staff form."""

from django import forms

from casefile.forms import error_summary


class TitleForm(forms.Form):
    title = forms.CharField(label="Title")

    def clean(self):
        raise forms.ValidationError("The dates contradict each other.")


RowFormSet = forms.formset_factory(TitleForm, extra=0, min_num=2)


def test_every_error_is_listed_and_each_field_error_links_to_its_field():
    page = TitleForm(data={}, prefix="case")
    rows = RowFormSet(
        data={
            "rows-TOTAL_FORMS": "2",
            "rows-INITIAL_FORMS": "0",
            "rows-0-title": "Kept",
            "rows-1-title": "",
        },
        prefix="rows",
    )
    page.is_valid(), rows.is_valid()

    summary = error_summary(page, None, formsets=[(rows, lambda n: f"Source {n}")])

    assert summary == [
        {"anchor": "", "text": "The dates contradict each other."},
        {"anchor": "id_case-title", "text": "Title: This field is required."},
        {"anchor": "", "text": "Source 1: The dates contradict each other."},
        {"anchor": "", "text": "Source 2: The dates contradict each other."},
        {"anchor": "id_rows-1-title", "text": "Source 2, Title: This field is required."},
    ]
