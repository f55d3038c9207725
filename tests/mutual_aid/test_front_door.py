"""Issue 16 [Front door], mutual aid: diseases by name, no CSRF token in GET forms, the member's consent when a
handler files, appeal documents, findings and history in words, the one-decision reviewer panel, flash messages
that say what happened."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from mutual_aid import services
from mutual_aid.models import Claim, ClaimDocument, ClaimEvent
from union_portal.models import AuditLog
from union_portal.sms import LoggingSmsBackend

from .conftest import YEAR, file_claim, pdf

pytestmark = pytest.mark.django_db


def _rejected(worker, covered, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    return services.claim_reject(by=reviewer1, claim=claim, reason="材料不符")


# --- 1. diseases by name ------------------------------------------------------------------------------------------
def test_the_estimator_lists_the_diseases_by_chinese_name_grouped_by_benefit(covered, client):
    # when
    content = client.get("/mutual-aid/estimate/").content.decode()
    # then: a select, by name, each option marked with its benefit for the filtering script
    assert '<select name="disease"' in content
    assert '<option value="cancer" data-benefit="major_disease">恶性肿瘤</option>' in content
    assert 'data-benefit="female_disease">乳腺原位癌</option>' in content
    assert "js/mutual_aid.js" in content


def test_the_estimator_shows_the_english_names_when_switched(covered, client):
    # given
    client.cookies["django_language"] = "en"
    # when
    with translation.override("en"):
        content = client.get("/mutual-aid/estimate/").content.decode()
    # then
    assert ">Malignant tumour</option>" in content and "恶性肿瘤" not in content


def test_the_estimator_accepts_a_disease_given_by_its_chinese_name(covered, client):
    # when
    content = client.get("/mutual-aid/estimate/", {"benefit": "major_disease", "disease": "恶性肿瘤"}).content.decode()
    # then
    assert "10000.00" in content and "不在" not in content


def test_a_claim_for_a_disease_of_another_benefit_is_refused(covered, worker):
    # when: breast_cis belongs to the women's benefit, not the major-disease one
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, covered, kind="major_disease", admission=dt.date(YEAR, 6, 1), disease_code="breast_cis")
    # then
    assert "disease_code" in exc.value.message_dict


def test_a_claim_may_name_the_disease_in_chinese(covered, worker):
    # when
    claim = file_claim(worker, covered, kind="major_disease", admission=dt.date(YEAR, 6, 1), disease_code="恶性肿瘤")
    # then: the code is stored, the name is shown
    assert claim.disease_code == "cancer" and claim.disease_name == "恶性肿瘤"


def test_the_claim_form_offers_the_diseases_by_name(covered, login, worker):
    # when
    content = login(worker).get("/mutual-aid/claims/new/").content.decode()
    # then
    assert '<select name="disease_code"' in content and ">急性心肌梗塞</option>" in content


# --- 3. consent when a handler files ---------------------------------------------------------------------------------
def test_a_handler_cannot_tick_the_consent_for_the_member(covered, handler):
    # when
    with pytest.raises(ValidationError) as exc:
        file_claim(handler, covered, consent=True, consent_document=None)
    # then: the rule lives in the service
    assert "consent" in exc.value.message_dict and not Claim.objects.exists()


def test_a_handler_files_with_the_members_signed_consent(covered, handler):
    # when
    claim = file_claim(handler, covered, consent=False, consent_document=pdf("signed.pdf"))
    # then: which way, when, the upload
    assert claim.consent_method == Claim.ConsentMethod.SIGNED and claim.consent_at
    assert claim.documents.filter(kind=ClaimDocument.Kind.CONSENT).count() == 1


def test_a_handler_files_with_the_consent_the_member_confirms_by_sms(covered, handler):
    # given: the SMS says what the member consents to and carries the code
    before = len(LoggingSmsBackend.outbox)
    services.claim_consent_send_code(by=handler, member=covered)
    phone, text = LoggingSmsBackend.outbox[before]
    code = "".join(ch for ch in text.split("：")[-1] if ch.isdigit())[:6]
    assert phone == covered.mobile and "医疗信息" in text and "互助" in text
    # when: a wrong code, then the member's code
    with pytest.raises(ValidationError) as exc:
        file_claim(handler, covered, consent_document=None, consent_code="000000" if code != "000000" else "111111")
    assert "consent_code" in exc.value.message_dict
    claim = file_claim(handler, covered, consent_document=None, consent_code=code)
    # then: sending the code is audited, the claim records the way
    assert claim.consent_method == Claim.ConsentMethod.SMS
    assert AuditLog.objects.filter(action="mutual_aid.consent_code_sent", actor=handler).count() == 1
    assert AuditLog.objects.filter(action="mutual_aid.consent", detail__method="sms").exists()


def test_a_worker_filing_for_themselves_still_ticks_the_consent(covered, worker):
    # when
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, covered, consent=False)
    claim = file_claim(worker, covered)
    # then
    assert "consent" in exc.value.message_dict and claim.consent_method == Claim.ConsentMethod.TICKED


def test_the_handlers_claim_form_sends_the_consent_sms_and_keeps_what_was_typed(covered, login, handler):
    # given
    before = len(LoggingSmsBackend.outbox)
    # when
    response = login(handler).post(
        "/mutual-aid/claims/new/",
        {"member_number": covered.member_number, "hospital": "绍兴市人民医院", "send_consent_code": "1"},
        follow=True,
    )
    # then
    content = response.content.decode()
    assert len(LoggingSmsBackend.outbox) == before + 1 and "确认短信已发送" in content
    assert 'value="绍兴市人民医院"' in content and not Claim.objects.exists()


def test_the_worker_sees_no_consent_sms_button(covered, login, worker):
    content = login(worker).get("/mutual-aid/claims/new/").content.decode()
    assert "send_consent_code" not in content and 'name="consent"' in content


# --- 4. appeal documents -----------------------------------------------------------------------------------------------
def test_an_appeal_carries_documents_shown_to_the_appeal_reviewer(covered, worker, reviewer1, reviewer2, login):
    # given
    claim = _rejected(worker, covered, reviewer1)
    # when
    response = login(worker).post(
        f"/mutual-aid/claims/{claim.pk}/appeal/", {"reason": "补充诊断证明", "documents": [pdf("a.pdf"), pdf("b.pdf")]}
    )
    # then
    claim.refresh_from_db()
    assert response.status_code == 302 and claim.status == Claim.Status.APPEALED
    assert claim.documents.filter(kind=ClaimDocument.Kind.APPEAL).count() == 2
    content = login(reviewer2).get(claim.get_absolute_url()).content.decode()
    assert "申诉材料 1" in content and "申诉材料 2" in content and "补充诊断证明" in content


def test_the_appeal_flash_says_another_reviewer_decides_it(covered, worker, reviewer1, login):
    claim = _rejected(worker, covered, reviewer1)
    response = login(worker).post(f"/mutual-aid/claims/{claim.pk}/appeal/", {"reason": "不服"}, follow=True)
    assert "申诉已提交，将由另一名审核员处理" in response.content.decode()


# --- 5. no machine codes -------------------------------------------------------------------------------------------------
def test_an_overlapping_stay_is_named_by_the_other_claims_number(covered, worker, login, reviewer1):
    # given
    first = file_claim(worker, covered)
    second = services.auto_review(file_claim(worker, covered).pk)
    # when
    content = login(reviewer1).get(second.get_absolute_url()).content.decode()
    # then
    assert first.number in content and "STAY_OVERLAP" not in content and f"#{first.pk}" not in content
    assert "住院时间重叠" in content  # the automatic review's history line, in words


def test_a_disease_claim_shows_the_disease_by_name_not_code(covered, worker, login):
    claim = services.auto_review(file_claim(worker, covered, kind="female_disease", disease_code="breast_cis").pk)
    content = login(worker).get(claim.get_absolute_url()).content.decode()
    assert "乳腺原位癌" in content and "breast_cis" not in content


def test_findings_stored_with_the_id_only_get_the_claims_number_by_the_data_migration(covered, worker):
    # given: a finding as stored before
    first = file_claim(worker, covered)
    second = services.auto_review(file_claim(worker, covered).pk)
    checks = [
        dict(c, params={"other": str(first.pk)}) if c["code"] == "STAY_OVERLAP" else c for c in second.auto_checks
    ]
    Claim.objects.filter(pk=second.pk).update(auto_checks=checks)
    migration = importlib.import_module("mutual_aid.migrations.0006_finding_other_numbers")
    # when
    migration.forwards(apps, None)
    # then
    second.refresh_from_db()
    overlap = next(c for c in second.auto_checks if c["code"] == "STAY_OVERLAP")
    assert overlap["params"]["other_number"] == first.number
    assert first.number in services.check_message(overlap)


def test_returned_documents_follow_the_language_switch(covered, worker, reviewer1, login):
    # given
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_return(by=reviewer1, claim=claim, documents=["invoice"], note="")
    event = ClaimEvent.objects.get(claim=claim, action="returned")
    client = login(worker)
    # then: stored as a code, shown as a label in either language
    assert event.note == "invoice"
    content = client.get(claim.get_absolute_url()).content.decode()
    assert f"退回补充材料 · {reviewer1.display_name}<br>医院发票</li>" in content
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        content = client.get(claim.get_absolute_url()).content.decode()
    assert f"Returned for documents · {reviewer1.display_name}<br>Hospital invoice</li>" in content


def test_a_returned_event_stored_with_names_still_renders(covered, worker, reviewer1, login):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_return(by=reviewer1, claim=claim, documents=["invoice"], note="")
    ClaimEvent.objects.filter(claim=claim, action="returned").update(note="医院发票、结算单")
    assert "医院发票、结算单" in login(worker).get(claim.get_absolute_url()).content.decode()


# --- 6. the reviewer panel -----------------------------------------------------------------------------------------
def test_the_first_reviewer_has_no_panel_after_the_first_review_and_the_history_names_them(
    covered, worker, reviewer1, login
):
    # given
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    # when
    content = login(reviewer1).get(claim.get_absolute_url()).content.decode()
    # then
    assert "等待另一名审核员复审" in content
    assert "/approve/" not in content and "/reject/" not in content and "/adjust/" not in content
    assert f"初审通过 · {reviewer1.display_name}" in content and "reviewer1" not in content


def test_the_panel_offers_each_decision_in_its_own_card_with_a_confirmation(covered, worker, reviewer1, login):
    claim = services.auto_review(file_claim(worker, covered).pk)
    content = login(reviewer1).get(claim.get_absolute_url()).content.decode()
    assert content.count('<details class="card mb-2') == 4
    assert content.count('<form method="post" action="/mutual-aid/claims/') >= 4
    assert 'name="confirm"' in content


def test_a_money_decision_without_the_confirmation_is_refused(covered, worker, reviewer1, reviewer2, login):
    # given
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    client = login(reviewer2)
    # when
    response = client.post(f"/mutual-aid/claims/{claim.pk}/approve/", follow=True)
    claim.refresh_from_db()
    # then
    assert claim.status == Claim.Status.SECOND_REVIEW and "请勾选确认框" in response.content.decode()
    response = client.post(f"/mutual-aid/claims/{claim.pk}/adjust/", {"amount": "100", "reason": "核减"}, follow=True)
    claim.refresh_from_db()
    assert claim.adjusted_amount is None and "请勾选确认框" in response.content.decode()


# --- 7. flash messages ---------------------------------------------------------------------------------------------
def test_the_approvals_say_what_happened(covered, worker, reviewer1, reviewer2, login):
    claim = services.auto_review(file_claim(worker, covered).pk)
    first = login(reviewer1).post(f"/mutual-aid/claims/{claim.pk}/approve/", {"confirm": "on"}, follow=True)
    assert "初审通过，等待另一名审核员复审" in first.content.decode()
    second = login(reviewer2).post(f"/mutual-aid/claims/{claim.pk}/approve/", {"confirm": "on"}, follow=True)
    claim.refresh_from_db()
    content = second.content.decode()
    assert f"复审通过，核定金额 ¥{claim.approved_amount}" in content
    assert 'href="/mutual-aid/queue/"' in content and "已完成" not in content


def test_a_return_says_the_worker_was_told(covered, worker, reviewer1, login):
    claim = services.auto_review(file_claim(worker, covered).pk)
    response = login(reviewer1).post(
        f"/mutual-aid/claims/{claim.pk}/return/", {"documents": ["invoice"], "note": ""}, follow=True
    )
    assert "已退回，已通知职工补充材料" in response.content.decode()


def test_claim_documents_open_beside_the_claim(covered, worker, login):
    claim = file_claim(worker, covered)
    content = login(worker).get(claim.get_absolute_url()).content.decode()
    document = claim.documents.first()
    assert f'href="/mutual-aid/claims/{claim.pk}/documents/{document.pk}/" target="_blank" rel="noopener"' in content
