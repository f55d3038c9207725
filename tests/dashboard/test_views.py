"""Dashboard pages: scoped, drill-down at a constant number of queries, Excel export, on-demand refresh."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboard.figures import refresh_figures
from dashboard.models import FigureRun
from members.models import Enterprise
from union_portal.models import OrgUnit

from .conftest import add_members

HOME = "/dashboard/"


@pytest.fixture
def figures(roll):
    refresh_figures()
    return roll


def test_district_admin_sees_cards_and_every_township(figures, login, district_admin):
    response = login(district_admin).get(HOME)

    body = response.content.decode()
    assert response.status_code == 200
    assert "华舍街道工会" in body and "齐贤街道工会" in body and "会员" in body
    assert 'id="dashboard-chart-data"' in body and "<script>" not in body  # data by json_script only
    cards = {m.key: text for m, text, _snap in response.context["cards"]}
    assert cards["members.total"] == "25"  # the demo worker, 10 + 4 + 5 + 2 retired + 3 (2 who left do not count)


def test_the_page_says_when_figures_were_computed(figures, login, district_admin):
    run = FigureRun.objects.get()
    body = login(district_admin).get(HOME).content.decode()
    assert "数据计算于" in body and run.finished_at is not None


def test_drilling_down_to_a_township_shows_its_unions(figures, login, district_admin):
    huashe = figures["KQ-HS"]
    response = login(district_admin).get(f"{HOME}?node={huashe.pk}")
    names = [child.name for child, _values in response.context["rows"]]
    assert names == ["浙江华舍纺织印染有限公司工会", "绍兴华舍织造有限公司工会", "华舍街道小微企业联合工会"]
    assert [b.name for b in response.context["breadcrumbs"]] == ["柯桥区总工会"]


def test_township_staff_see_their_township_only(figures, login, huashe_staff, tree):
    client = login(huashe_staff)
    response = client.get(HOME)
    assert response.context["node"].code == "KQ-HS"
    assert client.get(f"{HOME}?node={tree['KQ-QX'].pk}").status_code == 404
    assert client.get(f"{HOME}?node={tree['SX-KQ'].pk}").status_code == 404
    assert client.get(f"{HOME}figures/members.total/?node={tree['KQ-QX-001'].pk}").status_code == 404
    assert client.get(f"{HOME}figures/members.total/export.xlsx?node={tree['KQ-QX'].pk}").status_code == 404


@pytest.mark.parametrize("username", ["handler", "reviewer1", "finance", "judge1", "worker"])
def test_other_roles_and_workers_get_403(figures, login, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    assert login(user).get(HOME).status_code == 403


def test_anonymous_users_are_sent_to_login(figures, client):
    for url in [
        HOME,
        f"{HOME}figures/members.total/",
        f"{HOME}export.xlsx",
        "/surveys/",
        "/dashboard/assessments/",
        "/my-surveys/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_an_unknown_figure_is_404(figures, login, district_admin):
    assert login(district_admin).get(f"{HOME}figures/nope/").status_code == 404


def _add_townships(parent: OrgUnit, n: int):
    for i in range(n):
        town = OrgUnit.objects.add_child(parent, {"code": f"KQ-T{i:02d}", "name": f"测试镇{i}", "kind": "township"})
        union = OrgUnit.objects.add_child(
            town, {"code": f"KQ-T{i:02d}-001", "name": f"测试工会{i}", "kind": "grassroots"}
        )
        Enterprise.objects.create(
            name=f"测试企业{i}", uscc=f"91330621TEST{i:06d}", employee_count=40, township=town, union=union
        )
        add_members(union, 2)


@pytest.mark.parametrize("level", ["SX-KQ", "KQ-HS"])
def test_drill_down_queries_do_not_grow_with_units(figures, login, district_admin, django_assert_num_queries, level):
    client = login(district_admin)
    node = OrgUnit.objects.get(code=level)
    url = f"{HOME}?node={node.pk}"
    client.get(url)  # warm the session

    # session, user, OTP device, assignments; the node with its breadcrumb, the units below, the figures of
    # the node and of the units below, the refresh log (when, which years); session save (savepoint, update,
    # release)
    with django_assert_num_queries(10):
        client.get(url)
    parent = OrgUnit.objects.get(code=level)
    if level == "SX-KQ":
        _add_townships(parent, 5)
    else:
        for i in range(5):
            OrgUnit.objects.add_child(parent, {"code": f"KQ-HS-Y{i}", "name": f"新工会{i}", "kind": "grassroots"})
    refresh_figures()
    # new units inserted in code order rewrite later siblings' paths: the per-user cache refills
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["rows"]) >= 5


@pytest.mark.parametrize("metric", ["members.total", "members.membership_rate_by_industry"])
def test_figure_page_queries_do_not_grow_with_units(figures, login, district_admin, django_assert_num_queries, metric):
    client = login(district_admin)
    url = f"{HOME}figures/{metric}/"
    client.get(url)
    # 4 for the session and user; the node with its breadcrumb, the units below, the figures (node and units
    # below, every breakdown key), the refresh log; 3 for the session save
    with django_assert_num_queries(10):
        client.get(url)
    _add_townships(OrgUnit.objects.get(code="SX-KQ"), 4)
    refresh_figures()
    # new units inserted in code order rewrite later siblings' paths: the per-user cache refills
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)


def test_figure_export_lists_the_node_and_each_unit_below(figures, login, district_admin):
    response = login(district_admin).get(f"{HOME}figures/members.total/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位"
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code["SX-KQ"][3] == 25 and by_code["KQ-HS"][3] == 15 and by_code["KQ-QX"][3] == 7
    # issue 15: the count is a number with format 0, the code text, the time a date cell
    code, _key, count, computed = (sheet.cell(row=2, column=c) for c in (2, 3, 4, 7))
    assert (code.data_type, code.number_format) == ("s", "@")
    assert (count.data_type, count.number_format) == ("n", "0")
    assert (computed.data_type, computed.number_format) == ("d", "yyyy-mm-dd hh:mm")


def test_a_percentage_figure_exports_as_a_rate_and_money_as_money(figures, login, district_admin):
    client = login(district_admin)
    sheet = load_workbook(io.BytesIO(client.get(f"{HOME}figures/funds.dues_share/export.xlsx").content)).active
    rate = sheet.cell(row=2, column=4)
    # a percentage stored as 12.5 is the fraction 0.125 shown 12.50%; with no members it stays "—"
    assert rate.number_format == "0.00%" and (rate.value == "—" or 0 <= rate.value <= 1)
    sheet = load_workbook(io.BytesIO(client.get(f"{HOME}figures/funds.collected/export.xlsx").content)).active
    assert all(row[3].data_type == "n" and row[3].number_format == "#,##0.00" for row in sheet.iter_rows(min_row=2))


def test_dashboard_export_has_every_headline_figure(figures, login, huashe_staff):
    response = login(huashe_staff).get(f"{HOME}export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["KQ-HS", "KQ-HS-001", "KQ-HS-002", "KQ-HS-003"]
    # issue 15: every figure is a number with its kind's format, or "—" for a rate with nothing to divide by
    for row in sheet.iter_rows(min_row=2):
        for cell in row[2:]:
            assert (cell.data_type == "n" and cell.number_format in ("0", "#,##0.00", "0.00%", "0.0")) or (
                cell.value == "—"
            ), (cell.coordinate, cell.value)


def test_an_admin_recomputes_the_figures_on_demand(roll, login, district_admin, django_capture_on_commit_callbacks):
    client = login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:refresh"), {"next": HOME})
    assert response.status_code == 302
    run = FigureRun.objects.get()
    assert run.status == "done" and run.requested_by == district_admin


def test_township_staff_cannot_trigger_a_refresh(roll, login, huashe_staff):
    assert login(huashe_staff).post(reverse("dashboard:refresh")).status_code == 403
    assert not FigureRun.objects.exists()


def test_english_labels_are_available(figures, login, district_admin, settings):
    from django.utils import translation

    client = login(district_admin)
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = client.get(HOME).content.decode()
    assert "Members" in body and "Figures computed at" in body


def test_every_registered_figure_has_a_working_page_and_export(figures, login, district_admin):
    from dashboard.registry import all_metrics

    client = login(district_admin)
    for metric in all_metrics():
        page = client.get(f"{HOME}figures/{metric.key}/")
        assert page.status_code == 200, metric.key
        assert client.get(f"{HOME}figures/{metric.key}/export.xlsx").status_code == 200, metric.key


def test_the_demo_data_renders_for_the_demo_accounts(tree, login, district_admin, huashe_staff, worker):
    from dashboard import demo as demo_dashboard

    demo_dashboard.seed(stdout=io.StringIO())
    demo_dashboard.seed(stdout=io.StringIO())  # idempotent

    from dashboard.models import AssessmentScheme
    from union_portal.surveys.models import Survey

    scheme, survey = AssessmentScheme.objects.get(), Survey.objects.get()
    assert login(district_admin).get(f"/dashboard/assessments/{scheme.pk}/").status_code == 200
    assert login(district_admin).get(f"/surveys/{survey.pk}/").status_code == 200
    assert login(huashe_staff).get(f"/dashboard/assessments/{scheme.pk}/units/{tree['KQ-HS'].pk}/").status_code == 200
    worker_home = login(worker).get("/").content.decode()
    assert reverse("surveys:mine") in worker_home and 'href="/dashboard/"' not in worker_home
    assert "互助理赔服务满意度测评" in login(worker).get("/my-surveys/").content.decode()


def test_the_city_admin_drills_from_the_city_to_districts(figures, login, city_admin):
    response = login(city_admin).get(HOME)
    assert response.context["node"].code == "SX"
    assert [child.code for child, _values in response.context["rows"]] == ["SX-KQ"]


def test_the_nightly_refresh_is_scheduled_with_a_registered_task(settings):
    from union_portal.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-refresh-figures"]
    assert entry["task"] in app.tasks


def test_the_refresh_never_redirects_off_site(roll, login, district_admin):
    response = login(district_admin).post(reverse("dashboard:refresh"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard:home")


def test_a_count_with_nothing_counted_shows_zero_and_a_rate_without_base_a_dash(figures, login, district_admin):
    response = login(district_admin).get(f"{HOME}?node={figures['KQ-AC'].pk}")
    cards = {m.key: text for m, text, _snap in response.context["cards"]}
    assert cards["members.new"] == "0" and cards["members.migrant_share"] == "—"
