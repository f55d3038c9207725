import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Load the demo data (seed_demo), then generate Keqiao-scale synthetic data (1,000 unions, 400,000 "
        "members) for the benchmark. Runs once per database; PostgreSQL recommended (COPY)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["keqiao"], required=True, help="The size of data to generate.")
        parser.add_argument("--members", type=int, default=None, help="Number of members.")
        parser.add_argument("--unions", type=int, default=None, help="Number of grassroots unions.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (same seed, same data).")

    def handle(self, *args, **options):
        from bench import generate

        if generate.already_generated():  # refuse before touching anything
            raise CommandError(generate.ALREADY_GENERATED)
        call_command("seed_demo", stdout=self.stdout)
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
