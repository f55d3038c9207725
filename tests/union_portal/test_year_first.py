"""Year first (issue 18, past one machine): the audit log's date filter is a range on the time itself (so it reads
the time-first index for those days only, docs/partitioning.md), with the days taken in the portal's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from union_portal.audit import audit_record
from union_portal.filters import AuditLogFilter
from union_portal.models import AuditLog

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _record_at(when: dt.datetime, action: str) -> None:
    with freeze_time(when):
        audit_record(actor=None, action=action, detail={})


def test_the_audit_date_filter_takes_whole_local_days_as_a_range_of_time():
    # given: entries just before, on the first and last instants of, and just after 2 to 3 March (Shanghai time)
    _record_at(dt.datetime(2026, 3, 1, 23, 59, 59, tzinfo=SHANGHAI), "t.before")
    _record_at(dt.datetime(2026, 3, 2, 0, 0, tzinfo=SHANGHAI), "t.first")
    _record_at(dt.datetime(2026, 3, 3, 23, 59, 59, tzinfo=SHANGHAI), "t.last")
    _record_at(dt.datetime(2026, 3, 4, 0, 0, tzinfo=SHANGHAI), "t.after")

    # when
    qs = AuditLogFilter({"since": "2026-03-02", "until": "2026-03-03"}, queryset=AuditLog.objects.all()).qs

    # then: the two days' entries only, and the SQL compares the column itself (no cast of it to a date)
    assert set(qs.filter(action__startswith="t.").values_list("action", flat=True)) == {"t.first", "t.last"}
    sql = str(qs.query)
    assert '"at" >=' in sql and '"at" <' in sql and "::date" not in sql and "AT TIME ZONE" not in sql
