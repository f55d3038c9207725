"""Who may see and run a competition."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from competitions.permissions import can_manage, get_campaign_for, get_team_for, is_judge


def test_the_district_admin_runs_the_campaign(merit, district_admin):
    campaign, teams = merit
    assert can_manage(district_admin, campaign)
    assert get_campaign_for(district_admin, campaign.pk, for_change=True) == campaign
    assert get_team_for(district_admin, teams["A"].pk, for_change=True) == teams["A"]


def test_a_reviewer_of_the_district_sees_it_but_may_not_run_it(merit, reviewer1):
    campaign, _teams = merit
    assert get_campaign_for(reviewer1, campaign.pk) == campaign
    with pytest.raises(PermissionDenied):
        get_campaign_for(reviewer1, campaign.pk, for_change=True)


def test_township_staff_below_the_organiser_get_404(merit, huashe_staff):
    campaign, _teams = merit
    with pytest.raises(Http404):
        get_campaign_for(huashe_staff, campaign.pk)


def test_a_judge_and_anonymous_get_404(merit, judge1):
    campaign, _teams = merit
    assert is_judge(judge1) and not can_manage(judge1, campaign)
    for user in (judge1, AnonymousUser()):
        with pytest.raises(Http404):
            get_campaign_for(user, campaign.pk)
