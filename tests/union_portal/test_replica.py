"""The read replica (issue 18, past one machine): the dashboard refresh, roll exports and funds reports read from
the ``replica`` alias inside ``replica_reads()``; writes, locks and reads inside a write transaction never do, and
the replica's connection refuses a write. In the tests the alias is a TEST MIRROR of default (same database, its
own read-only connection), so these tests commit (transaction=True) for the replica to see the data."""

import pytest
from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext

from members.models import Member
from union_portal.models import OrgUnit
from union_portal.replica import REPLICA, read_alias, replica_reads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=["default", REPLICA])]


@pytest.fixture(autouse=True)
def _replica_on(settings):
    settings.DATABASE_REPLICA_READS = True


def _capture_both():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections[REPLICA])


def test_reads_go_to_the_replica_only_inside_replica_reads(tree):
    primary, replica = _capture_both()

    with primary, replica:
        outside = OrgUnit.objects.count()
        with replica_reads():
            inside = OrgUnit.objects.count()

    assert inside == outside > 0  # the replica sees the committed tree
    assert len(replica.captured_queries) == 1 and "COUNT" in replica.captured_queries[0]["sql"]
    assert len(primary.captured_queries) == 1


def test_without_the_setting_everything_reads_from_the_primary(tree, settings):
    settings.DATABASE_REPLICA_READS = False
    primary, replica = _capture_both()

    with primary, replica, replica_reads():
        OrgUnit.objects.count()

    assert (len(primary.captured_queries), len(replica.captured_queries)) == (1, 0)


def test_writes_and_locks_inside_replica_reads_go_to_the_primary(tree):
    primary, replica = _capture_both()
    union = OrgUnit.objects.get(code="KQ-HS-001")

    with primary, replica, replica_reads():
        read = OrgUnit.objects.get(pk=union.pk)  # from the replica
        read.name = read.name + "（改）"
        read.save(update_fields=["name"])  # a row read from the replica is saved on the primary
        with transaction.atomic():
            assert read_alias() == "default"  # a read in a write transaction must see its own writes
            locked = OrgUnit.objects.select_for_update().get(pk=union.pk)
            assert locked.name.endswith("（改）")

    assert read._state.db == "default"
    replica_sql = [q["sql"] for q in replica.captured_queries]
    assert len(replica_sql) == 1 and replica_sql[0].startswith("SELECT")
    primary_sql = [q["sql"] for q in primary.captured_queries]
    assert any(sql.startswith("UPDATE") for sql in primary_sql)
    assert any("FOR UPDATE" in sql for sql in primary_sql)


def test_the_replica_connection_refuses_a_write(tree):
    union = OrgUnit.objects.get(code="KQ-HS-001")

    with pytest.raises(DatabaseError, match="read-only transaction"):
        OrgUnit.objects.using(REPLICA).filter(pk=union.pk).update(name="x")

    assert OrgUnit.objects.get(pk=union.pk).name != "x"


def test_the_dashboard_refresh_reads_from_the_replica_and_writes_to_the_primary(tree, make_member):
    from dashboard.figures import refresh_figures
    from dashboard.models import FigureSnapshot

    make_member()
    primary, replica = _capture_both()

    with primary, replica:
        run = refresh_figures(metrics=["members.total"])

    assert run.rows > 0 and FigureSnapshot.objects.filter(metric="members.total").count() == run.rows
    assert replica.captured_queries and all(q["sql"].startswith("SELECT") for q in replica.captured_queries)
    assert any("member" in q["sql"] for q in replica.captured_queries)
    assert any("INSERT" in q["sql"] and "figuresnapshot" in q["sql"] for q in primary.captured_queries)


def test_a_background_roll_export_reads_the_members_from_the_replica(tree, make_member, handler, settings, tmp_path):
    from members.services import roll_export

    settings.MEDIA_ROOT = tmp_path / "media"
    make_member()
    job = roll_export.MemberExport.objects.create(by=handler, full=False, filters={}, total=1, file_name="r.xlsx")
    primary, replica = _capture_both()

    with primary, replica:
        roll_export.member_export_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == job.Status.DONE and job.processed >= 1
    members = f'FROM "{Member._meta.db_table}"'  # not "members_memberexport", the job's own table
    assert any(members in q["sql"] for q in replica.captured_queries)
    assert not any(members in q["sql"] for q in primary.captured_queries)


@pytest.mark.parametrize("name", ["report_collected", "report_allocation"])
def test_the_funds_reports_read_from_the_replica(tree, login, handler, name):
    from django.urls import reverse

    client = login(handler)
    primary, replica = _capture_both()

    with primary, replica:
        response = client.get(reverse(f"funds:{name}"))

    assert response.status_code == 200
    assert any('"funds_' in q["sql"] for q in replica.captured_queries)
    assert not any('FROM "funds_' in q["sql"] for q in primary.captured_queries)
