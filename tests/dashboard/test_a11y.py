"""Charts have a text alternative (WCAG 1.1.1): the chart is an image with a name, described by the table of
the same figures beside it, which a caption links to."""

import io

import pytest

from dashboard.figures import refresh_figures
from tests.a11y import Page

from .test_views import HOME


@pytest.fixture
def figures(roll):
    refresh_figures()
    return roll


def _assert_chart_has_its_table(html: bytes) -> None:
    page = Page(html)
    chart = page.by_id["dashboard-chart"]
    assert chart.attrs["role"] == "img" and chart.attrs["aria-label"].strip()
    table = page.by_id[chart.attrs["aria-describedby"]]
    assert table.tag == "table" and page.described_by(chart)
    assert page.find("a", href="#" + chart.attrs["aria-describedby"])  # the caption's link, for sighted users


def test_the_dashboard_and_figure_charts_are_described_by_their_tables(figures, login, district_admin):
    client = login(district_admin)
    _assert_chart_has_its_table(client.get(HOME).content)
    _assert_chart_has_its_table(client.get(f"{HOME}figures/members.total/").content)


def test_the_assessment_ranking_chart_is_described_by_the_ranking(tree, login, district_admin):
    from dashboard import demo as demo_dashboard
    from dashboard.models import AssessmentScheme

    demo_dashboard.seed(stdout=io.StringIO())
    scheme = AssessmentScheme.objects.get()
    _assert_chart_has_its_table(login(district_admin).get(f"/dashboard/assessments/{scheme.pk}/").content)
