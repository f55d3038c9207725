"""L1: a founding application filed by anyone but the township's staff needs the applicant's mobile proven by
an SMS code; it is rate-limited; a pending application cannot hold an enterprise for ever."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members import services
from members.models import Enterprise, FoundingApplication
from union_portal.identity import make_uscc


@pytest.fixture
def firm(tree, huashe_staff):
    return services.enterprise_create(
        by=huashe_staff, township=tree["KQ-HS"], name="绍兴华舍新纺织有限公司", uscc=make_uscc(931), employee_count=60
    )


def _fields(firm: Enterprise, pdf_upload, phone: str = "13957500021") -> dict:
    return {
        "enterprise": firm,
        "union_name": f"{firm.name}工会",
        "chair_name": "沈一",
        "meeting_date": timezone.localdate() - dt.timedelta(days=3),
        "member_count": 40,
        "election_result": pdf_upload,
        "applicant_name": "沈一",
        "applicant_phone": phone,
    }


def test_a_worker_files_a_founding_only_with_the_code_sent_to_the_applicants_mobile(firm, worker, pdf_upload, sms_code):
    # when: no code, or a guessed one
    for code in ["", "123456"]:
        with pytest.raises(ValidationError) as caught:
            services.founding_submit(by=worker, code=code, **_fields(firm, pdf_upload))
        assert "code" in caught.value.message_dict
    assert not FoundingApplication.objects.exists()
    # when: the code the SMS brought
    application = services.founding_submit(
        by=worker, code=sms_code("founding", "13957500021"), **_fields(firm, pdf_upload)
    )
    assert application.status == FoundingApplication.Status.PENDING


def test_a_pending_application_lapses_after_the_set_days_and_no_longer_blocks_the_firm(
    firm, worker, judge1, pdf_upload, sms_code, settings
):
    # given: a worker's pending application (a squatter's, say)
    squat = services.founding_submit(by=worker, code=sms_code("founding", "13957500021"), **_fields(firm, pdf_upload))
    # then: while it is fresh another account cannot file
    with pytest.raises(ValidationError):
        services.founding_submit(
            by=judge1, code=sms_code("founding", "13957500022"), **_fields(firm, pdf_upload, "13957500022")
        )
    # when: FOUNDING_PENDING_DAYS pass undecided
    FoundingApplication.objects.filter(pk=squat.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.FOUNDING_PENDING_DAYS)
    )
    fresh = services.founding_submit(
        by=judge1, code=sms_code("founding", "13957500022"), **_fields(firm, pdf_upload, "13957500022")
    )
    # then
    squat.refresh_from_db()
    assert squat.status == FoundingApplication.Status.SUPERSEDED
    assert fresh.status == FoundingApplication.Status.PENDING
    assert worker.notifications.filter(event_key=f"founding:{squat.pk}:superseded").exists()


def test_the_founding_form_is_rate_limited(firm, login, worker, settings):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "founding": "2/hour"}
    settings.REST_FRAMEWORK = rest
    client = login(worker)
    codes = [
        client.post("/members/founding/new/", {"uscc": firm.uscc}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
