"""Every operation of the OpenAPI schema, called as every kind of user an app or an integration has, with
realistic parameters and bodies (valid and invalid): each answer (status, Content-Type, headers, body) must be
one the schema describes, checked with openapi-core against the schema /api/schema/ serves (OpenAPI 3.1). Empty
lists, ``null`` answers and error answers are checked like the others.

An operation that is in the schema but has no entry in CALLS fails ``test_every_operation_is_exercised``: a new
endpoint is checked from the day it appears, or the build breaks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openapi_core.exceptions import OpenAPIError

from tests.api.schema_check import api_schema, check_response, operations
from tests.conftest import clear_cache
from tests.routes import _sample_object, seed

# The kinds of caller (a demo username; None: anonymous; "non_member": a logged-in account that is neither a
# member nor staff, made by the test).
ROLES = {
    "anonymous": None,
    "worker": "worker",
    "non_member": "non_member",
    "handler": "handler",
    "township": "huashe_staff",
    "district": "district_admin",
    "finance": "finance",
    "judge": "judge1",
}


@dataclass
class Call:
    note: str
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    multipart: dict | None = None
    raw: bytes | None = None  # a body sent as is (application/json)


@dataclass
class Ctx:
    role: str
    user: Any

    def obj(self, label: str):
        return _sample_object(label, self.user)

    def pk(self, label: str) -> int:
        obj = self.obj(label)
        return obj.pk if obj is not None else 999999


def _token_calls(ctx: Ctx) -> list[Call]:
    username = ctx.user.username if ctx.user else "nobody"
    return [
        Call("password", json={"username": username, "password": "Keqiao@2026!"}),
        Call("wrong password", json={"username": username, "password": "not-it"}),
        Call("no body", json={}),
        Call("malformed JSON", raw=b'{"username": '),
    ]


def _refresh_calls(ctx: Ctx) -> list[Call]:
    from union_portal.apitokens import token_issue

    calls = [Call("unknown token", json={"refresh": "x" * 40}), Call("no body", json={})]
    if ctx.user is not None:
        refresh = token_issue(user=ctx.user).refresh
        if refresh:
            calls.append(Call("valid token", json={"refresh": refresh}))
    return calls


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _claim_body(ctx: Ctx) -> dict:
    today = timezone.localdate()
    return {
        "benefit": "inpatient",
        "hospital": "柯桥区人民医院",
        "admission_date": (today - timedelta(days=12)).isoformat(),
        "discharge_date": (today - timedelta(days=5)).isoformat(),
        "total_amount": "12000.00",
        "self_paid_amount": "5000.00",
        "excluded_amount": "300.00",
        "invoice_numbers": [f"CONF{ctx.role[:4].upper()}0001"],
        "consent": "true",
        "doc_invoice": SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    }


def _appealable_claim(ctx: Ctx) -> int:
    """A claim of the user's that may be appealed now (a rejected one), else the sample claim."""
    from mutual_aid.models import Claim
    from mutual_aid.services import can_appeal
    from union_portal.scoping import scope

    if ctx.user is not None:
        for claim in scope(Claim.objects.filter(status=Claim.Status.REJECTED), ctx.user):
            if can_appeal(claim):
                return claim.pk
    return ctx.pk("mutual_aid.Claim")


def _a_claim_the_worker_may_appeal() -> None:
    """The demo's rejected claims are past their appeal deadline: one of the worker's claims was rejected today
    (set directly: the test needs the state, not the review that leads to it)."""
    from mutual_aid.models import Claim

    claim = Claim.objects.filter(member__user__username="worker").order_by("-pk").first()
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.REJECTED, decided_at=timezone.now(), appealed_at=None, rejection_reason="材料不全"
    )


def _the_worker_may_apply_for_assistance() -> None:
    """The demo worker's household has an open hardship file (nobody may be in two open files): it is closed, so
    the worker's create, document and submit calls can succeed (set directly, as above)."""
    from assistance.models import FilePerson, HardshipFile

    files = HardshipFile.objects.filter(member__user__username="worker", status="open")
    FilePerson.objects.filter(file__in=files).update(is_open=False)
    files.update(status="closed", closed_on=timezone.localdate(), close_reason="recovered")


