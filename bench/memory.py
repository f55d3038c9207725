"""Peak memory of one operation, measured in a process of its own: a fresh interpreter (spawned, not forked,
so that none of the benchmark's own data is counted) sets Django up, runs the operation once in a transaction
that is rolled back, and reports its peak resident set (VmHWM), which is what a Celery worker running
the import would need."""

import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.db import connection


def _peak_mb() -> float:
    """The process's peak resident set in MB. Linux: VmHWM, the high-water mark of this program's memory
    (``ru_maxrss`` would also count the parent's peak, which Linux carries across fork and exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _import_in_child(path: str, database: dict, org_code: str, username: str) -> dict:
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].update(database)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from members.imports import import_file
    from union_portal.models import OrgUnit

    org = OrgUnit.objects.get(code=org_code)
    by = get_user_model().objects.get(username=username)
    with open(path, "rb") as upload:
        data = upload.read()
    before = _peak_mb()
    started = time.perf_counter()
    with transaction.atomic():
        created, errors = import_file(data, org=org, by=by)
        transaction.set_rollback(True)
    return {
        "created": created,
        "errors": len(errors),
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "ready_mb": before,
    }


def import_peak(data: bytes, *, org_code: str, username: str) -> dict:
    """Import ``data`` once (rolled back) in a spawned process: {created, errors, seconds, peak_mb (the
    process's peak resident set), ready_mb (its peak with Django set up and the file read, before the
    import)}."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as upload:
        upload.write(data)
    # The same database as this process (a test database has a name of its own).
    database = {k: connection.settings_dict[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            return pool.submit(_import_in_child, upload.name, database, org_code, username).result()
    finally:
        os.unlink(upload.name)
