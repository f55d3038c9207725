"""Recreate the embedded SQLite demo database when it was made from migrations that no longer exist.

`make run` calls this before `migrate`. The migrations were rebuilt into one initial migration per app (no
production database existed then); a `db.sqlite3` made before the rebuild records migrations that are gone and
would fail to migrate. It only ever holds demo data, so it is removed and made again, and the user is told.
A PostgreSQL (or any non-SQLite) database is never touched.
"""

import sqlite3
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.migrations.loader import MigrationLoader


def stale_migrations(db_path: Path) -> list[tuple[str, str]]:
    """The (app, name) pairs of the project's own apps recorded as applied in the SQLite file but gone from disk."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        try:
            applied = connection.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.DatabaseError:
            return []  # no migration table yet: a new or empty file, migrate will fill it
    finally:
        connection.close()
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    base = Path(settings.BASE_DIR).resolve()
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and "site-packages" not in Path(config.path).parts
    }
    return sorted((app, name) for app, name in applied if app in ours and (app, name) not in on_disk)


class Command(BaseCommand):
    help = "Remove the SQLite demo database if it was made before the migrations were rebuilt (make run)."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            return
        db_path = Path(database["NAME"])
        if not db_path.exists():
            return
        stale = stale_migrations(db_path)
        if not stale:
            return
        shown = ", ".join(f"{app}.{name}" for app, name in stale[:5]) + (" …" if len(stale) > 5 else "")
        db_path.unlink()
        self.stdout.write(
            self.style.WARNING(
                f"{db_path.name} was made before the migrations were rebuilt ({shown}); it held demo data only, "
                "so it has been removed and will be created again with fresh demo data."
            )
        )
