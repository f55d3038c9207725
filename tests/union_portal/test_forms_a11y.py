"""Forms rendered through crispy-bootstrap5 (templates/bootstrap5/ overrides): each error and help text is tied
to its control with aria-describedby, the control in error carries aria-invalid, a form with errors starts
with a summary linking to the fields, and a required field says so in words (WCAG 1.3.1, 3.3.1, 3.3.2)."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from tests.a11y import Page
from union_portal.forms import PortalForm


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class _Form(PortalForm):
    name = forms.CharField(label="Name", help_text="As on the ID card")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    document = forms.FileField(label="Document", required=False, help_text="PDF at most 10 MB")
    count = forms.IntegerField(label="Count", required=False)
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("The form as a whole is wrong")


def _render(form) -> Page:
    return Page(Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form})))


def test_a_field_in_error_is_invalid_and_described_by_its_error_and_help():
    form = _Form(data={"count": "x"})
    assert not form.is_valid()
    page = _render(form)
    name = page.find("input", name="name")[0]
    assert name.attrs["aria-invalid"] == "true"
    described = page.described_by(name)
    assert str(form.errors["name"][0]) in described and "As on the ID card" in described
    count = page.find("input", name="count")[0]
    assert count.attrs["aria-invalid"] == "true" and str(form.errors["count"][0]) in page.described_by(count)
    agree = page.find("input", name="agree")[0]
    assert agree.attrs["aria-invalid"] == "true" and str(form.errors["agree"][0]) in page.described_by(agree)
    # radio buttons: the group (fieldset) is described by the error
    fieldset = page.find("fieldset")[0]
    assert str(form.errors["kind"][0]) in page.described_by(fieldset)


def test_a_valid_field_is_not_marked_invalid_and_keeps_its_help():
    form = _Form(data={"name": "张三", "kind": "a", "agree": "on"})
    form.is_valid()
    page = _render(form)
    name = page.find("input", name="name")[0]
    assert "aria-invalid" not in name.attrs and page.described_by(name) == "As on the ID card"
    document = page.find("input", name="document")[0]
    assert page.described_by(document) == "PDF at most 10 MB"


def test_a_form_with_errors_starts_with_a_summary_linking_to_each_field():
    form = _Form(data={"count": "x"})
    form.is_valid()
    page = _render(form)
    summary = page.elements[[e.attrs.get("role") for e in page.elements].index("alert")]
    assert "js-error-summary" in summary.attrs["class"] and summary.attrs["tabindex"] == "-1"
    assert "The form as a whole is wrong" in summary.content
    links = [e.attrs["href"] for e in page.find("a") if e.attrs.get("href", "").startswith("#")]
    assert links == ["#id_name", "#id_kind_0", "#id_count", "#id_agree"]
    for href in links:
        assert href[1:] in page.by_id, href
    # before any field
    assert page.elements.index(summary) < page.elements.index(page.find("input", name="name")[0])


def test_a_form_without_errors_has_no_summary():
    page = _render(_Form())
    assert not [e for e in page.elements if e.attrs.get("role") == "alert"]


def test_required_fields_say_so_in_words():
    page = _render(_Form())
    assert "(required)" in page.label_of(page.find("input", name="name")[0])
    assert "(required)" not in page.label_of(page.find("input", name="count")[0])
    legend = page.find("legend")[0]
    assert "(required)" in legend.content


def test_the_page_reader_finds_labels_around_controls_and_misses_none():
    page = Page('<label>Remove <input type="checkbox" name="a"></label><input name="b"><label for="c">C</label>')
    assert page.label_of(page.find("input", name="a")[0]) == "Remove"
    assert page.label_of(page.find("input", name="b")[0]) == ""
