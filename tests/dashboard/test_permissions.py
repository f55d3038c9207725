"""Who may see the dashboard, run an assessment and enter its items."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from dashboard import services
from dashboard.permissions import can_assess, can_enter_for, can_see_dashboard, get_scheme_for


@pytest.fixture
def scheme(tree, district_admin):
    return services.scheme_create(by=district_admin, owner=tree["SX-KQ"], title="乡镇工会年度考核", period="2026")


def test_the_district_admin_runs_their_assessment(scheme, district_admin, city_admin):
    assert can_assess(district_admin, scheme) and can_assess(city_admin, scheme)
    assert get_scheme_for(district_admin, scheme.pk, for_change=True) == scheme


def test_township_staff_enter_for_their_township_only_and_do_not_open_the_scheme(tree, scheme, huashe_staff):
    assert can_see_dashboard(huashe_staff) and not can_assess(huashe_staff, scheme)
    assert can_enter_for(huashe_staff, tree["KQ-HS"]) and not can_enter_for(huashe_staff, tree["KQ-QX"])
    with pytest.raises(Http404):
        get_scheme_for(huashe_staff, scheme.pk)


def test_a_handler_a_worker_and_anonymous_see_no_dashboard(scheme, handler, worker):
    for user in (handler, worker, AnonymousUser()):
        assert not can_see_dashboard(user)
        with pytest.raises(Http404):
            get_scheme_for(user, scheme.pk)
