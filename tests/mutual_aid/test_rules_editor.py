"""Issue 16: the scheme rules as a structured editor (bands as rows, cap, deductible, waiting days, diseases by
name, documents as checkboxes, the premium of added members) writing the same versioned rules, and shown as a
readable table, never a dict."""

import datetime as dt
from decimal import Decimal

import pytest

from mutual_aid import rules_editor
from mutual_aid.models import RuleVersion
from mutual_aid.rules import DEFAULT_RULES, compute_inpatient, compute_lump_sum
from tests.mutual_aid.conftest import YEAR


def _post_data(kind: str, rules: dict, *, effective_from: str, premium: str = "60", blank_rows: int = 2) -> dict:
    """What the editor posts for ``rules`` left as they are (plus the formset's blank rows)."""
    start = rules_editor.rules_to_editor(kind, rules)
    meta = start["meta"]
    data: dict = {
        "effective_from": effective_from,
        "premium": premium,
        "waiting_days": str(meta["waiting_days"]),
        "documents": meta["documents"],
        "addition_premium": meta["addition_premium"],
        "note": "",
    }
    if kind == "inpatient":
        data.update(deductible=str(meta["deductible"]), cap=str(meta["cap"]))
        rows, prefix, fields = start["bands"], "bands", ("start", "end", "rate_pct")
    else:
        data["once_per"] = meta["once_per"]
        rows, prefix, fields = start["diseases"], "diseases", ("code", "name", "amount")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(rows) + blank_rows),
            f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        for name in fields:
            value = row.get(name)
            data[f"{prefix}-{i}-{name}"] = "" if value is None else str(value)
    for i in range(len(rows), len(rows) + blank_rows):
        for name in fields:
            data[f"{prefix}-{i}-{name}"] = ""
    return data


@pytest.mark.parametrize("kind", ["inpatient", "major_disease", "female_disease"])
def test_the_editor_round_trips_the_rules_to_a_new_version_with_the_same_amounts(kind, scheme, login, district_admin):
    # given a benefit with its default rules
    benefit = scheme.benefits.get(kind=kind)
    client = login(district_admin)
    assert client.get(f"/mutual-aid/benefits/{benefit.pk}/rules/new/").status_code == 200
    # when the editor is saved unchanged, effective from 1 July
    response = client.post(
        f"/mutual-aid/benefits/{benefit.pk}/rules/new/",
        _post_data(kind, DEFAULT_RULES[kind], effective_from=f"{YEAR}-07-01"),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    # then a new version exists whose amounts are those of the JSON it replaces
    new = RuleVersion.objects.get(benefit=benefit, effective_from=dt.date(YEAR, 7, 1))
    old = DEFAULT_RULES[kind]
    if kind == "inpatient":
        for base, prior_base, prior_paid in [
            ("500", "0", "0"),
            ("12000", "0", "0"),
            ("80000", "5000", "1000"),
            ("99999.99", "0", "29000"),
        ]:
            args = dict(base=Decimal(base), prior_base=Decimal(prior_base), prior_paid=Decimal(prior_paid))
            assert compute_inpatient(new.rules, **args).amount == compute_inpatient(old, **args).amount
        assert new.rules["bands"] == old["bands"] and new.rules["cap"] == old["cap"]
    else:
        for code in old["diseases"]:
            assert (
                compute_lump_sum(kind, new.rules, disease=code, used=[]).amount
                == compute_lump_sum(kind, old, disease=code, used=[]).amount
            )
        assert new.rules["diseases"] == old["diseases"] and new.rules["once_per"] == old["once_per"]
    assert new.rules["waiting_days"] == old["waiting_days"] and new.rules["documents"] == old["documents"]


def test_the_editor_changes_bands_deductible_and_the_added_members_premium(scheme, login, district_admin):
    # given the inpatient rules in the editor
    benefit = scheme.benefits.get(kind="inpatient")
    data = _post_data("inpatient", DEFAULT_RULES["inpatient"], effective_from=f"{YEAR}-07-01", premium="70")
    # when the deductible becomes 2,000, the first paying band starts there, one band is removed, and added
    # members pay by months
    data.update(
        {
            "deductible": "2000",
            "bands-0-start": "2000",
            "bands-2-DELETE": "on",
            "bands-1-end": "",
            "addition_premium": "months",
            "waiting_days": "60",
        }
    )
    response = login(district_admin).post(f"/mutual-aid/benefits/{benefit.pk}/rules/new/", data)
    # then the new version has the rows as given
    assert response.status_code == 302, response.content.decode()[-3000:]
    rules = RuleVersion.objects.get(benefit=benefit, effective_from=dt.date(YEAR, 7, 1)).rules
    assert rules["bands"] == [["0", "2000", "0"], ["2000", "10000", "0.5"], ["10000", None, "0.6"]]
    assert rules["addition_premium"] == "months" and rules["waiting_days"] == 60
    benefit.refresh_from_db()
    assert benefit.premium == Decimal("70.00")


def test_a_gap_between_bands_is_refused_on_the_row_in_chinese(scheme, login, district_admin):
    benefit = scheme.benefits.get(kind="inpatient")
    data = _post_data("inpatient", DEFAULT_RULES["inpatient"], effective_from=f"{YEAR}-07-01")
    data["bands-1-start"] = "12000"  # the row above ends at 10000
    client = login(district_admin)
    client.cookies["django_language"] = "zh-hans"
    response = client.post(f"/mutual-aid/benefits/{benefit.pk}/rules/new/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "该档起点必须为" in response.content.decode()
    assert RuleVersion.objects.filter(benefit=benefit).count() == 1


def test_a_new_disease_row_gets_a_code_and_a_removed_one_goes(scheme, login, district_admin):
    benefit = scheme.benefits.get(kind="major_disease")
    data = _post_data("major_disease", DEFAULT_RULES["major_disease"], effective_from=f"{YEAR}-07-01")
    data.update({"diseases-0-DELETE": "on", "diseases-6-name": "严重烧伤", "diseases-6-amount": "5000"})
    response = login(district_admin).post(f"/mutual-aid/benefits/{benefit.pk}/rules/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    diseases = RuleVersion.objects.get(benefit=benefit, effective_from=dt.date(YEAR, 7, 1)).rules["diseases"]
    assert "cancer" not in diseases and diseases["disease_1"] == {"name": "严重烧伤", "amount": "5000.00"}


def test_the_scheme_page_shows_rules_as_a_table_not_a_dict(scheme, login, district_admin):
    client = login(district_admin)
    client.cookies["django_language"] = "zh-hans"
    content = client.get(f"/mutual-aid/schemes/{scheme.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "{&#x27;" not in content and "'bands'" not in content and "bands" not in content.split("<main")[1]
    assert "恶性肿瘤" in content and "出院记录" in content and "30000.00" in content
