import datetime as dt
import io

import pytest
from django.utils import translation

from mutual_aid import demo, services
from mutual_aid.models import Claim, Enrolment, RuleVersion
from mutual_aid.rules import DEFAULT_RULES
from union_portal.excel import workbook_bytes
from union_portal.payments.models import Payment

from .conftest import YEAR, approve_twice, file_claim, pdf

QUERIES_MY_AID = 9
QUERIES_CLAIM_FORM = 13

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(tree):
    demo.seed(stdout=io.StringIO())
    return {c.status: c for c in Claim.objects.all()}


PAGES = [
    "/mutual-aid/",
    "/mutual-aid/estimate/",
    "/mutual-aid/claims/new/",
    "/mutual-aid/claims/",
    "/mutual-aid/queue/",
    "/mutual-aid/statistics/",
    "/mutual-aid/schemes/",
    "/mutual-aid/enrolments/",
    "/mutual-aid/enrolments/new/",
    "/mutual-aid/payments/",
]


@pytest.mark.parametrize("username", ["worker", "handler", "reviewer1", "finance", "district_admin", "huashe_staff"])
def test_every_page_a_demo_account_may_open_renders(demo_data, login, username):
    from django.contrib.auth import get_user_model

    client = login(get_user_model().objects.get(username=username))
    codes = {page: client.get(page).status_code for page in PAGES}
    assert set(codes.values()) <= {200, 302, 403}, codes  # 302: non-members filing go to their page
    for claim in demo_data.values():
        if username in ("worker", "handler", "reviewer1", "district_admin", "huashe_staff"):
            assert client.get(f"/mutual-aid/claims/{claim.pk}/").status_code == 200


