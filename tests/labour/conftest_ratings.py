"""Fixtures of the harmonious-enterprise rating tests (loaded by the ratings test modules through pytest_plugins:
they are then registered for the whole session, so nothing here is autouse)."""

import pytest


@pytest.fixture
def huashe_firm(tree):
    from members.models import Enterprise

    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qixian_firm(tree):
    from members.models import Enterprise

    return Enterprise.objects.get(union=tree["KQ-QX-001"])


@pytest.fixture
def batch(district_admin, today):
    from tests.factories.lb_ratings import make_batch

    return make_batch(by=district_admin, today=today)
