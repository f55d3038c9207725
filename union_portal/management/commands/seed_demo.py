from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from union_portal.demo import ACCOUNTS

# Dependency order: the foundation first, then the apps that read the roll.
DEMO_MODULES = [
    "union_portal.demo",
    "members.demo",
    "mutual_aid.demo",
    "competitions.demo",
    "awards.demo",
    "union_portal.demo_dashboard",
]


class Command(BaseCommand):
    help = "Load the Keqiao demo data and accounts (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            self.stdout.write(f"seeding {name} ...")
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {settings.DEMO_PASSWORD}):"))
        for username, full_name, role, node in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {full_name}  {role.label if role else '会员 (worker)'} {node or ''}")