def _assistance_application_body(ctx: Ctx) -> dict:
    """A whole application of the user's household: the worker and a spouse, a year's wages, a serious illness."""
    from members.models import Member
    from tests.factories.core import new_id_number

    member = Member.objects.filter(user=ctx.user).first() if ctx.user is not None else None
    own_id = member.id_number if member is not None else new_id_number()
    return {
        "causes": ["serious_illness"],
        "household": [
            {"relation": "self", "name": getattr(member, "name", "王小工"), "id_number": own_id, "age": 38},
            {"relation": "spouse", "name": "王大明", "id_number": new_id_number(), "age": 40, "health": "serious"},
        ],
        "incomes": [{"kind": "wages", "amount": "24000.00"}],
    }


def _own_draft_application(ctx: Ctx) -> int:
    """The user's own draft hardship application (made by the create call), else the sample application."""
    from assistance.models import Application

    if ctx.user is not None:
        mine = Application.objects.filter(member__user=ctx.user, status="draft").order_by("-pk").first()
        if mine is not None:
            return mine.pk
    return ctx.pk("assistance.Application")


def _worker_claims_in_each_state() -> None:
    """Three more of the worker's claims, each where one of the worker's steps applies (set directly, as above):
    waiting for an invoice, a failed payment, and a payee account a handler entered that awaits the worker."""
    from django.contrib.auth import get_user_model

    from mutual_aid.models import Claim

    claims = list(Claim.objects.filter(member__user__username="worker").order_by("pk"))[:3]
    assert len(claims) == 3, "the demo worker has too few claims for the conformance test"
    returned, failed, changed = claims
    Claim.objects.filter(pk=returned.pk).update(status=Claim.Status.RETURNED, missing_documents=["invoice"])
    Claim.objects.filter(pk=failed.pk).update(status=Claim.Status.PAYMENT_FAILED)
    handler = get_user_model().objects.get(username="handler")
    Claim.objects.filter(pk=changed.pk).update(status=Claim.Status.APPROVED, payee_change_by=handler)


def _own_claim(ctx: Ctx, status: str, **filters) -> int:
    """The user's own claim in ``status`` (see above), else the sample claim."""
    from mutual_aid.models import Claim

    if ctx.user is not None:
        mine = Claim.objects.filter(member__user=ctx.user, status=status, **filters).order_by("pk").first()
        if mine is not None:
            return mine.pk
    return ctx.pk("mutual_aid.Claim")


def _new_account_call(ctx: Ctx) -> Call:
    from mutual_aid.models import Claim

    pk = _own_claim(ctx, "payment_failed")
    holder = Claim.objects.filter(pk=pk).values_list("member__name", flat=True).first() or "王小工"
    body = {"account_holder": holder, "bank_account": "6222020000000000", "bank_name": "工商银行"}
    return Call("after a failed payment", path={"id": pk}, json=body)


def _join_body(ctx: Ctx) -> dict:
    from union_portal.identity import make_id_number

    seq = 100 + list(ROLES).index(ctx.role)  # one applicant per role: one pending application per person
    return {
        "union_code": "KQ-QX-001",
        "name": "钱多多",
        "id_number": make_id_number("330621", date(1990, 1, 1), seq),
        "mobile": f"138000{seq:05d}",
        "job": "挡车工",
        "is_frontline": True,
        "is_migrant": False,
        "consent": True,
    }


def _survey_body(ctx: Ctx) -> dict:
    survey = ctx.obj("union_portal.Survey")
    questions = list(survey.questions.values_list("pk", "kind")) if survey else []
    return {"ratings": {str(pk): 4 for pk, kind in questions if kind == "rating"}, "comments": {}}


def _open_assignment(ctx: Ctx):
    """The user's assignment in a period open for scoring, else the sample assignment."""
    from competitions.models import JudgeAssignment, Period

    mine = JudgeAssignment.objects.filter(judge=ctx.user, period__status=Period.Status.OPEN).order_by("pk")
    return (mine.first() if ctx.user is not None else None) or ctx.obj("competitions.JudgeAssignment")


