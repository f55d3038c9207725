"""Audit coverage (issue 10): the main state-changing services of the apps not yet checked elsewhere each
write their audit row, and a successful two-factor check is audited (failures: tests/union_portal)."""

import datetime as dt

import pytest

from mutual_aid import services as aid
from mutual_aid.models import Benefit
from tests.mutual_aid.conftest import YEAR, approve_twice, enrol_and_pay, file_claim
from union_portal.models import AuditLog


def _actions(since: int) -> list[str]:
    return list(AuditLog.objects.filter(pk__gt=since).order_by("pk").values_list("action", flat=True))


def _last() -> int:
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db
def test_every_step_of_a_mutual_aid_claim_writes_an_audit_row(
    scheme, member, worker, handler, finance, reviewer1, reviewer2
):
    # enrolment and payment
    start = _last()
    for kind in (Benefit.Kind.INPATIENT,):
        enrol_and_pay(scheme=scheme, kind=kind, org=member.org, members=[member], handler=handler, finance=finance)
    assert _actions(start) == ["mutual_aid.enrol", "mutual_aid.enrolment_paid"]
    # filing, automatic review, two approvals
    start = _last()
    claim = file_claim(worker, member, admission=dt.date(YEAR, 6, 1))
    aid.auto_review(claim.pk)
    approve_twice(claim, reviewer1, reviewer2)
    actions = _actions(start)
    for expected in (
        "mutual_aid.claim_submitted",
        "mutual_aid.consent",
        "mutual_aid.claim_auto_reviewed",
        "mutual_aid.claim_first_approved",
    ):
        assert expected in actions, (expected, actions)
    assert len([a for a in actions if a.startswith("mutual_aid.claim_") and "approved" in a]) == 2
    # the payment batch and the payment
    start = _last()
    batch = aid.batch_create(by=finance, claim_ids=[claim.pk])
    aid.payment_mark_paid(by=finance, payment=batch.payments.get(), reference="BANK-9")
    actions = _actions(start)
    assert "mutual_aid.batch_create" in actions and "mutual_aid.claim_paid" in actions, actions
    # every one of them names who did it (the automatic review is the system: no actor)
    assert (
        not AuditLog.objects.filter(action__startswith="mutual_aid.", actor__isnull=True)
        .exclude(action="mutual_aid.claim_auto_reviewed")
        .exists()
    )


@pytest.mark.django_db
def test_survey_services_write_audit_rows(tree, district_admin):
    from union_portal.surveys import services as dash

    start = _last()
    survey = dash.survey_create(
        by=district_admin, owner=tree["SX-KQ"], title="服务满意度", service="legal", questions=["满意吗？"]
    )
    dash.survey_publish(by=district_admin, survey=survey)
    dash.survey_close(by=district_admin, survey=survey)
    assert _actions(start) == ["survey.create", "survey.publish", "survey.close"]


@pytest.mark.django_db
def test_a_successful_two_factor_check_is_audited(client, huashe_staff):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=huashe_staff, name="phone", confirmed=True)
    client.force_login(huashe_staff)
    start = _last()
    response = client.post("/accounts/2fa/verify/", {"code": f"{totp(device.bin_key):06d}"}, secure=True)
    assert response.status_code == 302
    assert "auth.2fa" in _actions(start)
    assert AuditLog.objects.filter(action="auth.2fa", actor=huashe_staff, result="ok").exists()
