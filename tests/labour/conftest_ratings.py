"""Fixtures of the harmonious-enterprise rating tests (imported by the ratings test modules)."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
