"""Assessment: a scored checklist of portal figures, staff entries with evidence and worker satisfaction."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard import services
from dashboard.assessment import scheme_results
from dashboard.figures import refresh_figures
from dashboard.models import AssessmentEntry, AssessmentScheme
from union_portal.surveys import services as survey_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scheme(roll, district_admin, worker, today):
    refresh_figures()
    year = str(today.year)
    scheme = services.scheme_create(by=district_admin, owner=roll["SX-KQ"], title="乡镇工会年度考核", period=year)
    services.item_add(
        by=district_admin,
        scheme=scheme,
        title="建会率",
        kind="figure",
        weight=Decimal(40),
        metric="enterprises.establishment_rate",
        target=Decimal(90),
    )
    services.item_add(by=district_admin, scheme=scheme, title="职工之家建设", kind="entry", weight=Decimal(30))
    survey = survey_services.survey_create(
        by=district_admin,
        owner=roll["SX-KQ"],
        title="服务满意度",
        service="工会服务",
        questions=["总体满意度"],
        with_comment=False,
    )
    survey = survey_services.survey_publish(by=district_admin, survey=survey)
    services.item_add(
        by=district_admin, scheme=scheme, title="职工满意度", kind="satisfaction", weight=Decimal(30), survey=survey
    )
    survey_services.survey_answer(user=worker, survey=survey, ratings={survey.questions.get().pk: 4})
    return services.scheme_set_status(by=district_admin, scheme=scheme, status="open")


def test_the_ranking_combines_figures_entries_and_satisfaction(scheme, roll, district_admin, huashe_staff):
    item = scheme.items.get(kind="entry")
    entry = services.entry_submit(
        by=huashe_staff,
        item=item,
        unit=roll["KQ-HS"],
        statement="建成职工之家 3 个",
        evidence=SimpleUploadedFile("证明.pdf", PDF),
    )
    services.entry_score(by=district_admin, entry=entry, score=Decimal("25.5"))

    results = {r.unit.code: r for r in scheme_results(scheme)}

    huashe = results["KQ-HS"]
    # establishment 2/3 = 66.6667% of a 90% target: 40 × 66.6667 / 90 = 29.63; entry 25.5; satisfaction 4/5 × 30
    assert [s.points for s in huashe.scores] == [Decimal("29.63"), Decimal("25.50"), Decimal("24.00")]
    assert huashe.total == Decimal("79.13") and huashe.rank == 1
    # Keqiao: both its firms of 25+ are unionised: full 40 points, nothing else: second of 16
    assert results["KQ-KQ"].total == Decimal("40.00") and results["KQ-KQ"].rank == 2
    assert len(results) == 16  # the district's townships; industry unions are not assessed


def test_figure_items_with_lower_is_better_get_full_points_at_or_under_the_target(scheme):
    from dashboard.assessment import figure_points

    item = scheme.items.get(kind="figure")
    item.lower_is_better, item.target = True, Decimal(20)
    assert figure_points(item, Decimal(15)) == Decimal("40.00")
    assert figure_points(item, Decimal(40)) == Decimal("20.00")
    assert figure_points(item, None) == Decimal(0)


def test_only_the_units_own_staff_enter_and_only_the_assessor_scores(scheme, roll, huashe_staff, qixian_staff):
    item = scheme.items.get(kind="entry")
    with pytest.raises(PermissionDenied):
        services.entry_submit(by=qixian_staff, item=item, unit=roll["KQ-HS"], statement="x")
    entry = services.entry_submit(by=huashe_staff, item=item, unit=roll["KQ-HS"], statement="x")
    with pytest.raises(PermissionDenied):
        services.entry_score(by=huashe_staff, entry=entry, score=Decimal(30))


def test_a_score_above_the_items_points_is_refused(scheme, roll, district_admin, huashe_staff):
    entry = services.entry_submit(
        by=huashe_staff, item=scheme.items.get(kind="entry"), unit=roll["KQ-HS"], statement="x"
    )
    with pytest.raises(ValidationError):
        services.entry_score(by=district_admin, entry=entry, score=Decimal(31))


def test_evidence_must_be_a_pdf_or_image_by_content(scheme, roll, huashe_staff):
    with pytest.raises(ValidationError):
        services.entry_submit(
            by=huashe_staff,
            item=scheme.items.get(kind="entry"),
            unit=roll["KQ-HS"],
            statement="x",
            evidence=SimpleUploadedFile("a.pdf", b"MZ not a pdf"),
        )
    assert not AssessmentEntry.objects.exists()


def test_a_figure_item_needs_a_registered_metric_and_a_target(scheme, district_admin):
    with pytest.raises(ValidationError):
        services.item_add(
            by=district_admin,
            scheme=scheme,
            title="x",
            kind="figure",
            weight=Decimal(1),
            metric="nope",
            target=Decimal(1),
        )
    with pytest.raises(ValidationError):
        services.item_add(
            by=district_admin, scheme=scheme, title="x", kind="figure", weight=Decimal(1), metric="members.total"
        )


def test_the_city_assesses_districts(tree, city_admin, today):
    scheme = services.scheme_create(by=city_admin, owner=tree["SX"], title="区县考核", period=str(today.year))
    assert scheme.target_kind == "district"


def test_township_staff_cannot_build_a_checklist(tree, huashe_staff, today):
    with pytest.raises(PermissionDenied):
        services.scheme_create(by=huashe_staff, owner=tree["SX-KQ"], title="x", period=str(today.year))


def test_a_closed_assessment_takes_no_more_entries(scheme, roll, district_admin, huashe_staff):
    services.scheme_set_status(by=district_admin, scheme=scheme, status=AssessmentScheme.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.entry_submit(by=huashe_staff, item=scheme.items.get(kind="entry"), unit=roll["KQ-HS"], statement="x")


# --- pages -----------------------------------------------------------------------------------------------


def test_the_ranking_page_and_its_export(scheme, login, district_admin):
    client = login(district_admin)
    body = client.get(f"/dashboard/assessments/{scheme.pk}/").content.decode()
    assert "华舍街道工会" in body and 'id="ranking"' in body
    response = client.get(f"/dashboard/assessments/{scheme.pk}/export.xlsx")
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    rank, _unit, *points = next(sheet.iter_rows(min_row=2, max_row=2))
    # issue 15: the rank and the points are numbers (points to 0.01), never text
    assert (rank.value, rank.data_type) == (1, "n")
    assert all(c.value is None or (c.data_type == "n" and c.number_format == "0.00") for c in points)


def test_township_staff_enter_with_evidence_in_the_browser_and_see_only_their_unit(scheme, roll, login, huashe_staff):
    client = login(huashe_staff)
    item = scheme.items.get(kind="entry")
    url = f"/dashboard/assessments/{scheme.pk}/units/{roll['KQ-HS'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        f"{url}items/{item.pk}/",
        {f"e{item.pk}-statement": "建成职工之家", f"e{item.pk}-evidence": SimpleUploadedFile("证明.pdf", PDF)},
    )
    assert response.status_code == 302
    entry = AssessmentEntry.objects.get()
    assert entry.evidence and client.get(f"{url}items/{item.pk}/evidence/").status_code == 200
    other = f"/dashboard/assessments/{scheme.pk}/units/{roll['KQ-QX'].pk}/"
    assert client.get(other).status_code == 404
    assert client.get(f"{other}items/{item.pk}/evidence/").status_code == 404
    assert client.get(f"/dashboard/assessments/{scheme.pk}/").status_code == 403  # the ranking is the assessor's


def test_the_assessor_scores_in_the_browser(scheme, roll, login, district_admin, huashe_staff):
    item = scheme.items.get(kind="entry")
    services.entry_submit(by=huashe_staff, item=item, unit=roll["KQ-HS"], statement="x")
    client = login(district_admin)
    url = f"/dashboard/assessments/{scheme.pk}/units/{roll['KQ-HS'].pk}/items/{item.pk}/score/"
    client.post(url, {f"s{item.pk}-score": "20", f"s{item.pk}-note": "材料齐全"})
    assert AssessmentEntry.objects.get().score == Decimal(20)


def test_assessment_list_queries_do_not_grow(scheme, login, district_admin, django_assert_num_queries, today):
    client = login(district_admin)
    client.get("/dashboard/assessments/")
    # 4 session/user/device/assignments, the page of checklists (an admin holds no township role: no query
    # for "my units"); 3 session save
    with django_assert_num_queries(7):
        client.get("/dashboard/assessments/")
    for i in range(4):
        services.scheme_create(by=district_admin, owner=scheme.owner, title=f"考核{i}", period=str(today.year - 1))
    with django_assert_num_queries(7):
        client.get("/dashboard/assessments/")


def test_items_are_removed_only_from_a_draft(tree, login, district_admin, scheme, today):
    client = login(district_admin)
    draft = services.scheme_create(by=district_admin, owner=tree["SX-KQ"], title="草稿考核", period=str(today.year))
    item = services.item_add(by=district_admin, scheme=draft, title="x", kind="entry", weight=Decimal(5))
    client.post(f"/dashboard/assessments/{draft.pk}/items/{item.pk}/remove/")
    assert not draft.items.exists()
    open_item = scheme.items.first()
    client.post(f"/dashboard/assessments/{scheme.pk}/items/{open_item.pk}/remove/")
    assert scheme.items.filter(pk=open_item.pk).exists()


def test_an_admin_builds_a_checklist_in_the_browser(tree, login, district_admin, today):
    client = login(district_admin)
    client.post("/dashboard/assessments/new/", {"title": "年度考核", "period": str(today.year)})
    scheme = AssessmentScheme.objects.get(title="年度考核")
    response = client.post(
        f"/dashboard/assessments/{scheme.pk}/",
        {
            "title": "建会率",
            "kind": "figure",
            "weight": "40",
            "metric": "enterprises.establishment_rate",
            "target": "95",
        },
    )
    assert response.status_code == 302 and scheme.items.get().metric == "enterprises.establishment_rate"
    client.post(f"/dashboard/assessments/{scheme.pk}/status/open/")
    scheme.refresh_from_db()
    assert scheme.status == "open"