def test_anonymous_users_are_sent_to_login_but_may_estimate(demo_data, client):
    claim = demo_data["paid"]
    for url in ["/mutual-aid/", "/mutual-aid/queue/", f"/mutual-aid/claims/{claim.pk}/", "/mutual-aid/claims/new/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.get("/mutual-aid/estimate/", {"benefit": "inpatient", "base": "12000"})
    assert response.status_code == 200 and "5700.00" in response.content.decode()


def test_another_units_staff_get_404_for_a_claim_its_documents_and_letter(
    demo_data, login, handler_qixian, qixian_staff
):
    claim = demo_data["rejected"]
    document = claim.documents.first()
    for user in (handler_qixian, qixian_staff):
        client = login(user)
        assert client.get(f"/mutual-aid/claims/{claim.pk}/").status_code == 404
        assert client.get(f"/mutual-aid/claims/{claim.pk}/documents/{document.pk}/").status_code == 404
        assert client.get(f"/mutual-aid/claims/{claim.pk}/letter.pdf").status_code == 404


def test_the_owner_and_township_staff_may_open_a_document(demo_data, login, worker, huashe_staff):
    claim = demo_data["paid"]
    document = claim.documents.first()
    for user in (worker, huashe_staff):
        response = login(user).get(f"/mutual-aid/claims/{claim.pk}/documents/{document.pk}/")
        assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_worker_cannot_see_the_staff_pages(demo_data, login, worker):
    client = login(worker)
    for url in ["/mutual-aid/queue/", "/mutual-aid/claims/", "/mutual-aid/payments/", "/mutual-aid/schemes/"]:
        assert client.get(url).status_code == 403


def test_the_decision_letter_is_a_pdf_for_decided_claims_only(demo_data, login, worker):
    client = login(worker)
    assert client.get(f"/mutual-aid/claims/{demo_data['rejected'].pk}/letter.pdf").content.startswith(b"%PDF")
    assert client.get(f"/mutual-aid/claims/{demo_data['paid'].pk}/letter.pdf").status_code == 200
    assert client.get(f"/mutual-aid/claims/{demo_data['first_review'].pk}/letter.pdf").status_code == 404


def test_a_worker_files_a_claim_from_the_browser(covered, login, worker, django_capture_on_commit_callbacks):
    client = login(worker)
    data = {
        "benefit": "inpatient",
        "hospital": "柯桥区人民医院",
        "admission_date": f"{YEAR}-06-01",
        "discharge_date": f"{YEAR}-06-05",
        "total_amount": "20000.00",
        "self_paid_amount": "12000.00",
        "excluded_amount": "0",
        "invoice_numbers": "FP001\nFP002",
        "consent": "on",
    }
    for kind in ["application", "id_card", "bank_card", "invoice", "settlement", "discharge"]:
        data[f"doc_{kind}"] = pdf(f"{kind}.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mutual-aid/claims/new/", data)
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mutual-aid/claims/{claim.pk}/"
    assert claim.status == Claim.Status.FIRST_REVIEW and claim.proposed_amount == 5700
    assert sorted(claim.invoices.values_list("number", flat=True)) == ["FP001", "FP002"]


def test_a_bad_claim_shows_a_chinese_error_and_saves_nothing(covered, login, worker):
    response = login(worker).post(
        "/mutual-aid/claims/new/",
        {
            "benefit": "inpatient",
            "hospital": "x",
            "admission_date": f"{YEAR}-06-01",
            "discharge_date": f"{YEAR}-06-05",
            "total_amount": "100",
            "self_paid_amount": "200",
            "invoice_numbers": "A",
            "consent": "on",
        },
    )
    assert response.status_code == 200 and not Claim.objects.exists()
    assert "自付" in response.content.decode()


def test_english_works_when_switched(covered, login, worker):
    client = login(worker)
    assert "我的保障" in client.get("/mutual-aid/").content.decode()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.get("/mutual-aid/")
    assert "My cover" in response.content.decode()


def test_the_same_reviewer_is_refused_the_second_review_in_the_browser(covered, worker, login, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    client = login(reviewer1)
    client.post(f"/mutual-aid/claims/{claim.pk}/approve/", {"confirm": "on"})
    response = client.post(f"/mutual-aid/claims/{claim.pk}/approve/", {"confirm": "on"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SECOND_REVIEW
    assert "不同" in response.content.decode()


def test_a_reviewer_returns_a_claim_and_the_worker_resubmits(covered, worker, login, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    login(reviewer1).post(f"/mutual-aid/claims/{claim.pk}/return/", {"documents": ["settlement"], "note": "看不清"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    client = login(worker)
    assert "结算单" in client.get(f"/mutual-aid/claims/{claim.pk}/").content.decode()
    client.post(f"/mutual-aid/claims/{claim.pk}/resubmit/", {"doc_settlement": pdf("s.pdf")})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED and claim.submission == 2


def test_a_worker_appeals_in_the_browser(covered, worker, login, reviewer1, reviewer2):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_reject(by=reviewer1, claim=claim, reason="材料不符")
    login(worker).post(f"/mutual-aid/claims/{claim.pk}/appeal/", {"reason": "补充说明"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPEALED and claim.appeal_reviewer == reviewer2


def test_revealing_a_bank_account_is_audited(covered, worker, login, reviewer1):
    from union_portal.models import AuditLog

    claim = services.auto_review(file_claim(worker, covered).pk)
    response = login(reviewer1).post(f"/mutual-aid/claims/{claim.pk}/reveal/", follow=True)
    assert claim.payee_bank_account in response.content.decode()
    assert AuditLog.objects.filter(action="mutual_aid.reveal", object_id=str(claim.pk)).exists()
    assert claim.payee_bank_account not in login(worker).get(f"/mutual-aid/claims/{claim.pk}/").content.decode()


def test_finance_pays_a_batch_and_exports_the_bank_file(covered, worker, login, reviewer1, reviewer2, finance):
    claim = approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    client = login(finance)
    response = client.post("/mutual-aid/payments/")
    payment = Payment.objects.get()
    assert response["Location"] == f"/mutual-aid/payments/{payment.batch_id}/"
    xlsx = client.get(f"/mutual-aid/payments/{payment.batch_id}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    # the CSV is written in the batch's layout: the district's default (瑞丰银行, GB18030) in the demo data
    batch = payment.batch
    assert batch.layout.encoding == "gb18030"
    csv_text = client.get(f"/mutual-aid/payments/{payment.batch_id}/export.csv").content.decode("gb18030")
    assert claim.payee_bank_account in csv_text and "5700.00" in csv_text and "收款人户名" in csv_text
    client.post(f"/mutual-aid/payments/items/{payment.pk}/paid/", {"reference": "ICBC-1"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID


def test_only_finance_may_export_a_batch(covered, worker, login, reviewer1, reviewer2, finance):
    approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    batch = services.batch_create(by=finance)
    assert login(reviewer1).get(f"/mutual-aid/payments/{batch.pk}/export.csv").status_code == 403


def test_a_handler_enrols_the_roll_and_finance_confirms(scheme, member, login, handler, finance, today):
    client = login(handler)
    benefit = scheme.benefits.get(kind="inpatient")
    client.post("/mutual-aid/enrolments/new/", {"benefit": benefit.pk, "source": "roll"})
    enrolment = Enrolment.objects.get()
    assert enrolment.member_count == 1 and enrolment.premium_due == 60
    login(finance).post(f"/mutual-aid/enrolments/{enrolment.pk}/confirm/", {"reference": "ZH-1"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PAID and enrolment.cover_starts_on > today


def test_an_excel_enrolment_with_a_bad_row_enrols_nobody(scheme, member, login, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = workbook_bytes(["会员编号", "姓名"], [[member.member_number, member.name], ["NOPE", "某某"]])
    upload = SimpleUploadedFile("list.xlsx", content)
    response = login(handler).post(
        "/mutual-aid/enrolments/new/",
        {"benefit": scheme.benefits.get(kind="inpatient").pk, "source": "excel", "excel": upload},
    )
    assert not Enrolment.objects.exists()
    assert "第3行" in response.content.decode() and "本工会没有该编号" in response.content.decode()


def test_a_handler_of_another_union_cannot_see_its_enrolment(scheme, member, login, handler, handler_qixian, finance):
    services.enrolment_create(
        by=handler, benefit=scheme.benefits.get(kind="inpatient"), org=member.org, members=[member]
    )
    assert "华舍" not in login(handler_qixian).get("/mutual-aid/enrolments/").content.decode().split("<main")[1]


def test_the_district_admin_saves_a_new_rules_version(scheme, login, district_admin):
    """Issue 16: the rules are edited as fields and rows (no JSON textarea); bad rows save nothing."""
    from tests.mutual_aid.test_rules_editor import _post_data

    benefit = scheme.benefits.get(kind="inpatient")
    client = login(district_admin)
    data = _post_data("inpatient", DEFAULT_RULES["inpatient"], effective_from=f"{YEAR}-07-01", premium="70")
    bad = client.post(f"/mutual-aid/benefits/{benefit.pk}/rules/new/", {**data, "bands-0-rate_pct": "150"})
    assert bad.status_code == 200 and RuleVersion.objects.filter(benefit=benefit).count() == 1
    data.update({"deductible": "2000", "bands-0-start": "2000", "bands-0-end": "", "bands-1-DELETE": "on"})
    data["bands-2-DELETE"] = "on"
    client.post(f"/mutual-aid/benefits/{benefit.pk}/rules/new/", data)
    assert RuleVersion.objects.filter(benefit=benefit).count() == 2
    assert RuleVersion.objects.get(benefit=benefit, effective_from=dt.date(YEAR, 7, 1)).rules["bands"] == [
        ["0", "2000", "0"],
        ["2000", None, "0.5"],
    ]
    benefit.refresh_from_db()
    assert benefit.premium == 70


def test_statistics_show_states_and_townships(demo_data, login, reviewer1):
    content = login(reviewer1).get("/mutual-aid/statistics/").content.decode()
    assert "华舍街道工会" in content and "已支付" in content


def _many_claims(member, worker, n):
    for i in range(n):
        claim = file_claim(worker, member, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * i), days=1, base="100")
        services.auto_review(claim.pk)


def test_the_review_queue_keeps_its_queries_constant(covered, worker, login, reviewer1, django_assert_num_queries):
    _many_claims(covered, worker, 2)
    client = login(reviewer1)
    client.get("/mutual-aid/queue/")  # warm the session
    # session, user, the verified OTP device, assignments, the page of claims (one query with its joins); the idle-timeout session
    # save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/mutual-aid/queue/?findings=failed")
    _many_claims(covered, worker, 5)
    with django_assert_num_queries(7):
        response = client.get("/mutual-aid/queue/?findings=failed")
    assert len(response.context["rows"]) == 7
    # base 100 lies below the 1,000 paid at 0%: each is flagged NOTHING_PAYABLE
    assert all(problems for _claim, _days, problems in response.context["rows"])


def test_the_claims_list_keeps_its_queries_constant(covered, worker, login, handler, django_assert_num_queries):
    _many_claims(covered, worker, 2)
    client = login(handler)
    client.get("/mutual-aid/claims/")
    # session (+ the verified OTP device), user, assignments, the page of claims; the session save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/mutual-aid/claims/")
    _many_claims(covered, worker, 5)
    with django_assert_num_queries(7):
        client.get("/mutual-aid/claims/")


def test_a_handler_files_a_claim_for_a_member_of_their_union(covered, login, handler, handler_qixian):
    data = {
        "member_number": covered.member_number,
        "benefit": "major_disease",
        "hospital": "浙江省肿瘤医院",
        "admission_date": f"{YEAR}-06-01",
        "discharge_date": f"{YEAR}-06-10",
        "total_amount": "50000",
        "self_paid_amount": "20000",
        "disease_code": "cancer",
        "consent": "on",
    }
    for kind in ["application", "id_card", "bank_card", "discharge", "pathology"]:
        data[f"doc_{kind}"] = pdf(f"{kind}.pdf")
    response = login(handler_qixian).post("/mutual-aid/claims/new/", dict(data))
    assert response.status_code == 200 and not Claim.objects.exists()
    for kind in ["application", "id_card", "bank_card", "discharge", "pathology"]:
        data[f"doc_{kind}"] = pdf(f"{kind}.pdf")
    data["consent_document"] = pdf("consent.pdf")  # the member's signed consent (ticking it for them is refused)
    response = login(handler).post("/mutual-aid/claims/new/", data)
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.member == covered and claim.filed_by == handler
    assert claim.consent_method == Claim.ConsentMethod.SIGNED and claim.documents.filter(kind="consent").exists()


def test_a_logged_in_members_estimate_page_uses_their_ledger(covered, worker, login, reviewer1, reviewer2):
    approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    content = login(worker).get("/mutual-aid/estimate/", {"benefit": "inpatient", "base": "3000"}).content.decode()
    assert "1800.00" in content


def _enrol_list(client, scheme, rows, headers=("会员编号", "姓名", "身份证号")):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("list.xlsx", xlsx_rows([list(headers), *rows]))
    return client.post(
        "/mutual-aid/enrolments/new/",
        {"benefit": scheme.benefits.get(kind="inpatient").pk, "source": "excel", "excel": upload},
    )


def xlsx_rows(rows) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_enrolment_list_whose_id_number_is_not_the_members_enrols_nobody(
    scheme, member, login, handler, make_member
):
    """Issue 15: the 身份证号 column is checked against the member, so the wrong person is never enrolled."""
    other = make_member(member.org)
    response = _enrol_list(login(handler), scheme, [[member.member_number, member.name, other.id_number]])

    assert not Enrolment.objects.exists()
    assert "第2行" in response.content.decode() and "身份证号与会员编号不符" in response.content.decode()


def test_an_enrolment_list_with_a_numeric_id_cell_is_refused_and_a_matching_one_enrols(scheme, member, login, handler):
    client = login(handler)
    digits = member.id_number[:17] if member.id_number.endswith("X") else member.id_number
    response = _enrol_list(client, scheme, [[member.member_number, member.name, int(digits)]])
    assert not Enrolment.objects.exists() and "该列须设为文本格式" in response.content.decode()

    # a title row above, the headers' synonyms, the ID as text: enrolled
    _enrol_list(
        client,
        scheme,
        [
            ["参保名单", None, None],
            ["会员编号", "职工姓名", "身份证号码"],
            [member.member_number, member.name, member.id_number],
        ],
        headers=("某某工会",),
    )
    assert Enrolment.objects.get().member_count == 1


def test_the_enrolment_template_formats_the_id_column_as_text(login, handler, scheme):
    import io

    from openpyxl import load_workbook

    response = login(handler).get("/mutual-aid/enrolments/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header == ["会员编号", "姓名", "身份证号", "备注"]
    assert workbook.worksheets[0].column_dimensions["C"].number_format == "@" and "说明" in workbook.sheetnames


def test_my_aid_keeps_its_queries_constant(covered, worker, login, django_assert_num_queries):
    """The worker's own page lists covers and claims in one query each however many claims she has."""
    # given
    _many_claims(covered, worker, 2)
    client = login(worker)
    client.get("/mutual-aid/")  # warm the session
    # session (+ the verified OTP device), user; her membership, covers, claims; the session save (savepoint,
    # update, release). Her assignments and the menu's membership check come from the per-user cache.
    with django_assert_num_queries(QUERIES_MY_AID):
        client.get("/mutual-aid/")
    _many_claims(covered, worker, 5)
    # when
    with django_assert_num_queries(QUERIES_MY_AID):
        response = client.get("/mutual-aid/")
    # then
    assert response.content.decode().count('href="/mutual-aid/claims/') >= 7


def test_the_claim_form_keeps_its_queries_constant(covered, worker, login, district_admin, django_assert_num_queries):
    """The claim form reads the lump-sum diseases of this and last period in a fixed number of queries, however
    many benefits and rule versions there are; the cached empty form changes with them."""
    # given
    client = login(worker)
    client.get("/mutual-aid/claims/new/")  # warm the session
    # session (+ the verified OTP device), user; her membership; the scheme in force (none today: looked for
    # twice, then the latest) and last period's; the lump-sum benefits and their rule versions; the session save
    # (savepoint, update, release). Her assignments and the menu's membership check: the per-user cache.
    with django_assert_num_queries(QUERIES_CLAIM_FORM):
        client.get("/mutual-aid/claims/new/")
    earlier = services.scheme_create(by=district_admin, year=YEAR - 1)
    version = RuleVersion.objects.filter(benefit__scheme=earlier, benefit__kind="major_disease").get()
    rules = {
        **version.rules,
        "diseases": {**version.rules["diseases"], "test_disease": {"name": "试验用病种", "amount": "1000.00"}},
    }
    RuleVersion.objects.filter(pk=version.pk).update(rules=rules)
    # when
    with django_assert_num_queries(QUERIES_CLAIM_FORM):
        response = client.get("/mutual-aid/claims/new/")
    # then the new disease of last period is offered (the cached form of before is not reused)
    assert "试验用病种" in response.content.decode()


def test_the_cached_claim_form_is_a_staff_or_a_member_one(covered, worker, handler, login):
    """Members and handlers filing for a member see their own form, whichever of them opened it first."""
    member_form = login(worker).get("/mutual-aid/claims/new/").content.decode()
    staff_form = login(handler).get("/mutual-aid/claims/new/").content.decode()
    assert 'name="member_number"' in staff_form and 'name="member_number"' not in member_form
    assert 'name="member_number"' not in login(worker).get("/mutual-aid/claims/new/").content.decode()
