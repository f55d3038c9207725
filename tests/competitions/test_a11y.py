"""The judge's score sheet is a hand-written form: its errors are tied to their inputs like crispy's
(aria-describedby, aria-invalid), listed in a summary at the top, and the criteria editor's table inputs
have names of their own."""

import pytest

from competitions.models import JudgeAssignment
from tests.a11y import Page

pytestmark = pytest.mark.django_db


def test_a_score_out_of_range_is_tied_to_its_input_and_listed_at_the_top(login, scored_period, judge1):
    # given judge1's sheet of a team
    assignment = JudgeAssignment.objects.filter(judge=judge1, period=scored_period).first()
    criteria = list(assignment.period.campaign.criteria.order_by("pk"))
    bad, good = criteria[0], criteria[1]
    # when a score above the criterion's maximum is sent
    response = login(judge1).post(
        f"/competitions/my/{assignment.pk}/", {f"c{bad.pk}": str(bad.max_score + 1), f"c{good.pk}": "1"}
    )
    # then the input in error says so and is described by the message, which the summary links to
    assert response.status_code == 200
    page = Page(response.content)
    control = page.by_id[f"c{bad.pk}"]
    assert control.attrs["aria-invalid"] == "true"
    message = page.described_by(control)
    assert bad.name in message and str(int(bad.max_score)) in message
    summary = [e for e in page.elements if e.attrs.get("role") == "alert"]
    assert len(summary) == 1 and message in summary[0].content
    assert f'href="#c{bad.pk}"' in response.content.decode()
    assert "aria-invalid" not in page.by_id[f"c{good.pk}"].attrs
    assert "aria-describedby" not in page.by_id[f"c{good.pk}"].attrs


def test_every_input_of_the_criteria_editor_has_a_name(login, scored_period, district_admin):
    page = Page(login(district_admin).get(f"/competitions/{scored_period.campaign_id}/criteria/").content)
    controls = [
        e for e in page.elements if e.tag in ("input", "select", "textarea") and e.attrs.get("type") != "hidden"
    ]
    assert len(controls) > 4
    unnamed = [c.attrs.get("name") for c in controls if not page.label_of(c).strip()]
    assert not unnamed, unnamed