def _scores_body(ctx: Ctx) -> dict:
    assignment = _open_assignment(ctx)
    criteria = assignment.period.campaign.criteria.all() if assignment else []
    return {"scores": {str(c.pk): str(min(c.max_score, 8)) for c in criteria}}


def _consent_calls(ctx: Ctx) -> list[Call]:
    """Consents need a bound account (bound here, through the service) and a template of the portal."""
    from union_portal import channels

    if ctx.user is not None:
        channels.wechat_bind(user=ctx.user, code=f"conformance-{ctx.role}")
    template_id = next(iter(channels.configured_template_ids().values()), "none")
    return [
        Call("a portal template", json={"template_ids": [template_id]}),
        Call("unknown template", json={"template_ids": ["no-such-template"]}),
        Call("no list", json={}),
    ]


def _role_mobile(ctx: Ctx, n: int) -> str:
    """A mobile number of this role's own (no account has it), so that the calls of one role do not meet
    another's codes."""
    return f"1370{list(ROLES).index(ctx.role):02d}{n:05d}"


def _code(purpose: str, mobile: str) -> str:
    from union_portal.onetime import code_for_seed

    return code_for_seed(purpose=purpose, mobile=mobile)


def _sms_code_calls(ctx: Ctx) -> list[Call]:
    return [
        Call("register", json={"purpose": "register", "mobile": _role_mobile(ctx, 1)}),
        Call("mobile change", json={"purpose": "mobile_change", "mobile": _role_mobile(ctx, 2)}),
        Call("not a number", json={"purpose": "login", "mobile": "12"}),
        Call("unknown purpose", json={"purpose": "lottery", "mobile": _role_mobile(ctx, 1)}),
    ]


def _register_calls(ctx: Ctx) -> list[Call]:
    from union_portal.selfservice import REGISTER

    mobile = _role_mobile(ctx, 3)
    return [
        Call("wrong code", json={"mobile": mobile, "code": "000000", "full_name": "王小工", "password": "Qz#81kLm-2x"}),
        Call(
            "right code",
            json={"mobile": mobile, "code": _code(REGISTER, mobile), "full_name": "王小工", "password": "Qz#81kLm-2x"},
        ),
        Call("no body", json={}),
    ]


def _account_mobile(ctx: Ctx) -> str:
    """The verified mobile of the role's account, given one here if it has none."""
    from union_portal import selfservice

    mobile = _role_mobile(ctx, 4)
    if ctx.user is not None and not ctx.user.mobile_hash:
        selfservice.mobile_set_verified(user=ctx.user, mobile=mobile, by=None)
    return mobile


def _sms_login_calls(ctx: Ctx) -> list[Call]:
    from union_portal.selfservice import LOGIN

    mobile = _account_mobile(ctx) if ctx.user is not None else _role_mobile(ctx, 4)
    return [
        Call("right code", json={"mobile": mobile, "code": _code(LOGIN, mobile)}),
        Call("wrong code", json={"mobile": mobile, "code": "000000"}),
    ]


def _password_reset_calls(ctx: Ctx) -> list[Call]:
    from union_portal.selfservice import PASSWORD_RESET

    mobile = _role_mobile(ctx, 5)
    calls = [Call("wrong code", json={"mobile": mobile, "code": "000000", "password": "Qz#81kLm-2x"})]
    if ctx.role == "non_member":  # a password reset ends the account's tokens: only for the account of its own
        mobile = _account_mobile(ctx)
        code = _code(PASSWORD_RESET, mobile)
        calls.append(Call("right code", json={"mobile": mobile, "code": code, "password": "Keqiao@2026!"}))
    return calls


def _mobile_change_calls(ctx: Ctx) -> list[Call]:
    from union_portal.selfservice import MOBILE_CHANGE

    mobile = _role_mobile(ctx, 6)
    return [
        Call("right code", json={"mobile": mobile, "code": _code(MOBILE_CHANGE, mobile)}),
        Call("wrong code", json={"mobile": _role_mobile(ctx, 7), "code": "000000"}),
    ]


def _card_calls(ctx: Ctx) -> list[Call]:
    from tests.routes import card_code

    member = ctx.obj("members.Member")
    calls = [Call("tampered", path={"code": "zz0000000000"})]
    if member is not None:
        calls.insert(0, Call("a card", path={"code": card_code(member)}))
    return calls


