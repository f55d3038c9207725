import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def peak_memory() -> dict:
    """Peak resident memory (MB) of this process and of its waited-for children (ru_maxrss, KB on Linux), and the
    database's size on disk (PostgreSQL)."""
    figures = {
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            figures["database_mb"] = cursor.fetchone()[0] / 2**20
    return figures


class Command(BaseCommand):
    help = (
        "Load the demo data (seed_demo), then generate synthetic data for the benchmark: Keqiao scale (1,000 "
        "unions, 400,000 members) or city scale (ten such districts: 4,000,000 members, 1,000,000 claims). "
        "Runs once per database (city: resumes with the next district); PostgreSQL recommended (COPY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["keqiao", "city"], required=True, help="The size of data to generate.")
        parser.add_argument("--members", type=int, default=None, help="Number of members (per district).")
        parser.add_argument("--unions", type=int, default=None, help="Number of grassroots unions (per district).")
        parser.add_argument("--districts", type=int, default=None, help="City scale: number of districts (10).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")
        parser.add_argument(
            "--jobs", type=int, default=1, help="City scale: districts generated at once, by worker processes."
        )
        parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)  # district indexes, for --jobs

    def handle(self, *args, **options):
        from bench import generate

        city = options["scale"] == "city"
        members = options["members"] if options["members"] is not None else generate.DEFAULT_MEMBERS
        unions = options["unions"] if options["unions"] is not None else generate.DEFAULT_UNIONS
        districts = options["districts"] or generate.CITY_DISTRICTS
        if city and options["worker"] is not None:  # one of --jobs' processes: its districts, nothing else
            only = {int(k) for k in options["worker"].split(",")}
            generate.generate_city(
                districts=districts, members=members, unions=unions, seed=options["seed"], stdout=self.stdout,
                only=only, analyze=False,
            )  # fmt: skip
            return
        if not city and generate.already_generated():  # refuse before touching anything
            raise CommandError(generate.ALREADY_GENERATED)
        if not (city and generate.demo_tree_present()):  # a city run resumes on its own demo data
            call_command("seed_demo", stdout=self.stdout)
        started = time.perf_counter()
        if city and options["jobs"] > 1:
            timings = self._city_in_parallel(options, districts=districts, members=members, unions=unions)
        elif city:
            self.stdout.write(
                f"generating city-scale data: {districts} districts of {unions:,} unions, {members:,} members ..."
            )
            timings = generate.generate_city(
                districts=districts, members=members, unions=unions, seed=options["seed"], stdout=self.stdout
            )
        else:
            self.stdout.write(f"generating Keqiao-scale data: {unions:,} unions, {members:,} members ...")
            try:
                timings = generate.generate(members=members, unions=unions, seed=options["seed"], stdout=self.stdout)
            except generate.AlreadyGenerated as exc:
                raise CommandError(str(exc)) from None
        memory = peak_memory()  # the workers of --jobs are waited-for children
        self.stdout.write(
            self.style.SUCCESS(
                f"{'City' if city else 'Keqiao'}-scale data generated in {time.perf_counter() - started:.0f}s"
            )
            + "  ("
            + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items() if name != "total")
            + ")"
        )
        self.stdout.write(
            f"peak memory: {memory['peak_rss_mb']:.0f} MB (process), {memory['peak_rss_children_mb']:.0f} MB "
            "(children)" + (f"; database size {memory['database_mb']:,.0f} MB" if "database_mb" in memory else "")
        )

    def _city_in_parallel(self, options, *, districts: int, members: int, unions: int) -> dict:
        """The districts still to generate dealt round-robin to ``--jobs`` worker processes (this command with
        ``--worker``), each district in its own transaction and id block; then sequences and statistics."""
        from bench import generate

        pending = generate.prepare_city(districts)
        jobs = min(options["jobs"], len(pending)) or 1
        shares = [pending[i::jobs] for i in range(jobs)]
        self.stdout.write(
            f"generating city-scale data: {len(pending)} of {districts} districts of {unions:,} unions, "
            f"{members:,} members, {jobs} worker processes: {shares}"
        )
        self.stdout.flush()
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        command = [sys.executable, manage, "bench_seed", "--scale", "city", "--districts", str(districts),
                   "--members", str(members), "--unions", str(unions), "--seed", str(options["seed"])]  # fmt: skip
        workers = [
            subprocess.Popen([*command, "--worker", ",".join(map(str, share))])  # noqa: S603 - our own command
            for share in shares
            if share
        ]
        failed = [w.args[-1] for w in workers if w.wait() != 0]
        if failed:
            raise CommandError(f"the workers for districts {failed} failed (see above); run again to resume")
        return {"sequences and analyze": generate.finish_city()}
