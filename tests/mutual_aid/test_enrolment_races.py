"""Issue 16: members added to an enrolment (增员) while others are added or the unit's premium is confirmed, on
PostgreSQL with real concurrent transactions. The enrolment row is the lock: additions and confirmations take
it first (mutual_aid/locks.py), then the addition."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutual_aid import services
from mutual_aid.models import Cover, Enrolment, EnrolmentAddition
from tests.factories import make_member
from tests.races import run_together

from .test_enrolment_changes import JUNE, _at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _slow_terms(monkeypatch):
    """Slow the premium look-up so that concurrent additions are inside the enrolment's change together."""
    terms = services.enrolment.addition_terms

    def slow(**kwargs):
        time.sleep(0.4)
        return terms(**kwargs)

    monkeypatch.setattr(services.enrolment, "addition_terms", slow)


def test_two_concurrent_additions_count_every_member_and_never_add_one_twice(scheme, member, handler, monkeypatch):
    # given the union enrolled (awaiting payment) and three newcomers
    benefit = scheme.benefits.get(kind="inpatient")
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    a, b, c = (make_member(member.org) for _ in range(3))
    _slow_terms(monkeypatch)
    # when two additions run at once: {a, b} and {b, c}
    results = run_together(
        lambda: services.enrolment_add_members(by=handler, enrolment=enrolment, members=[a, b], today=JUNE),
        lambda: services.enrolment_add_members(by=handler, enrolment=enrolment, members=[b, c], today=JUNE),
    )
    # then one wins and the other is refused (b is enrolled already): the count matches the covers
    assert sorted(type(r).__name__ for r in results) == ["EnrolmentAddition", "ValidationError"], results
    enrolment.refresh_from_db()
    assert enrolment.member_count == Cover.objects.filter(enrolment=enrolment).count() == 3


def test_an_addition_during_the_units_payment_confirmation_keeps_its_own_cover_start(
    scheme, member, handler, finance, monkeypatch
):
    # given the union's enrolment awaiting payment
    benefit = scheme.benefits.get(kind="inpatient")
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    newcomer = make_member(member.org)
    _slow_terms(monkeypatch)
    # when finance confirms the unit's premium while the handler adds a newcomer
    results = run_together(
        lambda: services.enrolment_add_members(by=handler, enrolment=enrolment, members=[newcomer], today=JUNE),
        lambda: services.enrolment_confirm_payment(by=finance, enrolment=enrolment, reference="R", on=_at(1, 5)),
    )
    # then both succeed; the unit's members are covered, the newcomer not before the addition's own payment
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Enrolment.objects.get(pk=enrolment.pk).member_count == 2
    assert Cover.objects.get(member=member).starts_on is not None
    assert Cover.objects.get(member=newcomer).starts_on is None
    assert EnrolmentAddition.objects.get().status == Enrolment.Status.AWAITING_PAYMENT


def test_an_addition_locks_the_enrolment_for_update(scheme, member, handler):
    benefit = scheme.benefits.get(kind="inpatient")
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    with CaptureQueriesContext(connection) as ctx:
        services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org)], today=JUNE)
    assert any('FROM "mutual_aid_enrolment"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in ctx.captured_queries)
