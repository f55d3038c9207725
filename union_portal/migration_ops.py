"""Migration operations shared by the apps' migrations.

``AddIndexConcurrently`` (PostgreSQL) builds an index without locking the table against writes, which is
what a table of millions of rows needs on a live portal; SQLite (``make run``) has no such thing and builds it
the plain way. A migration using it sets ``atomic = False`` (CREATE INDEX CONCURRENTLY cannot run in a
transaction)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class AddIndexConcurrentlyWherePossible(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
