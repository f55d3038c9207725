"""Fast inserts of many rows of one model: PostgreSQL COPY through psycopg 3, batched ``bulk_create`` on other
databases (SQLite in tests).

Rows are dicts of plain Python values keyed by field attname (``org_id``, not ``org``); primary keys are given
by the caller (ids are allocated with :func:`next_ids`, so later steps can refer to rows without reading them
back). Fields missing from a row take their default; ``auto_now``/``auto_now_add`` fields take ``now``;
encrypted fields are encrypted here exactly as the model field would do it.

The rows iterable must not query the database: on PostgreSQL the connection is busy with the COPY while it is
being consumed (a query from inside it would wait forever)."""

import contextlib
from collections.abc import Callable, Iterable, Iterator

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from union_portal.crypto import EncryptedTextField, encrypt

BATCH = 2000


_ID_BLOCK: range | None = None


@contextlib.contextmanager
def id_block(block: range) -> Iterator[None]:
    """Inside, :func:`next_ids` hands out keys from ``block`` only (after the largest already in it): two
    processes generating at once in blocks of their own never pick the same keys."""
    global _ID_BLOCK
    previous, _ID_BLOCK = _ID_BLOCK, block
    try:
        yield
    finally:
        _ID_BLOCK = previous


def next_ids(model: type[models.Model], count: int) -> range:
    """``count`` fresh primary keys after the largest in the table, or in the current :func:`id_block` (call
    :func:`reset_sequences` after)."""
    if _ID_BLOCK is None:
        start = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        return range(start, start + count)
    taken = model.objects.filter(pk__gte=_ID_BLOCK.start, pk__lt=_ID_BLOCK.stop).aggregate(m=Max("pk"))["m"]
    start = max(_ID_BLOCK.start, 1) if taken is None else taken + 1
    if start + count > _ID_BLOCK.stop:
        raise RuntimeError(f"{model.__name__}: {count:,} keys do not fit in the id block {_ID_BLOCK}")
    return range(start, start + count)


def reset_sequences(*models_: type[models.Model]) -> None:
    """Move the id sequences past the rows inserted with explicit ids (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _converter(field: models.Field) -> Callable | None:
    if isinstance(field, EncryptedTextField):
        return lambda value: encrypt(value) if value else value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _fill(model: type[models.Model], provided: Iterable[str]) -> dict:
    """Values for the concrete fields a row does not give: defaults, ``now`` for auto dates."""
    now = timezone.now()
    fill = {}
    for field in model._meta.concrete_fields:
        if field.attname in provided:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fill[field.attname] = now
        elif field.has_default():
            fill[field.attname] = field.get_default()
        elif field.null:
            fill[field.attname] = None
        elif field.blank and isinstance(field, (models.CharField, models.TextField)):
            fill[field.attname] = ""
        else:
            raise ValueError(f"{model.__name__}.{field.attname} needs a value: it has no default.")
    return fill


def insert_rows(
    model: type[models.Model],
    rows: Iterable[dict],
    *,
    on_row: Callable[[], None] | None = None,
    prepared: bool = False,
) -> int:
    """Insert ``rows`` (dicts by attname, all with the same keys) into ``model``'s table. Returns the count.
    Runs in the caller's transaction. ``prepared``: the values are already as stored (encrypted), PostgreSQL
    only: the COPY then does nothing but load them."""
    iterator = iter(rows)
    try:
        first = next(iterator)
    except StopIteration:
        return 0
    keys = list(first)
    fill = _fill(model, keys)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = keys + list(fill)

    def all_rows():
        yield first
        yield from iterator

    if connection.vendor == "postgresql":
        converters = [None if prepared else _converter(fields[name]) for name in keys]
        fill_values = [fields[name].get_db_prep_save(value, connection) for name, value in fill.items()]
        quoted = ", ".join(connection.ops.quote_name(fields[name].column) for name in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"  # noqa: S608
        connection.ensure_connection()
        count = 0
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in all_rows():
                values = [
                    row[name] if conv is None else conv(row[name]) for name, conv in zip(keys, converters, strict=True)
                ]
                copy.write_row(values + fill_values)
                count += 1
                if on_row is not None:
                    on_row()
        return count

    if prepared:
        raise ValueError("prepared rows can only be loaded with PostgreSQL COPY")
    count = 0
    batch: list[models.Model] = []
    for row in all_rows():
        batch.append(model(**row, **fill))
        count += 1
        if on_row is not None:
            on_row()
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
    return count
