"""Who may see an enterprise's funds, record them and reverse a collection."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from funds.permissions import can_administer, can_record_for, can_view_enterprise, get_enterprise_for


def test_township_staff_record_for_their_townships_enterprise(hs_firm, huashe_staff):
    assert can_view_enterprise(huashe_staff, hs_firm) and can_record_for(huashe_staff, hs_firm)
    assert get_enterprise_for(huashe_staff, hs_firm.pk, for_change=True) == hs_firm


def test_staff_of_another_township_get_404(hs_firm, qixian_staff):
    assert not can_view_enterprise(qixian_staff, hs_firm)
    with pytest.raises(Http404):
        get_enterprise_for(qixian_staff, hs_firm.pk)


def test_the_unions_handler_sees_the_funds_but_does_not_record_them(hs_firm, handler):
    assert get_enterprise_for(handler, hs_firm.pk) == hs_firm
    with pytest.raises(PermissionDenied):
        get_enterprise_for(handler, hs_firm.pk, for_change=True)


def test_a_worker_and_anonymous_get_404(hs_firm, worker):
    for user in (worker, AnonymousUser()):
        with pytest.raises(Http404):
            get_enterprise_for(user, hs_firm.pk)


def test_only_finance_and_district_admins_administer_the_ledger(tree, finance, district_admin, huashe_staff):
    assert can_administer(finance, tree["KQ-HS"]) and can_administer(district_admin, tree["KQ-HS"])
    assert not can_administer(huashe_staff, tree["KQ-HS"])
