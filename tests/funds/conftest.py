import datetime as dt
from decimal import Decimal

import pytest

from members.models import Enterprise
from tests import clock

# The year of the funds test data (declarations, collections, dues): last year, wholly in the past on any test date.
YEAR = clock.last_year()


@pytest.fixture
def hs_firm(tree):
    """The unionised enterprise of handler's union (华舍, KQ-HS-001)."""
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qx_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])


@pytest.fixture
def hs_no_union(tree):
    """绍兴华舍经编有限公司: 66 staff, no union yet, in 华舍."""
    return Enterprise.objects.get(name="绍兴华舍经编有限公司")


@pytest.fixture
def march():
    return dt.date(YEAR, 3, 1)


@pytest.fixture
def collect(finance):
    from funds.services import collection_record

    def _collect(enterprise, period, amount, by=None, **kwargs):
        return collection_record(
            by=by or finance,
            enterprise=enterprise,
            period=period,
            amount=Decimal(amount),
            collected_on=kwargs.pop("collected_on", period + dt.timedelta(days=40)),
            **kwargs,
        )

    return _collect
