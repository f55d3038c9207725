import io
import resource
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection

from bench.members_import import ensure_synthetic_members
from members import services
from members.models import Member, MemberExport
from union_portal.models import OrgUnit


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class Command(BaseCommand):
    help = (
        "Benchmark: the district's full roll exported in the background (members.services.roll_export) with N "
        "synthetic members on the roll: prints the build time, the file size and the peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50_000, help="synthetic members to have on the roll")
        parser.add_argument("--full", action="store_true", help="the full export (ID numbers decrypted)")
        parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")

    def handle(self, *args, **options):
        out = self.stdout.write
        if not OrgUnit.objects.filter(code="SX-KQ").exists():
            from members import demo as members_demo
            from union_portal import demo

            demo.seed(stdout=io.StringIO())
            members_demo.seed_enterprises_and_worker(stdout=io.StringIO())
        ensure_synthetic_members(options["members"], log=out)
        admin = get_user_model().objects.get(username="district_admin")
        full = options["full"]
        job = MemberExport.objects.create(by=admin, full=full, file_name="bench.xlsx")
        out(f"database: {connection.vendor}; members on the roll: {Member.objects.count()}; full: {full}")
        rss_before = _rss_mb()
        if options["tracemalloc"]:
            tracemalloc.start()
        started = time.perf_counter()
        services.member_export_job_run(job.pk)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if options["tracemalloc"] else 0
        tracemalloc.stop()
        job.refresh_from_db()
        size = job.file.size if job.file else 0
        out(
            f"rows: {job.total}; build: {seconds:.1f} s; stored file (encrypted): {size / 1e6:.1f} MB; "
            f"Python allocations peak: {peak / 1e6:.0f} MB (0: not traced); "
            f"process peak RSS: {rss_before:.0f} -> {_rss_mb():.0f} MB"
        )
        job.file.delete(save=False)
        job.delete()
