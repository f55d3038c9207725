"""The bulk form of the audit log writes the rows audit_record would, in one INSERT."""

import pytest

from union_portal.audit import audit_record, audit_record_many
from union_portal.models import AuditLog

FIELDS = ("actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "result", "ip", "detail")


@pytest.mark.django_db
def test_audit_record_many_writes_what_audit_record_writes(tree, district_admin, django_assert_num_queries):
    node = tree["KQ-HS"]
    rows = [
        {"actor": district_admin, "action": "test.bulk", "obj": node, "detail": {"n": 1}},
        {"actor": None, "action": "test.bulk", "object_type": "x", "object_id": 7, "object_repr": "y" * 300},
    ]
    for row in rows:
        audit_record(**row)
    singles = list(AuditLog.objects.filter(action="test.bulk").order_by("id").values_list(*FIELDS))

    with django_assert_num_queries(1):
        written = audit_record_many(rows)

    assert len(written) == 2
    bulk = list(AuditLog.objects.filter(action="test.bulk").order_by("id").values_list(*FIELDS))[2:]
    assert bulk == singles
    assert singles[0][1] == "district_admin" and singles[1][1] == "" and len(singles[1][5]) == 200


@pytest.mark.django_db
def test_audit_record_many_with_no_rows_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert audit_record_many([]) == []
