"""A worker's journeys over the API alone (issue 17 [Reach]): what a WeChat mini-program or a phone app needs,
from registering by SMS code to the notification of an appeal, with the refusals along the way and without
any answer that tells whether a mobile number has an account."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from members import services as members_services
from members.models import JoinApplication, Member
from mutual_aid import services as aid
from mutual_aid.models import Benefit, Claim, ClaimDocument
from tests.factories.core import new_id_number
from tests.mutual_aid.conftest import YEAR, enrol_and_pay, file_claim, pdf
from union_portal.apitokens import token_issue
from union_portal.models import ApiToken, AuditLog
from union_portal.sms import LoggingSmsBackend

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
PASSWORD = "Gongren-2026!"
CODE = "/api/v1/auth/sms/code/"
REGISTER = "/api/v1/auth/sms/register/"
LOGIN = "/api/v1/auth/sms/login/"
RESET = "/api/v1/auth/password/reset/"
MOBILE_CHANGE = "/api/v1/auth/mobile/"
CLAIMS = "/api/v1/mutual-aid/my/claims/"


@pytest.fixture(autouse=True)
def _codes_back_to_back(settings):
    """Codes for several purposes to one number within a minute (the one-minute interval is per number)."""
    settings.ONETIME_CODE_INTERVAL = dt.timedelta(0)


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _sent_to(mobile: str) -> list[str]:
    return [text for phone, text in LoggingSmsBackend.outbox if phone == mobile]


def _last_code(mobile: str = MOBILE) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", _sent_to(mobile)[-1]).group(1)


def _ask_code(purpose: str, mobile: str = MOBILE, client: APIClient | None = None):
    return (client or APIClient()).post(CODE, {"purpose": purpose, "mobile": mobile}, format="json")


def _register(mobile: str = MOBILE, name: str = "王小工") -> dict:
    assert _ask_code("register", mobile).status_code == 202
    response = APIClient().post(
        REGISTER,
        {"mobile": mobile, "code": _last_code(mobile), "full_name": name, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _last_years_scheme(district_admin):
    """Last year's default scheme, open for claims until the end of this year (as tests/mutual_aid's)."""
    scheme = aid.scheme_create(by=district_admin, year=YEAR)
    return aid.scheme_update(by=district_admin, scheme=scheme, deadline_month=12, deadline_day=31)


def _covered_member(worker, district_admin, handler, finance, *, user=None) -> Member:
    """The demo worker's member record (or a new member of the same union with login ``user``), a member since
    before last year and covered by last year's inpatient benefit."""
    from tests.factories import make_member

    scheme = _last_years_scheme(district_admin)
    org = Member.objects.get(user=worker).org
    member = make_member(org, user=user) if user is not None else Member.objects.get(user=worker)
    Member.objects.filter(pk=member.pk).update(joined_on=dt.date(YEAR - 1, 1, 1))
    union = list(Member.objects.filter(org=org, status=Member.Status.ACTIVE))  # the union's minimum share
    enrol_and_pay(scheme=scheme, kind=Benefit.Kind.INPATIENT, org=org, members=union, handler=handler, finance=finance)
    member.refresh_from_db()
    return member


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


# --- the whole journey ---------------------------------------------------------------------------------------


