"""The core's one-time codes by SMS and one-time links (union_portal.onetime)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from union_portal import onetime
from union_portal.identity import mobile_hash
from union_portal.models import OneTimeCode, OneTimeLink
from union_portal.sms import LoggingSmsBackend

MOBILE = "13800138000"


def _last_code(mobile=MOBILE) -> str:
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == mobile
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


@pytest.fixture
def now():
    return timezone.now()


def test_a_code_is_sent_by_sms_stored_hashed_and_accepted_once(db, now):
    # given
    row = onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    code = _last_code()
    # then: the database holds no code
    assert code not in row.code_hash and len(row.code_hash) == 64
    # when / then: right code once, then never again
    onetime.verify_code(purpose="objection", mobile=MOBILE, code=code, now=now)
    with pytest.raises(ValidationError):
        onetime.verify_code(purpose="objection", mobile=MOBILE, code=code, now=now)


def test_a_code_is_bound_to_its_purpose_and_number(db, now):
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    code = _last_code()
    with pytest.raises(ValidationError):
        onetime.verify_code(purpose="founding", mobile=MOBILE, code=code, now=now)
    with pytest.raises(ValidationError):
        onetime.verify_code(purpose="objection", mobile="13900139000", code=code, now=now)
    onetime.verify_code(purpose="objection", mobile=MOBILE, code=code, now=now)


def test_a_code_expires(db, now, settings):
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    code = _last_code()
    with pytest.raises(ValidationError, match="过期|expired"):
        onetime.verify_code(purpose="objection", mobile=MOBILE, code=code, now=now + settings.ONETIME_CODE_TTL)


def test_five_wrong_codes_spend_the_code_even_when_the_callers_transaction_rolls_back(db, now):
    """The fifth wrong try ends the code; the right one then fails too. The failures are counted even though
    each refusal rolled back the transaction it was made in (as a service's would)."""
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    code = _last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            with transaction.atomic():
                onetime.verify_code(purpose="objection", mobile=MOBILE, code=wrong, now=now)
    with pytest.raises(ValidationError):
        onetime.verify_code(purpose="objection", mobile=MOBILE, code=code, now=now)


def test_codes_are_rate_limited_per_number(db, now, settings):
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    with pytest.raises(ValidationError):  # again within the minute
        onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.2", now=now + dt.timedelta(seconds=30))
    for minute in range(1, settings.ONETIME_CODES_PER_MOBILE_PER_HOUR):
        onetime.issue_code(
            purpose="objection", mobile=MOBILE, ip=f"10.0.1.{minute}", now=now + dt.timedelta(minutes=minute * 2)
        )
    with pytest.raises(ValidationError):
        onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.2.1", now=now + dt.timedelta(minutes=30))
    assert (
        OneTimeCode.objects.filter(mobile_hash=mobile_hash(MOBILE)).count()
        == settings.ONETIME_CODES_PER_MOBILE_PER_HOUR
    )


def test_codes_are_rate_limited_per_client_address(db, now, settings):
    settings.ONETIME_CODES_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        onetime.issue_code(purpose="objection", mobile=f"1380013800{n}", ip="10.9.9.9", now=now)
    with pytest.raises(ValidationError):
        onetime.issue_code(purpose="objection", mobile="13800138009", ip="10.9.9.9", now=now)


def test_a_new_code_replaces_the_previous_one(db, now):
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=now)
    first = _last_code()
    later = now + dt.timedelta(minutes=2)
    onetime.issue_code(purpose="objection", mobile=MOBILE, ip="10.0.0.1", now=later)
    second = _last_code()
    if first != second:
        with pytest.raises(ValidationError):
            onetime.verify_code(purpose="objection", mobile=MOBILE, code=first, now=later)
    onetime.verify_code(purpose="objection", mobile=MOBILE, code=second, now=later)


def test_a_link_is_single_use_expires_and_is_stored_hashed(db, handler, now, settings):
    token = onetime.issue_link(purpose="enrol", user=handler, now=now)
    assert not OneTimeLink.objects.filter(token_hash__contains=token.split(":")[0]).exists()
    assert onetime.check_link(purpose="enrol", token=token, now=now) == handler
    with pytest.raises(ValidationError):
        onetime.check_link(purpose="other", token=token, now=now)
    with pytest.raises(ValidationError):  # forged signature
        onetime.use_link(purpose="enrol", token=token[:-2] + "xx", now=now)
    with pytest.raises(ValidationError):
        onetime.use_link(purpose="enrol", token=token, now=now + settings.ONETIME_LINK_TTL)
    assert onetime.use_link(purpose="enrol", token=token, now=now) == handler
    with pytest.raises(ValidationError):
        onetime.use_link(purpose="enrol", token=token, now=now)


def test_a_new_link_replaces_the_previous_one(db, handler, now):
    first = onetime.issue_link(purpose="enrol", user=handler, now=now)
    second = onetime.issue_link(purpose="enrol", user=handler, now=now)
    with pytest.raises(ValidationError):
        onetime.use_link(purpose="enrol", token=first, now=now)
    assert onetime.use_link(purpose="enrol", token=second, now=now) == handler


def test_a_verified_mobile_holds_only_for_the_number_verified(db, worker):
    worker.mobile = MOBILE
    worker.save()
    assert not onetime.mobile_is_verified(worker)
    onetime.mark_mobile_verified(worker)
    assert onetime.mobile_is_verified(worker)
    worker.mobile = "13900139000"
    assert not onetime.mobile_is_verified(worker)


def test_the_refusals_are_in_chinese(db, now):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        onetime.verify_code(purpose="objection", mobile=MOBILE, code="123456", now=now)
    assert "验证码" in caught.value.messages[0]
