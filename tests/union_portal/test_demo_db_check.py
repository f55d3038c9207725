"""`make run` recreates a demo SQLite file made before the migrations were rebuilt, and leaves a current one."""

import sqlite3
from io import StringIO

from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings


def _sqlite_with(path, rows):
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE django_migrations (id integer primary key, app text, name text, applied text)")
    connection.executemany("INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')", rows)
    connection.commit()
    connection.close()


def _run(path):
    out = StringIO()
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    with override_settings(DATABASES=databases):
        call_command("demo_db_check", stdout=out)
    return out.getvalue()


def test_demo_db_made_before_the_rebuild_is_removed_and_the_user_told(tmp_path):
    path = tmp_path / "db.sqlite3"
    _sqlite_with(path, [("members", "0001_initial"), ("members", "0099_gone_in_the_rebuild")])
    output = _run(path)
    assert not path.exists()
    assert "members.0099_gone_in_the_rebuild" in output
    assert "created again" in output


def test_current_demo_db_is_kept(tmp_path):
    path = tmp_path / "db.sqlite3"
    current = sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    _sqlite_with(path, current + [("contenttypes", "0099_third_party_not_ours_to_judge")])
    assert _run(path) == ""
    assert path.exists()


def test_missing_or_empty_demo_db_is_left_to_migrate(tmp_path):
    path = tmp_path / "db.sqlite3"
    assert _run(path) == ""
    path.write_bytes(b"")
    assert _run(path) == ""
    assert path.exists()
