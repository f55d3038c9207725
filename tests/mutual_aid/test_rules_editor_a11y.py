"""The rules editor's rows are hand-written: a row's error is the element its input's aria-describedby names."""

from django.template.loader import render_to_string
from django.utils import translation

from mutual_aid.forms import BandFormSet, DiseaseFormSet
from tests.a11y import Page


def _management(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}


def test_a_band_rows_error_is_tied_to_its_input():
    with translation.override("en"):
        bands = BandFormSet({**_management("bands"), "bands-0-start": "0", "bands-0-rate_pct": "120"}, prefix="bands")
        assert not bands.is_valid()
        page = Page(render_to_string("mutual_aid/includes/band_row.html", {"f": bands.forms[0]}))
    rate = page.find("input", name="bands-0-rate_pct")[0]
    assert rate.attrs["aria-invalid"] == "true"
    assert "cannot be above 100" in page.described_by(rate)
    assert "aria-invalid" not in page.find("input", name="bands-0-start")[0].attrs


def test_a_disease_rows_error_is_tied_to_its_input():
    with translation.override("en"):
        diseases = DiseaseFormSet({**_management("diseases"), "diseases-0-amount": "x"}, prefix="diseases")
        assert not diseases.is_valid()
        page = Page(render_to_string("mutual_aid/includes/disease_row.html", {"f": diseases.forms[0]}))
    amount = page.find("input", name="diseases-0-amount")[0]
    assert amount.attrs["aria-invalid"] == "true"
    assert "Enter a number" in page.described_by(amount)
