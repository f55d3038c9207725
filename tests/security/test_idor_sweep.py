"""IDOR sweep (issue 10): every URL pattern of the project, requested with another unit's objects.

The sweep walks ``django.urls.get_resolver()`` recursively (every app, the API under /api/v1/ and the
Django admin), fills each pattern's path arguments with the primary keys (tokens, slugs) of objects that
belong to ANOTHER unit than the requester, and requests it with GET and with an empty POST as

- staff of a sibling township (huashe_staff vs 齐贤 objects; qixian_staff vs 华舍 objects where 齐贤 has none),
- a grassroots handler (handler vs objects outside his union; handler_qixian likewise as the fallback),
- the demo worker (other workers' records),
- an anonymous user.

It fails on a 200 whose body shows identifying data of the foreign object (name, member number, masked ID,
claim number, ...), on any 2xx to a POST naming a foreign object, and on any audit row (= a state change or
a reveal) written by such a request. Public pages by design are listed in PUBLIC with the reason and are
checked to show no private field. A pattern that is neither filled (ROUTE_OBJECTS), public, nor listed in
SKIPPED with a reason fails ``test_every_url_pattern_is_covered``: new URLs are swept automatically or break
the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import reverse

from tests.routes import Route, all_routes, card_code, route_kwargs
from tests.routes import add_objects_the_demo_lacks as _add_objects_the_demo_lacks
from tests.routes import admin_url as _admin_url
from tests.routes import district_kwargs as _district_kwargs
from tests.routes import route_url as _url
from tests.routes import seed as _seed


def _kwargs(route: Route, obj) -> dict:
    return route_kwargs(route, obj, EXTRA)


# Which model fills the main path argument of each pattern (by namespaced URL name). Other arguments are
# filled by EXTRA from that object.
ROUTE_OBJECTS: dict[str, str] = {
    "staff_detail": "union_portal.User",
    "staff_withdraw": "union_portal.User",
    "staff_action": "union_portal.User",
    "members:org_detail": "union_portal.OrgUnit",
    "members:org_create": "union_portal.OrgUnit",
    "members:org_edit": "union_portal.OrgUnit",
    "members:org_move": "union_portal.OrgUnit",
    "members:org_join_poster": "union_portal.OrgUnit",
    "members:member_detail": "members.Member",
    "labour:my_case": "labour.RightsCase",
    "labour:case_rate": "labour.RightsCase",
    "labour:case_detail": "labour.RightsCase",
    "labour:case_pdf": "labour.RightsCase",
    "labour:case_document": "labour.RightsCase",
    "labour:case_action": "labour.RightsCase",
    "labour-my-case-detail": "labour.RightsCase",
    "labour-case-detail": "labour.RightsCase",
    "members:member_edit": "members.Member",
    "members:member_status": "members.Member",
    "members:member_transfer": "members.Member",
    "members:member_reveal": "members.Member",
    "members:member_invite": "members.Member",
    "members:mobile_recovery_detail": "members.MobileRecoveryRequest",
    "members:transfer_detail": "members.MemberTransfer",
    "members:transfer_decide": "members.MemberTransfer",
    "members:join_detail": "members.JoinApplication",
    "members:enterprise_edit": "members.Enterprise",
    "members:founding_detail": "members.FoundingApplication",
    "members:founding_file": "members.FoundingApplication",
    "members:import_detail": "members.MemberImport",
    "members:import_commit": "members.MemberImport",
    "members:export_job": "members.MemberExport",
    "members:export_job_download": "members.MemberExport",
    "members:import_refused": "members.MemberImport",
    "funds:enterprise_detail": "members.Enterprise",
    "funds:collection_detail": "funds.FundsCollection",
    "funds:collection_reverse": "funds.FundsCollection",
    "funds:import_confirm": "funds.FundsImportBatch",
    "funds:reserve_hand_over": "members.Enterprise",
    "funds:account_detail": "funds.LedgerAccount",
    "mutual_aid:claim_detail": "mutual_aid.Claim",
    "mutual_aid:claim_letter": "mutual_aid.Claim",
    "mutual_aid:claim_document": "mutual_aid.Claim",
    "mutual_aid:claim_action": "mutual_aid.Claim",
    "mutual_aid:enrolment_confirm": "mutual_aid.Enrolment",
    "mutual_aid:enrolment_detail": "mutual_aid.Enrolment",
    "mutual_aid:enrolment_add": "mutual_aid.Enrolment",
    "mutual_aid:enrolment_remove": "mutual_aid.Enrolment",
    "mutual_aid:addition_confirm": "mutual_aid.EnrolmentAddition",
    "mutual_aid:batch_detail": "union_portal.PaymentBatch",
    "mutual_aid:batch_export": "union_portal.PaymentBatch",
    "mutual_aid:batch_return_file": "union_portal.PaymentBatch",
    "mutual_aid:batch_return_confirm": "union_portal.PaymentBatch",
    "mutual_aid:batch_layout": "union_portal.PaymentBatch",
    "mutual_aid:payment_decide": "union_portal.Payment",
    "competitions:accident_record": "competitions.Team",
    "competitions:report_detail": "competitions.SafetyReport",
    "competitions:report_photo": "competitions.SafetyReport",
    "competitions:judge_profile_edit": "union_portal.User",
    "competitions:score_form": "competitions.JudgeAssignment",
    "competitions:judge_unassign": "competitions.JudgeAssignment",
    # labour: workers' congresses and cadres' liaison (branch lb-congress)
    "labour:congress_detail": "labour.CongressSession",
    "labour:liaison_assignment": "labour.LiaisonAssignment",
    "labour:liaison_visit": "labour.LiaisonAssignment",
    "labour:liaison_end": "labour.LiaisonAssignment",
    "labour:liaison_issue_case": "labour.LiaisonIssue",
    "labour:liaison_issue_round": "labour.LiaisonIssue",
    "labour:liaison_issue_close": "labour.LiaisonIssue",
    "assistance:application_detail": "assistance.Application",
    "assistance:application_edit": "assistance.Application",
    "assistance:application_submit": "assistance.Application",
    "assistance:application_reveal": "assistance.Application",
    "assistance:application_visit": "assistance.Application",
    "assistance:application_category": "assistance.Application",
    "assistance:application_notice_finish": "assistance.Application",
    "assistance:application_review": "assistance.Application",
    "assistance:document": "assistance.ApplicationDocument",
    "awards:nomination_detail": "awards.Nomination",
    "awards:nomination_edit": "awards.Nomination",
    "awards:nomination_submit": "awards.Nomination",
    "awards:nomination_review": "awards.Nomination",
    "awards:nomination_withdraw": "awards.Nomination",
    "awards:nomination_file": "awards.Nomination",
    "awards:nomination_certificate": "awards.Nomination",
    "labour:rating_detail": "labour.RatingApplication",
    "labour:rating_edit": "labour.RatingApplication",
    "labour:rating_evidence_add": "labour.RatingApplication",
    "labour:rating_evidence": "labour.RatingApplication",
    "labour:rating_submit": "labour.RatingApplication",
    "labour:rating_review": "labour.RatingApplication",
    "labour:rating_notice": "labour.RatingApplication",
    "labour:rating_name": "labour.RatingApplication",
    "labour:rating_not_name": "labour.RatingApplication",
    "labour:rating_withdraw": "labour.RatingApplication",
    "labour:contract_detail": "labour.CollectiveContract",
    "labour:contract_vote": "labour.CollectiveContract",
    "labour:contract_sign": "labour.CollectiveContract",
    "labour:contract_file": "labour.CollectiveContract",
    "labour:contract_answer": "labour.CollectiveContract",
    "labour:contract_publish": "labour.CollectiveContract",
    "labour:round_detail": "labour.BargainingRound",
    "labour:round_reply": "labour.BargainingRound",
    "labour:round_session": "labour.BargainingRound",
    "labour:round_draft": "labour.BargainingRound",
    "labour:round_fail": "labour.BargainingRound",
    "labour:session_file": "labour.BargainingSession",
    "labour:officer_edit": "labour.BargainingOfficer",
    "labour-contract-detail": "labour.CollectiveContract",
    "labour-bargaining-round-detail": "labour.BargainingRound",
    # help campaigns: the sweep's foreign campaigns are the sibling township's (its 生活救助, demo_campaigns)
    "assistance:campaign_detail": "assistance.Campaign",
    "assistance:campaign_batch": "assistance.Campaign",
    "assistance:campaign_action": "assistance.Campaign",
    "assistance:recipient_change": "assistance.Recipient",
    "assistance:batch_detail": "union_portal.PaymentBatch",
    "assistance:batch_export": "union_portal.PaymentBatch",
    "assistance:payment_action": "union_portal.Payment",
    "assistance:sheet_pdf": "assistance.SignOffSheet",
    "assistance:sheet_upload": "assistance.SignOffSheet",
    "surveys:answer": "union_portal.Survey",
    "assistance:file_detail": "assistance.HardshipFile",
    "assistance:file_reveal": "assistance.HardshipFile",
    "assistance:file_review": "assistance.HardshipFile",
    "assistance:file_close": "assistance.HardshipFile",
    "assistance:file_attention_clear": "assistance.HardshipFile",
    "assistance:file_follow_up": "assistance.HardshipFile",
    "api-member-detail": "members.Member",
    "assistance-my-application-detail": "assistance.Application",
    "assistance-my-application-documents": "assistance.Application",
    "assistance-my-application-submit": "assistance.Application",
    "assistance-my-application-history": "assistance.Application",
    "mutual-aid-my-claim-detail": "mutual_aid.Claim",
    "mutual-aid-my-claim-appeal": "mutual_aid.Claim",
    "mutual-aid-my-claim-history": "mutual_aid.Claim",
    "mutual-aid-my-claim-resubmit": "mutual_aid.Claim",
    "mutual-aid-my-claim-account": "mutual_aid.Claim",
    "mutual-aid-my-claim-confirm-account": "mutual_aid.Claim",
    "mutual-aid-my-claim-document": "mutual_aid.Claim",
    "competitions-assignment-detail": "competitions.JudgeAssignment",
    "competitions-assignment-scores": "competitions.JudgeAssignment",
    "awards-nomination-detail": "awards.Nomination",
    "labour-congress-session-detail": "labour.CongressSession",
    "labour-liaison-assignment-detail": "labour.LiaisonAssignment",
    "api_survey_answer": "union_portal.Survey",
    "api_notification_read": "union_portal.Notification",
}

# The remaining path arguments, from the object (or a constant).
EXTRA = {
    "assignment_id": lambda obj: obj.assignments.values_list("pk", flat=True).first() or 0,
    "action": lambda obj: "disable" if obj._meta.model_name == "user" else "approve",
    "field": lambda obj: "id_number",
    "doc_pk": lambda obj: obj.documents.values_list("pk", flat=True).first() or 0,
    "fmt": lambda obj: "xlsx",
    "code": lambda obj: card_code(obj),
    "outcome": lambda obj: "paid",
    "which": lambda obj: "deeds",
    "token": None,  # card_verify: filled by _card_token
    "org_id": None,  # join_apply: the foreign member's union
    "evidence_pk": lambda obj: obj.evidence.values_list("pk", flat=True).first() or 0,
}

# District-level objects (campaigns, award rounds, schemes, surveys) belong to the district, not to a sibling
# unit: these patterns are swept for "no state change by a township/worker/anonymous POST" with the
# district's object, and their GET bodies are not "another unit's data".
DISTRICT_OBJECTS: dict[str, str] = {
    # an objection belongs to the public notice, which the district runs (the core's notices)
    "awards:objection_detail": "union_portal.Objection",
    # labour's harmonious-enterprise ratings: batches and their indicators are the district's; objections to a
    # rating belong to its public notice, which the district runs
    "labour:rating_batch_detail": "labour.RatingBatch",
    "labour:rating_create": "labour.RatingBatch",
    "labour:rating_indicator_edit": "labour.RatingIndicator",
    "labour:rating_objection": "union_portal.Objection",
    "competitions:campaign_detail": "competitions.Campaign",
    "competitions:criteria_edit": "competitions.Campaign",
    "competitions:bands_edit": "competitions.Campaign",
    "competitions:group_add": "competitions.Campaign",
    "competitions:team_add": "competitions.Campaign",
    "competitions:year_end": "competitions.Campaign",
    "competitions:period_detail": "competitions.Period",
    "competitions:judge_assign": "competitions.Period",
    "competitions:assignments_copy": "competitions.Period",
    "competitions:period_close": "competitions.Period",
    "competitions:period_release": "competitions.Period",
    "competitions:period_reopen": "competitions.Period",
    "competitions:period_export": "competitions.Period",
    "competitions:score_history": "competitions.Period",
    "awards:round_detail": "awards.Round",
    "awards:round_type_add": "awards.Round",
    "awards:round_quota_set": "awards.Round",
    "awards:round_dates": "awards.Round",
    "awards:round_rule": "awards.Round",
    "awards:round_open": "awards.Round",
    "awards:round_notice": "awards.Round",
    "awards:round_approve": "awards.Round",
    "awards:round_certificates": "awards.Round",
    "awards:nomination_create": "awards.Round",
    "awards:nomination_preview": "awards.Round",
    "awards:holiday_delete": "union_portal.HolidayDay",
    "mutual_aid:scheme_detail": "mutual_aid.Scheme",
    "mutual_aid:rule_version_new": "mutual_aid.Benefit",
    "surveys:detail": "union_portal.Survey",
    # the bank file layouts are the district's shared data (finance edits them, the district admin reads them)
    "payments:layout_edit": "union_portal.BankLayout",
    "payments:layout_verify": "union_portal.BankLayout",
    "surveys:export": "union_portal.Survey",
    "surveys:transition": "union_portal.Survey",
    "dashboard:scheme_detail": "dashboard.AssessmentScheme",
    "dashboard:scheme_export": "dashboard.AssessmentScheme",
    "dashboard:scheme_transition": "dashboard.AssessmentScheme",
    "dashboard:item_remove": "dashboard.AssessmentScheme",
    "dashboard:scheme_unit": "dashboard.AssessmentScheme",
    "dashboard:entry_submit": "dashboard.AssessmentScheme",
    "dashboard:entry_score": "dashboard.AssessmentScheme",
    "dashboard:entry_evidence": "dashboard.AssessmentScheme",
    "awards-round-detail": "awards.Round",
    "dashboard:figure": "metric",
    "dashboard:figure_export": "metric",
}

# Public by design: reachable without log-in; checked to show no private field of the foreign member.
PUBLIC: dict[str, str] = {
    "members:card_verify": "QR code on the membership card: masked name, union, validity only",
    "card:verify": "the card's short link (its QR code): masked name, union, validity only",
    "home": "the front page: public tiles for a visitor, the user's own cards once logged in",
    "terms": "the user agreement (no data)",
    "privacy": "the privacy policy (no data)",
    "members:join_start": "a worker picks the union to apply to (union names are public)",
    "members:join_apply": "a worker applies to join any union (the form names the union only)",
    "awards:public_notices": "公示: the list of award notices is public by law",
    "awards:public_notice": "公示: candidates' names and units are public during the notice period",
    "awards:public_objection": "anyone may object during the notice period",
    "awards:public_honours": "the public honour roll of awarded people",
    "labour:rating_public_notices": "公示: the enterprises on notice as harmonious labour-relations enterprises",
    "labour:rating_public_notice": "公示: an enterprise on notice (name, township, batch) and the objection form",
    "labour:rating_honours": "the public honour list of harmonious labour-relations enterprises",
    "competitions:honour_roll": "the public honour roll of competitions",
    "competitions:board_index": "the public leaderboards of released periods",
    "competitions:leaderboard": "a public leaderboard (team names and scores)",
    "competitions:leaderboard_export": "the public leaderboard as Excel",
    "competitions:team_page": "a team's public results page",
    "mutual_aid:estimate": "the public benefit estimator (no personal data)",
    "mutual-aid-estimate": "the public benefit estimator API",
    "competitions-leaderboard": "the public leaderboard API",
    "awards-honour-list": "the public honour roll API",
    "login": "the log-in page",
    "register": "a newcomer registers with a mobile number and an SMS code (no data shown)",
    "password_reset_sms": "forgot password: the same answer whether or not the number has an account",
    "members:mobile_recovery_start": "a worker who lost the number of their login asks their union (same answer "
    "whether or not a member was found)",
    "members:mobile_recovery_finish": "the one-time link sent to the new number after the identity check; swept "
    "with a spent link, which must show nothing",
    "members:invite_accept": "a handler's one-time invitation: its token, sent to the roll's mobile, is the "
    "credential; swept with a spent invitation of another unit's member, which must show nothing",
    "logout": "logging out",
    "healthz": "the health check (no data)",
    "set_language": "switching the language",
    "large_text": "the large-text switch: a display choice kept in the visitor's own cookie and, logged in, on "
    "their own account only",
    "api_token": "obtaining an API token needs a password",
    "api_token_refresh": "renewing API tokens needs a refresh token",
    "api_sms_code": "an SMS code: the same answer whether or not the number has an account",
    "api_sms_register": "registering needs the SMS code sent to the number",
    "api_sms_login": "logging in by SMS needs the code sent to the account's number",
    "api_password_reset": "a password reset needs the SMS code sent to the account's number",
    "api-card-check": "the card check by its QR code's code: masked name, union, validity only",
    "api_schema": "the OpenAPI schema (no data)",
    "api_docs": "the API documentation (no data)",
    "labour:case_follow": "a hotline caller follows their rights case through the one-time link texted to their "
    "mobile: its token is the credential; swept with a spent link of another unit's case, which must show nothing",
    "twofactor_enrol": "the one-time enrolment link: its token, sent to the person's own mobile, is the "
    "credential; swept with a spent link of another unit's account, which must show nothing",
}

# The objects that fill the public patterns' arguments.
PUBLIC_OBJECTS: dict[str, str] = {
    "members:card_verify": "members.Member",
    "card:verify": "members.Member",
    "api-card-check": "members.Member",
    "members:join_apply": "members.Member",
    "awards:public_notice": "awards.Round",
    "awards:public_objection": "awards.Nomination",
    "labour:rating_public_notice": "labour.RatingApplication",
    "competitions:leaderboard": "competitions.Campaign",
    "competitions:leaderboard_export": "competitions.Campaign",
    "competitions:team_page": "competitions.Team",
    "competitions-leaderboard": "competitions.Campaign",
    "twofactor_enrol": "union_portal.User",
    "members:invite_accept": "members.Member",
    "members:mobile_recovery_finish": "members.Member",
    "labour:case_follow": "labour.RightsCase",
}

# The admin's own public pages (its log-in form and the JavaScript translation catalogue).
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:jsi18n", "admin:javascript-catalog"}

# Patterns with path arguments that are not filled with a foreign object, with the reason.
SKIPPED: dict[str, str] = {}

# The demo objects whose identifying data must never appear on another unit's pages.
SENSITIVE = [
    "members.Member",
    "members.JoinApplication",
    "members.FoundingApplication",
    "awards.Nomination",
    "labour.RightsCase",
    "assistance.Application",
    "assistance.HardshipFile",
]


def _markers(obj) -> list[str]:
    """Identifying strings of an object (at least 2 characters)."""
    label = obj._meta.label
    out: list[str] = []
    if label == "members.Member":
        out += [obj.name, obj.member_number, obj.id_number_masked]
    elif label == "members.JoinApplication":
        out += [obj.name, obj.id_number_masked]
    elif label == "members.FoundingApplication":
        out += [obj.union_name, obj.applicant_name]
    elif label == "members.Enterprise":
        out += [obj.name, obj.uscc]
    elif label == "awards.Nomination":
        out += [obj.candidate_name]
    elif label == "labour.RightsCase":
        out += [obj.number, obj.worker_name]
    elif label in ("assistance.Application", "assistance.HardshipFile"):
        out += [obj.number]
    elif label == "union_portal.Objection":
        out += [obj.name]
    elif label == "mutual_aid.Claim":
        out += [obj.number] + _markers(obj.member)
    elif label == "members.MemberTransfer":
        out += _markers(obj.member)
    elif label == "assistance.HardshipFile":
        out += [obj.number]
    elif label == "members.MemberImport":
        out += [obj.file_name]
    elif label == "funds.FundsImportBatch":
        out += [obj.filename]
    elif label == "union_portal.OrgUnit":
        out += [obj.name]
    elif label in ("labour.CongressSession", "labour.LiaisonAssignment"):
        out += [obj.agenda[:30]] if label == "labour.CongressSession" else [obj.enterprise.name]
    elif label == "labour.LiaisonIssue":
        out += [obj.description[:30]]
    elif label == "union_portal.User":
        out += [obj.get_full_name() or obj.username]
    elif label == "labour.CollectiveContract":
        out += [obj.title]
    elif label == "labour.BargainingRound":
        out += [obj.subject]
    elif label == "labour.BargainingSession":
        out += [obj.round.subject]
    elif label == "labour.BargainingOfficer":
        out += [obj.name]
    for attr in ("member",):
        related = getattr(obj, attr, None) if label not in ("mutual_aid.Claim", "members.MemberTransfer") else None
        if related is not None and related._meta.label == "members.Member":
            out += _markers(related)
    return [m for m in out if m and len(m) >= 2]


# --- the identities and their foreign objects ------------------------------------------------------------


def _org_path_of(obj) -> str | None:
    model = type(obj)
    org_field = getattr(model, "SCOPE_ORG", None)
    if org_field is None:
        return None
    if org_field == "":
        return obj.path
    target = obj
    for part in org_field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target.path


@dataclass
class Identity:
    name: str
    user: object | None
    node_path: str | None  # the node whose subtree (and ancestors) is "own"
    foreign: dict[str, object] = field(default_factory=dict)  # model label -> a foreign object


def _is_foreign(obj, identity: Identity) -> bool:
    model = type(obj)
    owner = getattr(model, "SCOPE_OWNER", None)
    # a row only its owner sees (a background export) is foreign to everyone else, staff included
    if owner and (identity.name == "worker" or getattr(model, "SCOPE_ORG", None) is None):
        target = obj
        for part in owner.split("__"):
            target = getattr(target, part, None)
            if target is None:
                break
        return target != identity.user
    path = _org_path_of(obj)
    if path is None or identity.node_path is None:
        return True
    # own subtree and ancestors are not another unit's
    return not (path.startswith(identity.node_path) or identity.node_path.startswith(path))


def _pick_foreign(label: str, identity: Identity, prefer_path: str | None):
    from django.contrib.auth import get_user_model

    model = apps.get_model(label)
    if label == "union_portal.User":
        # another unit's staff account (for staff) / another person's account (worker)
        names = {
            "huashe_staff": "qixian_staff",
            "handler": "handler_qixian",
            "qixian_staff": "huashe_staff",
            "handler_qixian": "handler",
            "rights_huashe": "rights_qixian",
            "rights_qixian": "rights_huashe",
        }
        return get_user_model().objects.get(username=names.get(identity.name, "qixian_staff"))
    candidates = list(model.objects.order_by("pk")[:400])
    foreign = [obj for obj in candidates if _is_foreign(obj, identity)]
    if prefer_path:
        preferred = [obj for obj in foreign if (_org_path_of(obj) or "").startswith(prefer_path)]
        foreign = preferred or foreign
    return foreign[0] if foreign else None


# --- the sweep ---------------------------------------------------------------------------------------------


def test_every_url_pattern_is_covered():
    # given every pattern of the project
    routes = all_routes()
    # then each one with path arguments is filled, public, district-level, admin or listed with a reason
    uncovered = [
        route.route
        for route in routes
        if route.params
        and not route.admin
        and route.name not in ROUTE_OBJECTS
        and route.name not in DISTRICT_OBJECTS
        and route.name not in PUBLIC
        and route.name not in SKIPPED
    ]
    assert uncovered == [], f"URL patterns not covered by the IDOR sweep (add them to ROUTE_OBJECTS/...): {uncovered}"
    stale = [
        name
        for name in {**ROUTE_OBJECTS, **DISTRICT_OBJECTS, **PUBLIC, **SKIPPED}
        if name not in {r.name for r in routes}
    ]
    assert stale == [], f"listed in the sweep but no longer a URL name: {stale}"


ALLOWED_DENIAL = {301, 302, 400, 401, 403, 404, 405}


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


@pytest.mark.django_db
def test_no_url_exposes_another_units_objects(client, settings):
    from django.contrib.auth import get_user_model

    from tests.conftest import verify_two_factor
    from union_portal.models import AuditLog, OrgUnit

    settings.ALLOWED_HOSTS = ["*"]
    # given the full demo data
    _seed()
    _add_objects_the_demo_lacks()
    User = get_user_model()
    qixian = OrgUnit.objects.get(code="KQ-QX").path
    huashe = OrgUnit.objects.get(code="KQ-HS").path
    worker_org = apps.get_model("members.Member").objects.get(user__username="worker").org.path
    node = {code: OrgUnit.objects.get(code=code).path for code in ("KQ-HS-001", "KQ-QX-001")}
    identities = [
        # (identity, fallback identity used for models where the first has no foreign object, preferred path)
        (Identity("huashe_staff", User.objects.get(username="huashe_staff"), huashe), qixian),
        (Identity("qixian_staff", User.objects.get(username="qixian_staff"), qixian), huashe),
        (Identity("handler", User.objects.get(username="handler"), node["KQ-HS-001"]), qixian),
        (Identity("handler_qixian", User.objects.get(username="handler_qixian"), node["KQ-QX-001"]), huashe),
        (Identity("worker", User.objects.get(username="worker"), worker_org), None),
        # rights officers (labour): a case-only scope, by the handling township
        (Identity("rights_huashe", User.objects.get(username="rights_huashe"), huashe), qixian),
        (Identity("rights_qixian", User.objects.get(username="rights_qixian"), qixian), huashe),
        (Identity("anonymous", None, None), None),
    ]
    fallback = {"huashe_staff": "qixian_staff", "handler": "handler_qixian", "rights_huashe": "rights_qixian"}
    primary = ["huashe_staff", "handler", "rights_huashe", "worker", "anonymous"]
    by_name = {identity.name: (identity, prefer) for identity, prefer in identities}
    routes = [r for r in all_routes()]
    labels = (
        set(ROUTE_OBJECTS.values())
        | set(PUBLIC_OBJECTS.values())
        | set(SENSITIVE)
        | {v for v in DISTRICT_OBJECTS.values() if v != "metric"}
    )
    for identity, prefer in identities:
        for label in labels:
            identity.foreign[label] = _pick_foreign(label, identity, prefer)
    # markers that are NOT unique to a foreign object (e.g. two members named alike) would give false alarms
    own_markers: dict[str, set[str]] = {}

    def markers_for(identity: Identity, obj) -> list[str]:
        key = identity.name
        if key not in own_markers:
            own = set()
            for label in SENSITIVE + ["members.Enterprise", "mutual_aid.Claim"]:
                for other in apps.get_model(label).objects.all()[:400]:
                    if not _is_foreign(other, identity):
                        own.update(_markers(other))
            if identity.user is not None:
                own.add(identity.user.get_full_name())
            own_markers[key] = own
        return [m for m in _markers(obj) if m not in own_markers[key]]

    failures: list[str] = []
    requests = 0
    covered: set[str] = set()

    def check(identity: Identity, route: Route, url: str, obj, *, public: bool, district: bool):
        nonlocal requests
        for method in ("get", "post"):
            before = AuditLog.objects.count()
            snapshot = _snapshot(obj) if obj is not None else None
            response = getattr(client, method)(url, secure=True)
            requests += 1
            status = response.status_code
            new_audit = (
                list(AuditLog.objects.order_by("pk")[before:].values_list("action", flat=True))
                if AuditLog.objects.count() != before
                else []
            )
            where = f"{identity.name} {method.upper()} {url} ({route.name}) -> {status}"
            # audited reads of one's own scope (exports) are fine on pages without a foreign object
            state_audit = [
                a for a in new_audit if not a.startswith("auth.") and not (obj is None and a.endswith(".export"))
            ]
            if state_audit and not public:
                failures.append(f"{where}: wrote audit rows {state_audit}")
            if status >= 500:
                failures.append(f"{where}: server error")
                continue
            if identity.user is None and not public and status not in ALLOWED_DENIAL:
                failures.append(f"{where}: anonymous user got through")
                continue
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace").replace(url, "")  # the page may echo its own URL
            if obj is not None and 200 <= status < 300:
                if method == "post" and not public and not district:
                    failures.append(f"{where}: a POST naming another unit's object succeeded")
                content_type = response.get("Content-Type", "")
                if not public and not district and not content_type.startswith(("text/html", "application/json")):
                    # a PDF, a spreadsheet or an uploaded file of another unit's object: its body cannot be
                    # searched for names (compressed), so serving it at all is the leak
                    failures.append(f"{where}: served a {content_type} file of another unit's object")
                if not district:
                    leaked = [m for m in markers_for(identity, obj) if m in text]
                    if public:
                        leaked = [m for m in leaked if m in _private_markers(obj)]
                    if leaked:
                        failures.append(f"{where}: shows {leaked}")
            if obj is not None and method == "post" and not public and _snapshot(obj) != snapshot:
                failures.append(f"{where}: changed the foreign object")
            if obj is None and status == 200 and method == "get" and identity.user is not None:
                for label in SENSITIVE:
                    foreign = identity.foreign.get(label)
                    if foreign is None:
                        continue
                    leaked = [m for m in markers_for(identity, foreign) if m in text]
                    if public:
                        leaked = [m for m in leaked if m in _private_markers(foreign)]
                    if leaked:
                        failures.append(f"{where}: the page shows {label} {foreign.pk} of another unit: {leaked}")

    for name in primary:
        identity, _prefer = by_name[name]
        client.logout()
        if identity.user is not None:
            client.force_login(identity.user)
            verify_two_factor(client, identity.user)
        for route in routes:
            if route.admin:
                # the Django admin: no demo account is is_staff; everyone is sent to the admin log-in
                url = _admin_url(route)
                for method in ("get", "post"):
                    response = getattr(client, method)(url, secure=True)
                    requests += 1
                    if response.status_code not in ALLOWED_DENIAL and route.name not in ADMIN_PUBLIC:
                        failures.append(f"{name} {method.upper()} {url} (admin) -> {response.status_code}")
                covered.add(route.route)
                continue
            public = route.name in PUBLIC
            if not route.params:
                check(identity, route, reverse(route.name), None, public=public, district=False)
                covered.add(route.route)
                if route.name == "logout" and identity.user is not None:  # the POST logged us out
                    client.force_login(identity.user)
                    verify_two_factor(client, identity.user)
                continue
            if route.name in DISTRICT_OBJECTS:
                label = DISTRICT_OBJECTS[route.name]
                obj = None
                if label == "metric":
                    from dashboard.registry import all_metrics

                    kwargs = {"metric": all_metrics()[0].key}
                else:
                    obj = apps.get_model(label).objects.order_by("pk").first()
                    if obj is None:
                        continue
                    kwargs = _district_kwargs(route, obj)
                check(identity, route, reverse(route.name, kwargs=kwargs), obj, public=public, district=True)
                covered.add(route.route)
                continue
            label = ROUTE_OBJECTS.get(route.name) or PUBLIC_OBJECTS.get(route.name)
            if label is None:
                continue
            who = identity
            obj = identity.foreign.get(label)
            if obj is None and name in fallback:
                who = by_name[fallback[name]][0]
                obj = who.foreign.get(label)
                if obj is not None:
                    client.force_login(who.user)
                    verify_two_factor(client, who.user)
            if obj is None:
                continue
            check(who, route, _url(route, _kwargs(route, obj)), obj, public=public, district=False)
            covered.add(route.route)
            if who is not identity:
                client.force_login(identity.user)
                verify_two_factor(client, identity.user)

    # then nothing leaked, and every pattern was actually requested
    not_requested = [r.route for r in routes if r.route not in covered and r.name not in SKIPPED]
    print(f"IDOR sweep: {len(routes)} URL patterns, {requests} requests")
    assert failures == [], "\n".join(failures)
    assert not_requested == [], f"patterns with no foreign object in the demo data: {not_requested}"


def _snapshot(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().first() or {}


def _private_markers(obj) -> set[str]:
    """What a public page must never show of a person: member number, (masked) ID number."""
    label = obj._meta.label
    if label == "members.Member":
        return {obj.member_number, obj.id_number_masked, obj.name}
    if label == "awards.Nomination":
        return set()
    return set(_markers(obj))
