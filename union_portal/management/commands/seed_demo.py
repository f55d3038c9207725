import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from union_portal.demo import ACCOUNTS

# Dependency order: the foundation first, then the apps that read the roll.
DEMO_MODULES = [
    "union_portal.demo",
    "members.demo",
    "funds.demo",
    "mutual_aid.demo",
    "competitions.demo",
    "awards.demo",
    "union_portal.demo_dashboard",
]


class Command(BaseCommand):
    help = "Load the Keqiao demo data and accounts (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["keqiao"],
            help="Also generate Keqiao-scale synthetic data (1,000 unions, 400,000 members) for the benchmark. "
            "Runs once per database; PostgreSQL recommended (COPY).",
        )
        parser.add_argument("--members", type=int, default=None, help="With --scale: number of members.")
        parser.add_argument("--unions", type=int, default=None, help="With --scale: number of grassroots unions.")
        parser.add_argument("--seed", type=int, default=2026, help="With --scale: random seed (same seed, same data).")

    def handle(self, *args, **options):
        if options["scale"]:
            from union_portal.bench import generate

            if generate.already_generated():  # refuse before touching anything
                raise CommandError(generate.ALREADY_GENERATED)
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            self.stdout.write(f"seeding {name} ...")
            module.seed(stdout=self.stdout)
        if options["scale"]:
            self._scale(options)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {settings.DEMO_PASSWORD}):"))
        for username, full_name, role, node in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {full_name}  {role.label if role else '会员 (worker)'} {node or ''}")

    def _scale(self, options) -> None:
        from union_portal.bench import generate

        members = options["members"] if options["members"] is not None else generate.DEFAULT_MEMBERS
        unions = options["unions"] if options["unions"] is not None else generate.DEFAULT_UNIONS
        self.stdout.write(f"generating Keqiao-scale data: {unions:,} unions, {members:,} members ...")
        started = time.perf_counter()
        try:
            timings = generate.generate(members=members, unions=unions, seed=options["seed"], stdout=self.stdout)
        except generate.AlreadyGenerated as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Keqiao-scale data generated in {time.perf_counter() - started:.0f}s")
            + "  ("
            + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items() if name != "total")
            + ")"
        )
