"""The core's own rules: who may publish a survey, and which roles a manager may grant where."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from union_portal.permissions import grantable_roles
from union_portal.roles import Role
from union_portal.surveys import services
from union_portal.surveys.permissions import can_create_surveys, can_manage_survey, get_survey_for


@pytest.fixture
def survey(tree, district_admin):
    return services.survey_create(by=district_admin, owner=tree["SX-KQ"], title="t", service="s", questions=["q"])


def test_the_admin_of_the_owner_manages_the_survey(survey, district_admin, city_admin):
    assert can_manage_survey(district_admin, survey) and can_manage_survey(city_admin, survey)
    assert get_survey_for(district_admin, survey.pk, for_change=True) == survey


def test_township_staff_neither_create_nor_open_a_survey_for_change(survey, huashe_staff):
    assert not can_create_surveys(huashe_staff) and not can_manage_survey(huashe_staff, survey)
    with pytest.raises(Http404):
        get_survey_for(huashe_staff, survey.pk)


def test_a_worker_and_anonymous_get_404(survey, worker):
    for user in (worker, AnonymousUser()):
        with pytest.raises(Http404):
            get_survey_for(user, survey.pk)


def test_managers_grant_within_their_subtree_only(tree, district_admin, huashe_staff, handler):
    assert Role.CITY_ADMIN not in grantable_roles(district_admin, tree["KQ-HS"])
    assert Role.REVIEWER in grantable_roles(district_admin, tree["KQ-HS"])
    assert grantable_roles(huashe_staff, tree["KQ-HS-001"]) == {Role.HANDLER}
    assert grantable_roles(huashe_staff, tree["KQ-QX-001"]) == set()
    assert grantable_roles(handler, tree["KQ-HS-001"]) == set()