def test_a_newcomer_registers_joins_claims_appeals_and_reads_the_news_over_the_api_alone(
    tree, handler, finance, district_admin, reviewer1, reviewer2, django_capture_on_commit_callbacks
):
    # given a newcomer with a phone: register by SMS code
    tokens = _register()
    assert tokens["token_type"] == "Bearer" and tokens["refresh"]
    app = _bearer(tokens["access"])
    assert app.get("/api/v1/me/").json()["member"] is None
    # when they apply to join a grassroots union, and its handler approves
    id_number = new_id_number()
    applied = app.post(
        "/api/v1/members/join/",
        {"union_code": "KQ-HS-001", "name": "王小工", "id_number": id_number, "mobile": MOBILE, "consent": True},
        format="json",
    )
    assert applied.status_code == 201, applied.content
    listing = app.get("/api/v1/members/join/").json()
    assert [a["status"] for a in listing["results"]] == ["pending"]
    members_services.join_approve(by=handler, application=JoinApplication.objects.get(pk=applied.json()["id"]))
    # then the app shows the card, and anyone can check it by the code in its QR code
    me = app.get("/api/v1/me/").json()
    assert me["member"]["name"] == "王小工" and me["verify_url"]
    code = me["verify_url"].rstrip("/").rsplit("/", 1)[1]
    check = APIClient().get(f"/api/v1/cards/{code}/")
    assert check.status_code == 200
    assert check.json()["valid"] is True and check.json()["masked_name"] == "王*工"
    assert "王小工" not in check.content.decode() and id_number[-4:] not in check.content.decode()
    # given the member covered by last year's scheme (enrolled by their union, paid by finance)
    member = Member.objects.get(name="王小工")
    scheme = _last_years_scheme(district_admin)
    Member.objects.filter(pk=member.pk).update(joined_on=dt.date(YEAR - 1, 1, 1))  # a member since before it
    union = list(Member.objects.filter(org=member.org, status=Member.Status.ACTIVE))  # the union's minimum share
    enrol_and_pay(
        scheme=scheme, kind=Benefit.Kind.INPATIENT, org=member.org, members=union, handler=handler, finance=finance
    )
    # when they file a claim with its documents
    data = {
        "benefit": "inpatient",
        "hospital": "柯桥区人民医院",
        "admission_date": f"{YEAR}-06-01",
        "discharge_date": f"{YEAR}-06-04",
        "total_amount": "20000.00",
        "self_paid_amount": "12000.00",
        "invoice_numbers": ["API-J-1"],
        "bank_account": "6222021234567890123",
        "bank_name": "工商银行",
        "consent": "true",
    }
    for kind in ["application", "id_card", "bank_card", "invoice", "settlement", "discharge"]:
        data[f"doc_{kind}"] = pdf(f"{kind}.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        filed = app.post(CLAIMS, data, format="multipart")
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    # and the reviewer asks for another settlement sheet, which they add from the app
    aid.claim_return(by=reviewer1, claim=Claim.objects.get(pk=pk), documents=["settlement"], note="看不清")
    returned = app.get(f"{CLAIMS}{pk}/").json()
    assert returned["status"] == "returned" and returned["missing_documents"] == ["settlement"]
    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = app.post(f"{CLAIMS}{pk}/resubmit/", {"doc_settlement": pdf("s2.pdf")}, format="multipart")
    assert resubmitted.status_code == 200, resubmitted.content
    assert resubmitted.json()["missing_documents"] == [] and len(resubmitted.json()["documents"]) == 7
    # and after a rejection they appeal with a document
    aid.claim_reject(by=reviewer2, claim=Claim.objects.get(pk=pk), reason="材料不符")
    with django_capture_on_commit_callbacks(execute=True):
        appealed = app.post(
            f"{CLAIMS}{pk}/appeal/", {"reason": "请复核", "documents": [pdf("appeal.pdf")]}, format="multipart"
        )
    # then the claim is appealed with the document, which the app can download
    assert appealed.status_code == 200, appealed.content
    body = appealed.json()
    assert body["status"] == "appealed" and body["can_appeal"] is False
    appeal_docs = [d for d in body["documents"] if d["kind"] == ClaimDocument.Kind.APPEAL]
    assert len(appeal_docs) == 1
    download = app.get(appeal_docs[0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    history = [e["action"] for e in app.get(f"{CLAIMS}{pk}/history/").json()]
    assert history[-1] == "appealed" and "resubmitted" in history and "returned" in history
    # and the inbox told them of each step (welcome, return, rejection...), which they mark read
    inbox = app.get("/api/v1/notifications/?unread=1").json()
    assert len(inbox["results"]) >= 3
    assert app.post("/api/v1/notifications/read-all/").json()["marked"] == len(inbox["results"])
    assert app.get("/api/v1/notifications/?unread=1").json()["results"] == []


# --- authentication by SMS code ------------------------------------------------------------------------------


def test_a_worker_logs_in_by_sms_code_and_gets_the_apps_tokens(tree, worker, settings):
    # given a worker registered with their number
    _register("13912340001", "李工")
    # when they ask for a log-in code and send it back
    assert _ask_code("login", "13912340001").status_code == 202
    now = timezone.now()
    response = APIClient().post(LOGIN, {"mobile": "13912340001", "code": _last_code("13912340001")}, format="json")
    # then they get an access token of about an hour and a single-use refresh token, as with a password
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["refresh"] and _bearer(body["access"]).get("/api/v1/me/").status_code == 200
    expires = dt.datetime.fromisoformat(body["access_expires_at"])
    assert abs((expires - now).total_seconds() - settings.API_ACCESS_TOKEN_SECONDS) < 60
    assert APIClient().post("/api/v1/auth/token/refresh/", {"refresh": body["refresh"]}).status_code == 200


def test_a_wrong_or_expired_code_is_refused(tree):
    # given a code sent for registering
    _ask_code("register")
    code = _last_code()
    fields = {"mobile": MOBILE, "full_name": "王", "password": PASSWORD}
    # when a wrong code is sent, then it is refused on the code field
    wrong = APIClient().post(REGISTER, {**fields, "code": _wrong(code)}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["code"]
    # when the right code comes after it expired, then it is refused too
    with freeze_time(timezone.now() + dt.timedelta(minutes=11)):
        late = APIClient().post(REGISTER, {**fields, "code": code}, format="json")
    assert late.status_code == 400 and list(late.json()["errors"]) == ["code"]
    assert not ApiToken.objects.exists()


def test_a_staff_account_cannot_log_in_by_sms_code(tree, handler):
    # given a staff member whose verified number is known
    from union_portal import onetime

    handler.mobile = "13912340002"
    handler.save()
    onetime.mark_mobile_verified(handler)
    # when they log in with a right SMS code
    _ask_code("login", "13912340002")
    response = APIClient().post(LOGIN, {"mobile": "13912340002", "code": _last_code("13912340002")}, format="json")
    # then they are told to use password and two-factor code, and get no token
    assert response.status_code == 403 and response.json()["code"] == "staff_password_required"
    assert not ApiToken.objects.filter(user=handler).exists()
    assert AuditLog.objects.filter(action="auth.token", result="denied", object_id=str(handler.pk)).exists()


def test_a_password_reset_by_code_ends_every_token_of_the_account(tree):
    # given a worker's app signed in
    tokens = _register()
    # when they reset the password by SMS code
    assert _ask_code("password_reset").status_code == 202
    response = APIClient().post(
        RESET, {"mobile": MOBILE, "code": _last_code(), "password": "Neues-Passwort-26"}, format="json"
    )
    # then the old tokens end and the new password works
    assert response.status_code == 200, response.content
    assert _bearer(tokens["access"]).get("/api/v1/me/").status_code == 401
    assert APIClient().post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}).status_code == 401
    login = APIClient().post("/api/v1/auth/token/", {"username": MOBILE, "password": "Neues-Passwort-26"})
    assert login.status_code == 200


def test_a_logged_in_worker_changes_the_mobile_number_by_a_code_sent_to_the_new_one(tree):
    # given a worker's app
    app = _bearer(_register()["access"])
    # when they ask for a code for the new number and confirm it
    assert _ask_code("mobile_change", "13912340003", client=app).status_code == 202
    response = app.post(MOBILE_CHANGE, {"mobile": "13912340003", "code": _last_code("13912340003")}, format="json")
    # then the new number is the verified one and logs in by SMS
    assert response.status_code == 200 and response.json() == {"mobile_masked": "*******0003", "mobile_verified": True}
    _ask_code("login", "13912340003")
    login = APIClient().post(LOGIN, {"mobile": "13912340003", "code": _last_code("13912340003")}, format="json")
    assert login.status_code == 200
    # and a code for a mobile change needs a logged-in user
    assert _ask_code("mobile_change", "13912340004").status_code == 401


# --- no answer tells whether a number has an account ----------------------------------------------------------


@pytest.mark.parametrize("purpose", ["register", "login", "password_reset"])
def test_asking_for_a_code_answers_the_same_whether_or_not_the_number_has_an_account(tree, purpose):
    # given one number with an account and one without
    _register()
    free = "13912340009"
    # when each asks for a code
    taken_answer = _ask_code(purpose, MOBILE)
    free_answer = _ask_code(purpose, free)
    # then the answers are the same
    assert (taken_answer.status_code, taken_answer.json()) == (free_answer.status_code, free_answer.json())
    assert taken_answer.status_code == 202


def test_a_number_with_an_account_asking_to_register_is_told_only_by_sms(tree):
    # given a number with an account
    _register()
    LoggingSmsBackend.outbox.clear()
    # when someone asks to register it and guesses a code
    _ask_code("register")
    taken = APIClient().post(
        REGISTER, {"mobile": MOBILE, "code": "123456", "full_name": "冒名", "password": PASSWORD}, format="json"
    )
    _ask_code("register", "13912340009")
    free = APIClient().post(
        REGISTER,
        {"mobile": "13912340009", "code": _wrong(_last_code("13912340009")), "full_name": "冒名", "password": PASSWORD},
        format="json",
    )
    # then the answer is the one of a wrong code, and the phone's owner got a message without a code
    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    assert not re.search(r"\d{6}", _sent_to(MOBILE)[-1])


@pytest.mark.parametrize("url", [LOGIN, RESET])
def test_a_wrong_code_answers_the_same_whether_or_not_the_number_has_an_account(tree, url):
    # given one number with an account and one without, each sent a code
    _register()
    free = "13912340009"
    purpose = "login" if url == LOGIN else "password_reset"
    _ask_code(purpose, MOBILE)
    _ask_code(purpose, free)
    # when each sends a wrong code
    extra = {"password": "Neues-Passwort-26"} if url == RESET else {}
    answers = [APIClient().post(url, {"mobile": m, "code": "000001", **extra}, format="json") for m in (MOBILE, free)]
    # then the answers are the same
    assert [(a.status_code, a.json()) for a in answers] == [(answers[0].status_code, answers[0].json())] * 2
    assert answers[0].status_code == 400


def test_a_mobile_change_to_another_accounts_number_is_refused_only_after_the_code(tree):
    # given two accounts
    _register()
    app = _bearer(_register("13912340005", "赵工")["access"])
    # when one asks for a code for the other's number: the same answer as for a free number
    assert (
        _ask_code("mobile_change", MOBILE, client=app).json()
        == _ask_code("mobile_change", "13912340006", client=app).json()
    )
    # then only the right code (its holder owns the number) is told it belongs to another account
    response = app.post(MOBILE_CHANGE, {"mobile": MOBILE, "code": _last_code(MOBILE)}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["mobile"]


def test_the_sms_code_request_is_throttled(tree, monkeypatch):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    # monkeypatch removes the class attribute afterwards (a plain assignment would shadow other tests' rates)
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", dict(api_settings.DEFAULT_THROTTLE_RATES, sms_code="2/hour")
    )
    codes = [_ask_code("password_reset", f"1391234002{n}").status_code for n in range(3)]
    assert codes == [202, 202, 429]


# --- the card, the join applications, someone else's claim ---------------------------------------------------


def test_a_card_code_never_issued_or_tampered_with_says_nothing_of_the_member(tree, worker):
    from members.selectors import card_code

    member = Member.objects.get(user=worker)
    good = card_code(member)
    tampered = good[:-1] + ("a" if good[-1] != "a" else "b")
    response = APIClient().get(f"/api/v1/cards/{tampered}/")
    assert response.status_code == 404 and response.json()["code"] == "card_invalid"
    assert member.org.name not in response.content.decode() and member.name[0] not in response.content.decode()
    assert APIClient().get(f"/api/v1/cards/{good}/").json()["union"] == member.org.name


def test_a_worker_lists_only_their_own_join_applications(tree, worker):
    # given an application of someone else
    other = type(worker).objects.create(username="someone_else")
    members_services.join_submit(
        user=other,
        org=Member.objects.get(user=worker).org,
        name="别人",
        id_number=new_id_number(),
        mobile="13912340007",
        consent=True,
    )
    # when the worker lists theirs, then they see none
    app = _bearer(token_issue(user=worker).access)
    assert app.get("/api/v1/members/join/").json()["results"] == []


def test_a_worker_cannot_act_on_or_read_documents_of_someone_elses_claim(
    tree, worker, district_admin, handler, finance
):
    # given another member's claim
    other_user = type(worker).objects.create(username="other_worker")
    other = _covered_member(worker, district_admin, handler, finance, user=other_user)
    claim = aid.auto_review(file_claim(other_user, other).pk)
    document = claim.documents.first()
    app = _bearer(token_issue(user=worker).access)
    # when the demo worker tries every step on it, then each is a 404 and nothing changes
    answers = [
        app.get(f"{CLAIMS}{claim.pk}/documents/{document.pk}/").status_code,
        app.post(f"{CLAIMS}{claim.pk}/resubmit/", {"doc_settlement": pdf()}, format="multipart").status_code,
        app.post(f"{CLAIMS}{claim.pk}/appeal/", {"reason": "x"}, format="multipart").status_code,
        app.post(f"{CLAIMS}{claim.pk}/account/", {"account_holder": "x"}, format="json").status_code,
        app.post(f"{CLAIMS}{claim.pk}/confirm-account/").status_code,
    ]
    assert set(answers) <= {403, 404}
    assert Claim.objects.get(pk=claim.pk).status == claim.status


def test_after_a_failed_payment_the_member_answers_for_the_payee_account_over_the_api(
    tree, worker, district_admin, handler, finance, reviewer1, reviewer2
):
    # given the demo worker's claim whose payment failed
    member = _covered_member(worker, district_admin, handler, finance)
    claim = aid.auto_review(file_claim(worker, member).pk)
    aid.claim_approve(by=reviewer1, claim=claim)
    aid.claim_approve(by=reviewer2, claim=claim)
    aid.payment_mark_failed(by=finance, payment=aid.batch_create(by=finance).payments.get(), reason="账号错误")
    app = _bearer(token_issue(user=worker).access)
    # when the worker gives an account in someone else's name, then it is refused on that field
    refused = app.post(
        f"{CLAIMS}{claim.pk}/account/",
        {"account_holder": "王某某", "bank_account": "6222000011112222444", "bank_name": "农业银行"},
        format="json",
    )
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["account_holder"]
    # when a handler enters the account for them, then the app shows it awaits the member's confirmation
    aid.claim_correct_account(
        by=handler, claim=claim, bank_account="6222000011112222444", bank_name="农业银行", account_holder=member.name
    )
    assert app.get(f"{CLAIMS}{claim.pk}/").json()["account_awaits_confirmation"] is True
    # and the member confirms it from the app
    confirmed = app.post(f"{CLAIMS}{claim.pk}/confirm-account/")
    assert confirmed.status_code == 200 and confirmed.json()["account_awaits_confirmation"] is False
    assert AuditLog.objects.filter(action="mutual_aid.payee_account_confirmed", actor=worker).exists()


@pytest.mark.parametrize("count", [1, 3])
def test_the_join_application_list_takes_a_fixed_number_of_queries(tree, worker, django_assert_num_queries, count):
    # given a worker's app and `count` applications of theirs (each for a different person's ID number)
    from union_portal.models import OrgUnit

    org = OrgUnit.objects.get(code="KQ-QX-001")
    for n in range(count):
        members_services.join_submit(
            user=worker, org=org, name=f"申请{n}", id_number=new_id_number(), mobile=f"1391234010{n}", consent=True
        )
    app = _bearer(token_issue(user=worker).access)
    # when it lists them, then: the token with its user, the count, and the page with the unions joined
    with django_assert_num_queries(3):
        body = app.get("/api/v1/members/join/").json()
    assert len(body["results"]) == count
