"""Who may see and change a nomination, answer an objection and see the objector's phone in full (every
reveal audited, as a member's ID number is)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from awards import services
from awards.permissions import (
    can_answer_objection,
    can_manage_round,
    can_nominate,
    get_nomination_for,
    get_objection_for,
    get_round_for,
)
from union_portal.models import AuditLog
from union_portal.notices.models import Objection

from .test_views import on_notice  # noqa: F401  (fixture)


@pytest.fixture
def nomination(tree, handler, make_member, nominate):
    return nominate(handler, make_member(tree["KQ-HS-001"]))


@pytest.fixture
def objection(on_notice, sms_code):  # noqa: F811
    from django.test import Client
    from django.urls import reverse

    Client().post(
        reverse("awards:public_objection", args=[on_notice.pk]),
        {"name": "赵六", "phone": "13957511111", "code": sms_code("objection", "13957511111"), "content": "事迹不实"},
    )
    return Objection.objects.get()


def test_the_nominating_handler_may_change_their_nomination(nomination, handler):
    assert can_nominate(handler, nomination.org)
    assert get_nomination_for(handler, nomination.pk, for_change=True) == nomination


def test_a_handler_of_another_union_gets_404(nomination, handler_qixian):
    with pytest.raises(Http404):
        get_nomination_for(handler_qixian, nomination.pk)


def test_the_city_admin_sees_the_nomination_but_may_not_change_it(nomination, city_admin):
    assert get_nomination_for(city_admin, nomination.pk) == nomination
    with pytest.raises(PermissionDenied):
        get_nomination_for(city_admin, nomination.pk, for_change=True)


def test_anonymous_gets_404(nomination):
    with pytest.raises(Http404):
        get_nomination_for(AnonymousUser(), nomination.pk)


def test_only_the_district_admin_manages_the_round(award_round, district_admin, huashe_staff):
    assert can_manage_round(district_admin, award_round)
    assert get_round_for(huashe_staff, award_round.pk) == award_round
    with pytest.raises(PermissionDenied):
        get_round_for(huashe_staff, award_round.pk, for_change=True)


def test_the_district_admin_answers_objections_township_staff_do_not_see_them(objection, district_admin, huashe_staff):
    assert can_answer_objection(district_admin, objection)
    assert get_objection_for(district_admin, objection.pk, for_change=True) == objection
    assert not can_answer_objection(huashe_staff, objection)
    with pytest.raises(Http404):
        get_objection_for(huashe_staff, objection.pk)


def test_revealing_the_objectors_phone_is_audited(objection, district_admin):
    assert services.objection_reveal_phone(by=district_admin, objection=objection) == "13957511111"
    assert AuditLog.objects.filter(action="awards.reveal", result="ok", actor=district_admin).count() == 1


@pytest.mark.parametrize("username", ["huashe_staff", "handler", "city_admin"])
def test_the_service_refuses_a_phone_reveal_without_the_right_and_audits_the_refusal(objection, username):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.get(username=username)
    with pytest.raises(PermissionDenied):
        services.objection_reveal_phone(by=outsider, objection=objection)
    assert AuditLog.objects.filter(action="awards.reveal", result="denied", actor=outsider).count() == 1
    assert not AuditLog.objects.filter(action="awards.reveal", result="ok").exists()
