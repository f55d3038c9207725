from django.conf import settings
from django.core.management.base import BaseCommand

from union_portal.appmodules import app_modules
from union_portal.demo import ACCOUNTS


def demo_modules() -> tuple:
    """``<app>.demo`` of every installed project app, in INSTALLED_APPS order: the core's tree and accounts
    first, then each app after the apps it reads (members, then funds, mutual aid, competitions, awards, then
    the dashboard, whose figures include everything seeded before it)."""
    return tuple(app_modules("demo"))


class Command(BaseCommand):
    help = (
        "Load the Keqiao demo data and accounts: runs each installed app's demo.py in dependency order "
        "(idempotent: running it twice changes nothing)."
    )

    def handle(self, *args, **options):
        for module in demo_modules():
            self.stdout.write(f"seeding {module.__name__} ...")
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {settings.DEMO_PASSWORD}):"))
        for username, full_name, role, node in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {full_name}  {role.label if role else '会员 (worker)'} {node or ''}")
