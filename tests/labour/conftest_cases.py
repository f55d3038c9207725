"""Fixtures of the rights-cases tests (labour, part cases): imported by the test modules."""

import pytest

from members.models import Enterprise, Member
from tests.factories.lb_cases import make_lawyer, make_officer


@pytest.fixture
def officer_huashe(tree):
    return make_officer("rights_huashe", tree["KQ-HS"])


@pytest.fixture
def officer_qixian(tree):
    return make_officer("rights_qixian", tree["KQ-QX"])


@pytest.fixture
def officer_district(tree):
    return make_officer("rights_district", tree["SX-KQ"])


@pytest.fixture
def lawyer(tree):
    return make_lawyer("lawyer1", tree["SX-KQ"])


@pytest.fixture
def worker_member(worker):
    return Member.objects.select_related("org", "enterprise").get(user=worker)


@pytest.fixture
def employer(tree):
    """The demo worker's employer (handler's enterprise, union KQ-HS-001)."""
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def employer_qixian(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])
