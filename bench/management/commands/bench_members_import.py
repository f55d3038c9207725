import io
import os
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bench.members_import import build_xlsx, ensure_synthetic_members, read_scenarios
from members.imports import check_rows, read_file, store_rows
from members.models import Member
from union_portal.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Benchmark: import an N-row generated .xlsx into a fresh union on the configured database and print the "
        "validation and store times; with --members, first make sure that many synthetic members exist and time "
        "a township's first list page and searches."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--members", type=int, default=0, help="synthetic members to have on the roll first")
        parser.add_argument("--township", default="KQ-HS", help="township whose staff view is timed")
        parser.add_argument("--keep", action="store_true", help="keep the imported rows (default: roll back)")

    def handle(self, *args, **options):
        out = self.stdout.write
        if not OrgUnit.objects.filter(code="SX-KQ").exists():
            from members import demo as members_demo
            from union_portal import demo

            demo.seed(stdout=io.StringIO())
            members_demo.seed_enterprises_and_worker(stdout=io.StringIO())
        out(f"database: {connection.vendor}")
        if options["members"]:
            started = time.perf_counter()
            added = ensure_synthetic_members(options["members"], log=out)
            out(
                f"synthetic members: {added} added in {time.perf_counter() - started:.1f} s; "
                f"{Member.objects.count()} members on the roll"
            )
            self._reads(options["township"])
        if options["rows"]:
            self._import(options["rows"], keep=options["keep"])

    def _import(self, rows: int, *, keep: bool):
        out = self.stdout.write
        started = time.perf_counter()
        data = build_xlsx(rows, offset=int(time.time()) % 100 * 100_000)
        out(f"built a {rows}-row file ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        township = OrgUnit.objects.get(code="KQ-HS")
        code = f"BENCH-IMP-{int(time.time())}"
        try:
            with transaction.atomic():
                union = OrgUnit.objects.add_child(
                    township, {"code": code, "name": "导入基准工会", "kind": "grassroots"}
                )
                d0 = _db_backend_cpu()
                t0, c0 = time.perf_counter(), time.process_time()
                table = read_file(data)
                t1, c1 = time.perf_counter(), time.process_time()
                checked, errors = check_rows(table, org=union)
                t2, c2 = time.perf_counter(), time.process_time()
                if errors:
                    raise RuntimeError(f"generated file has problems: {errors[:5]}")
                store_rows(by=None, org=union, rows=checked)
                t3, c3 = time.perf_counter(), time.process_time()
                d3 = _db_backend_cpu()
                out(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared; wall time grows with it)")
                out("                   wall      CPU of this process")
                out(f"read + parse cells: {t1 - t0:6.2f} s  {c1 - c0:6.2f} s")
                out(f"check rows:        {t2 - t1:6.2f} s  {c2 - c1:6.2f} s")
                out(f"validation total:  {t2 - t0:6.2f} s  {c2 - c0:6.2f} s")
                out(f"store (COPY/bulk): {t3 - t2:6.2f} s  {c3 - c2:6.2f} s")
                out(f"import total:      {t3 - t0:6.2f} s  {c3 - c0:6.2f} s for {len(checked)} rows")
                if d0 is not None and d3 is not None:
                    out(
                        f"database backend CPU during the import: {d3 - d0:.2f} s "
                        f"(process + database CPU: {c3 - c0 + d3 - d0:.2f} s)"
                    )
                if not keep:
                    raise _Rollback
        except _Rollback:
            out("rolled back (use --keep to keep the rows)")

    def _reads(self, township_code: str):
        from django.contrib.auth import get_user_model

        from union_portal.roles import Role

        User = get_user_model()
        township = OrgUnit.objects.get(code=township_code)
        user, _created = User.objects.get_or_create(username=f"bench_{township_code.lower()}")
        user.assignments.get_or_create(role=Role.TOWNSHIP_STAFF, node=township)
        user = User.objects.get(pk=user.pk)
        self.stdout.write(f"reads as township staff of {township.name} (first page = 51 rows fetched):")
        for label, seconds, queries, rows in read_scenarios(user, township):
            self.stdout.write(f"  {label:<48} {seconds * 1000:8.1f} ms  {queries} queries  {rows} rows")


def _db_backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (when the server runs on this machine)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Rollback(Exception):
    pass