def _claim_document(ctx: Ctx) -> dict:
    from mutual_aid.models import ClaimDocument

    claim_pk = ctx.pk("mutual_aid.Claim")
    doc = ClaimDocument.objects.filter(claim_id=claim_pk).order_by("pk").first()
    return {"id": claim_pk, "doc_pk": doc.pk if doc else 999999}


# operationId -> the calls made for a role (path parameters, query, body).
CALLS: dict[str, Callable[[Ctx], list[Call]]] = {
    "assistance_files_list": lambda ctx: [Call("all"), Call("filtered", query={"category": "deep", "due": "true"})],
    "auth_token_create": _token_calls,
    "auth_token_refresh_create": _refresh_calls,
    "auth_token_revoke_create": lambda ctx: [Call("log out")],
    "awards_honours_list": lambda ctx: [
        Call("latest year"),
        Call("a year", query={"year": str(timezone.localdate().year - 1)}),
        Call("a year without honours", query={"year": "1990"}),
    ],
    "awards_nominations_list": lambda ctx: [
        Call("all"),
        Call("a round and stage", query={"round": str(ctx.pk("awards.Round")), "status": "submitted"}),
        Call("bad page", query={"page": "x"}),
    ],
    "awards_nominations_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("awards.Nomination")}),
        Call("unknown", path={"id": 999999}),
    ],
    "awards_rounds_list": lambda ctx: [Call("all"), Call("past the last page", query={"page": "99"})],
    "awards_rounds_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("awards.Round")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_contracts_list": lambda ctx: [
        Call("all"),
        Call("in force, wage contracts", query={"status": "effective", "kind": "wage"}),
        Call("bad page", query={"page": "x"}),
    ],
    "labour_contracts_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.CollectiveContract")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_bargaining_rounds_list": lambda ctx: [Call("all"), Call("open only", query={"open": "true"})],
    "labour_bargaining_rounds_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.BargainingRound")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_congress_sessions_list": lambda ctx: [
        Call("all"),
        Call("a year", query={"year": str(timezone.localdate().year)}),
        Call("a year out of range", query={"year": "50000"}),
    ],
    "labour_congress_sessions_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.CongressSession")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_liaison_assignments_list": lambda ctx: [Call("all"), Call("mine", query={"mine": "true"})],
    "labour_liaison_assignments_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.LiaisonAssignment")}),
        Call("unknown", path={"id": 999999}),
    ],
    "competitions_assignments_list": lambda ctx: [Call("all"), Call("small pages", query={"page_size": "1"})],
    "competitions_assignments_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("competitions.JudgeAssignment")}),
        Call("unknown", path={"id": 999999}),
    ],
    "competitions_assignments_scores_create": lambda ctx: [
        Call("scores", path={"id": getattr(_open_assignment(ctx), "pk", 999999)}, json=_scores_body(ctx)),
        Call("no scores", path={"id": ctx.pk("competitions.JudgeAssignment")}, json={"scores": "many"}),
    ],
    "competitions_campaigns_leaderboard_list": lambda ctx: [
        Call("latest period", path={"id": ctx.pk("competitions.Campaign")}),
        Call("unknown period", path={"id": ctx.pk("competitions.Campaign")}, query={"period": "999999"}),
        Call("unknown campaign", path={"id": 999999}),
    ],
    "dashboard_figures_list": lambda ctx: [
        Call("scope top"),
        Call("a metric", query={"metric": "members.total", "period": str(timezone.localdate().year)}),
        Call("bad node", query={"node": "x"}),
    ],
    "dashboard_metrics_list": lambda ctx: [Call("all")],
    "me_retrieve": lambda ctx: [Call("me")],
    "members_list": lambda ctx: [
        Call("all"),
        Call("search", query={"search": "王", "status": "active"}),
        Call("unit outside", query={"unit": "NO-SUCH-UNIT"}),
        Call("bad page", query={"page": "0"}),
    ],
    "members_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("members.Member")}),
        Call("unknown", path={"id": 999999}),
    ],
    "members_join_create": lambda ctx: [
        Call("application", json=_join_body(ctx)),
        Call("unknown union", json={"union_code": "NOPE", "name": "钱多多", "id_number": "1", "mobile": "1"}),
        Call("formula", json={"union_code": "KQ-QX-001", "name": "=1+1"}),
    ],
    "mutual_aid_claims_list": lambda ctx: [Call("all"), Call("filtered", query={"status": "submitted"})],
    "mutual_aid_estimate_create": lambda ctx: [
        Call("inpatient", json={"benefit": "inpatient", "base": "20000.00"}),
        Call("no amount", json={"benefit": "inpatient"}),
        Call("unknown benefit", json={"benefit": "lottery"}),
    ],
    "labour_cases_list": lambda ctx: [Call("all"), Call("overdue", query={"overdue": "true", "status": "new"})],
    "labour_cases_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.RightsCase")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_my_cases_list": lambda ctx: [Call("all")],
    "labour_my_cases_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("labour.RightsCase")}),
        Call("unknown", path={"id": 999999}),
    ],
    "labour_my_cases_create": lambda ctx: [
        Call("typed employer", json={"case_type": "unpaid_wages", "employer_name": "某工地", "facts": "拖欠工资"}),
        Call("no facts", json={"case_type": "unpaid_wages", "employer_name": "某工地", "facts": ""}),
    ],
    "mutual_aid_my_claims_list": lambda ctx: [Call("all")],
    "mutual_aid_my_claims_create": lambda ctx: [
        Call("with a document", multipart=_claim_body(ctx)),
        Call("no consent", json={"benefit": "inpatient", "hospital": "x"}),
    ],
    "mutual_aid_my_claims_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("mutual_aid.Claim")}),
        Call("unknown", path={"id": 999999}),
    ],
    "mutual_aid_my_claims_appeal_create": lambda ctx: [
        Call("appeal", path={"id": _appealable_claim(ctx)}, json={"reason": "住院天数算错了，请复核。"}),
        Call("no reason", path={"id": ctx.pk("mutual_aid.Claim")}, json={}),
    ],
    "mutual_aid_my_claims_history_list": lambda ctx: [Call("sample", path={"id": ctx.pk("mutual_aid.Claim")})],
    "assistance_applications_list": lambda ctx: [Call("all"), Call("filtered", query={"status": "submitted"})],
    "assistance_my_applications_list": lambda ctx: [Call("all")],
    "assistance_my_applications_create": lambda ctx: [
        Call("whole household", json=_assistance_application_body(ctx)),
        Call("no household", json={"causes": ["disability"], "incomes": []}),
        Call("negative income", json={"causes": [], "household": [], "incomes": [{"kind": "wages", "amount": "-1"}]}),
    ],
    "assistance_my_applications_retrieve": lambda ctx: [
        Call("sample", path={"id": ctx.pk("assistance.Application")}),
        Call("unknown", path={"id": 999999}),
    ],
    "assistance_my_applications_documents_create": lambda ctx: [
        Call(
            "the signed authorisation",
            path={"id": _own_draft_application(ctx)},
            multipart={
                "kind": "authorisation",
                "file": SimpleUploadedFile("授权书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
            },
        ),
        Call("no file", path={"id": ctx.pk("assistance.Application")}, json={"kind": "authorisation"}),
    ],
    "assistance_my_applications_submit_create": lambda ctx: [
        Call(
            "both consents",
            path={"id": _own_draft_application(ctx)},
            json={"consent_sensitive": True, "consent_check": True},
        ),
        Call("no consent", path={"id": ctx.pk("assistance.Application")}, json={"consent_sensitive": False}),
    ],
    "assistance_my_applications_history_list": lambda ctx: [
        Call("sample", path={"id": ctx.pk("assistance.Application")})
    ],
    "auth_sms_code_create": _sms_code_calls,
    "auth_sms_register_create": _register_calls,
    "auth_sms_login_create": _sms_login_calls,
    "auth_password_reset_create": _password_reset_calls,
    "auth_mobile_create": _mobile_change_calls,
    "cards_retrieve": _card_calls,
    "members_join_list": lambda ctx: [Call("mine"), Call("bad page", query={"page": "x"})],
    "mutual_aid_my_claims_account_create": lambda ctx: [
        _new_account_call(ctx),
        Call(
            "not now",
            path={"id": ctx.pk("mutual_aid.Claim")},
            json={"bank_account": "6222020000000000", "bank_name": "工商银行"},
        ),
        Call("no body", path={"id": ctx.pk("mutual_aid.Claim")}, json={}),
        Call("unknown", path={"id": 999999}, json={"bank_account": "6222020000000000", "bank_name": "工商银行"}),
    ],
    "mutual_aid_my_claims_confirm_account_create": lambda ctx: [
        Call("entered by a handler", path={"id": _own_claim(ctx, "approved", payee_change_by__isnull=False)}),
        Call("not now", path={"id": ctx.pk("mutual_aid.Claim")}),
        Call("unknown", path={"id": 999999}),
    ],
    "mutual_aid_my_claims_documents_retrieve": lambda ctx: [
        Call("sample", path=_claim_document(ctx)),
        Call("unknown", path={"id": ctx.pk("mutual_aid.Claim"), "doc_pk": 999999}),
    ],
    "mutual_aid_my_claims_resubmit_create": lambda ctx: [
        Call("the invoice asked for", path={"id": _own_claim(ctx, "returned")}, multipart={"doc_invoice": _pdf()}),
        Call("not now", path={"id": ctx.pk("mutual_aid.Claim")}, multipart={"doc_invoice": _pdf()}),
        Call("unknown", path={"id": 999999}, multipart={"doc_invoice": _pdf()}),
    ],
    "notifications_channels_retrieve": lambda ctx: [Call("mine")],
    "notifications_channels_update": lambda ctx: [
        Call("both on", json={"sms": True, "wechat": True}),
        Call("not a choice", json={"sms": "maybe"}),
    ],
    "wechat_consents_create": _consent_calls,
    "wechat_create": lambda ctx: [
        Call("bind", json={"code": f"conformance-{ctx.role}"}),
        Call("no code", json={}),
    ],
    "wechat_destroy": lambda ctx: [Call("unbind")],
    "wechat_retrieve": lambda ctx: [Call("status")],
    "notifications_list": lambda ctx: [Call("all"), Call("unread", query={"unread": "true"})],
    "notifications_read_create": lambda ctx: [
        Call("sample", path={"id": ctx.pk("union_portal.Notification")}),
        Call("unknown", path={"id": 999999}),
    ],
    "notifications_read_all_create": lambda ctx: [Call("all")],
    "surveys_list": lambda ctx: [Call("open")],
    "surveys_answers_create": lambda ctx: [
        Call("answers", path={"id": ctx.pk("union_portal.Survey")}, json=_survey_body(ctx)),
        Call("bad rating", path={"id": ctx.pk("union_portal.Survey")}, json={"ratings": {"1": 9}}),
    ],
}


