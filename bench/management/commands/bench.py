import datetime as dt
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

SYNTHETIC_ONLY_LIMIT = 100  # more members than the demo's but no synthetic data: not a benchmark database


class Command(BaseCommand):
    help = (
        "Benchmark the portal against Keqiao-scale data on PostgreSQL: prints a table and writes "
        "bench/results.json. Generates the data first (bench_seed --scale keqiao) when it is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="Timed runs per page operation (default 20).")
        parser.add_argument("--heavy-runs", type=int, default=3, help="Runs of the 50,000-row import (default 3).")
        parser.add_argument("--seconds", type=float, default=15.0, help="Duration of each throughput load (s).")
        parser.add_argument("--only", nargs="*", help="Run only operations whose name contains one of these words.")
        parser.add_argument("--output", default=self._default_output)
        parser.add_argument("--no-generate", action="store_true", help="Fail instead of generating missing data.")
        parser.add_argument("--markdown", action="store_true", help="Also print the table as Markdown (README).")
        parser.add_argument(
            "--compare-database",
            metavar="URL",
            help="Time each page on this database and on DATABASE_URL's in alternation (e.g. the city scale vs "
            "Keqiao's), print both medians side by side and the dashboard's full refresh on each.",
        )

    def handle(self, *args, **options):
        from bench import bench_settings, generate, operations  # noqa: F401 - registers them
        from bench.runner import Bench, markdown_table, run_operations, text_table, write_results

        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs against PostgreSQL: set DATABASE_URL=postgres://…/<bench db>.")
        if settings.DEBUG:
            self.stderr.write(
                "Warning: DEBUG is on (query logging, template debug): figures are not comparable. "
                "Use bench/bench.env (README, Performance)."
            )
        if options["compare_database"]:
            self._compare(options)
            return
        self._ensure_data(generate, no_generate=options["no_generate"])

        started = dt.datetime.now(dt.UTC)
        bench = Bench(
            runs=options["runs"], heavy_runs=options["heavy_runs"], seconds=options["seconds"], stdout=self.stdout
        )
        data = self._data_summary()
        self.stdout.write(
            f"Benchmark on {connection.settings_dict['NAME']}: "
            + ", ".join(f"{value:,} {key}" for key, value in data.items())
        )
        t0 = time.perf_counter()
        try:
            with override_settings(**bench_settings()):
                results = run_operations(bench, only=options["only"])
        finally:
            bench.close()
        output = Path(options["output"])
        document = write_results(
            output,
            results,
            data=data,
            started=started,
            options={"runs": bench.runs, "heavy_runs": bench.heavy_runs, "seconds": bench.seconds},
        )
        machine = document["machine"]
        self.stdout.write("")
        self.stdout.write(text_table(results))
        self.stdout.write("")
        self.stdout.write(
            f"Machine: {machine['cpu_count']} × {machine['cpu_model']}, {machine['memory_gb']} GB, "
            f"Python {machine['python']}, {machine['database']}; load {machine['load_average_1_5_15']}; "
            f"{started:%Y-%m-%d %H:%M} UTC; "
            f"{time.perf_counter() - t0:.0f}s. Written to {output}."
        )
        if options["markdown"]:
            self.stdout.write("")
            self.stdout.write(markdown_table(results))

    def _compare(self, options) -> None:
        import json

        from bench import bench_settings
        from bench.compare import compare, text

        self.stdout.write(
            f"Comparing {connection.settings_dict['NAME']} (A) with {options['compare_database']} (B) ..."
        )
        with override_settings(**bench_settings()):
            result = compare(options["compare_database"], runs=options["runs"], out=self.stdout)
        self.stdout.write("")
        self.stdout.write(text(result))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        self.stdout.write(f"Medians of {options['runs']} runs each, A and B in alternation; load {load}.")
        if options["output"] != self._default_output:
            Path(options["output"]).write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )

    _default_output = str(Path(settings.BASE_DIR) / "bench" / "results.json")

    def _ensure_data(self, generate, *, no_generate: bool) -> None:
        from django.db.migrations.executor import MigrationExecutor

        from members.models import Member

        tables = connection.introspection.table_names()
        members = Member.objects.count() if Member._meta.db_table in tables else 0
        if members > SYNTHETIC_ONLY_LIMIT and not generate.already_generated():
            raise CommandError(
                f"This database holds {members:,} members but no Keqiao-scale synthetic data: it does not look "
                "like a benchmark database. Point DATABASE_URL at an empty database (e.g. up_bench)."
            )
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stdout.write(f"Applying {len(plan)} migrations to the benchmark database ...")
            call_command("migrate", interactive=False, verbosity=0)
        if generate.already_generated():
            return
        if no_generate:
            raise CommandError("No Keqiao-scale data: run `manage.py bench_seed --scale keqiao` first.")
        self.stdout.write("No Keqiao-scale data yet: generating it first (about 7 minutes on 2 cores).")
        call_command("bench_seed", scale="keqiao", stdout=self.stdout)

    @staticmethod
    def _data_summary() -> dict:
        from members.models import Enterprise, Member, MemberEvent
        from union_portal.models import OrgUnit

        return {
            "members": Member.objects.count(),
            "grassroots unions": OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS).count(),
            "org units": OrgUnit.objects.count(),
            "enterprises": Enterprise.objects.count(),
            "membership events": MemberEvent.objects.count(),
            **Command._domain_counts(),
        }

    @staticmethod
    def _domain_counts() -> dict:
        """Rows of the domain apps the generator fills (apps not installed are left out)."""
        from django.apps import apps

        counts = {}
        for label, model in (
            ("claims", "mutual_aid.Claim"),
            ("competition teams", "competitions.Team"),
            ("competition scores", "competitions.Score"),
            ("nominations", "awards.Nomination"),
        ):
            try:
                counts[label] = apps.get_model(model).objects.count()
            except LookupError:
                continue
        return counts