def test_every_operation_is_exercised():
    """Each operation of the schema has its calls here; no entry names an operation the schema lacks."""
    in_schema = {operation_id for operation_id, _, _ in operations()}
    assert sorted(in_schema - set(CALLS)) == [], "operations in the schema that no test calls"
    assert sorted(set(CALLS) - in_schema) == [], "calls of operations the schema no longer has"


def test_schema_is_openapi_31_with_one_error_shape():
    """OpenAPI 3.1 (no 3.0 `nullable` left), and every operation documents its error answers with the Error
    components."""
    schema = api_schema()
    assert schema["openapi"] == "3.1.0"
    assert '"nullable"' not in json.dumps(schema)
    for operation_id, method, path in operations():
        responses = schema["paths"][path][method]["responses"]
        errors = {code for code in responses if code.startswith("4")}
        assert errors, operation_id
        for code in errors:
            body = json.dumps(responses[code]["content"]["application/json"]["schema"])
            assert "#/components/schemas/Error" in body, (operation_id, code)


def _request(client: Client, method: str, url: str, call: Call, token: str | None):
    """The answer, a file's streamed answer read into an ordinary one (its body is checked too)."""
    response = _send(client, method, url, call, token)
    if getattr(response, "streaming", False):
        from django.http import HttpResponse

        body = b"".join(response.streaming_content)
        response = HttpResponse(body, status=response.status_code, headers=dict(response.headers.items()))
    return response


def _send(client: Client, method: str, url: str, call: Call, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, call.query, **headers)
    if method == "delete":
        return client.delete(url, **headers)
    if method == "put":
        return client.put(url, json.dumps(call.json or {}), content_type="application/json", **headers)
    if call.multipart is not None:
        return client.post(url, call.multipart, **headers)
    if call.raw is not None:
        return client.post(url, call.raw, content_type="application/json", **headers)
    return client.post(url, json.dumps(call.json or {}), content_type="application/json", **headers)


@pytest.mark.django_db
def test_every_operation_answers_as_the_schema_says_for_every_role(django_user_model, settings):
    # given: the demo data, a logged-in account that is no member, a WeChat template, and a token per caller
    settings.WECHAT_TEMPLATES = {**settings.WECHAT_TEMPLATES, "claim": {"id": "tmpl-claim", "fields": {}}}
    from union_portal.apitokens import token_issue

    seed()
    _a_claim_the_worker_may_appeal()
    _the_worker_may_apply_for_assistance()
    _worker_claims_in_each_state()
    users = {"non_member": django_user_model.objects.create_user("non_member", password="Keqiao@2026!")}
    for username in ROLES.values():
        if username and username not in users:
            users[username] = django_user_model.objects.get(username=username)

    tokens: dict[int, str] = {}
    failures: list[str] = []
    seen: dict[str, set[int]] = {}
    bodies: dict[str, list[bytes]] = {}  # the last answers of each operation, for the message of a failure
    member_null = False
    empty_list = False
    for operation_id, method, template in sorted(operations()):
        for role, username in ROLES.items():
            user = users[username] if username else None
            ctx = Ctx(role, user)
            for call in CALLS[operation_id](ctx):
                clear_cache()  # throttles: each call on its own
                token = None
                if user is not None and operation_id == "auth_token_revoke_create":
                    token = token_issue(user=user).access  # its own token: the call ends it
                elif user is not None:
                    if user.pk not in tokens:
                        tokens[user.pk] = token_issue(user=user).access
                    token = tokens[user.pk]
                path = template
                for name, value in call.path.items():
                    path = path.replace("{" + name + "}", str(value))
                url = path
                # when
                response = _request(Client(), method, url, call, token)
                if user is not None and operation_id == "auth_password_reset_create" and response.status_code == 200:
                    tokens.pop(user.pk, None)  # a password reset ends the account's tokens: a new one from here
                # then
                seen.setdefault(operation_id, set()).add(response.status_code)
                if user is not None and response.status_code >= 400:
                    bodies.setdefault(operation_id, []).append(f"{role}: ".encode() + response.content)
                where = f"{method.upper()} {path} {call.note} as {role}: {response.status_code}"
                try:
                    check_response(method=method, template=template, path=path, response=response)
                except OpenAPIError as error:
                    cause = error.__cause__ or error
                    detail = "; ".join(e.message for e in getattr(cause, "schema_errors", None) or [])[:600]
                    failures.append(f"{where}: {error!r} {cause!r} {detail} {response.content[:300]!r}")
                if response.status_code >= 500:
                    failures.append(f"{where}: server error")
                if response.headers.get("Content-Type", "").startswith("application/json") and response.content:
                    body = response.json()
                    if operation_id == "me_retrieve" and isinstance(body, dict) and body.get("member", 0) is None:
                        member_null = True
                    if isinstance(body, dict) and body.get("results") == [] or body == []:
                        empty_list = True

    assert failures == [], "\n".join(failures)
    # The sweep saw what it is meant to: every operation answered at least once with success, and null answers,
    # empty lists and each kind of error answer were among those checked.
    never_ok = {op: sorted(codes) for op, codes in sorted(seen.items()) if not any(200 <= c < 300 for c in codes)}
    assert never_ok == {}, [
        (op, codes, [b.decode()[:300] for b in bodies.get(op, [])]) for op, codes in never_ok.items()
    ]
    assert member_null and empty_list
    statuses = set().union(*seen.values())
    assert {200, 201, 204, 400, 401, 403, 404} <= statuses, sorted(statuses)
