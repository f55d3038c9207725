"""Time the tax authority import (preview and post) of N rows, then roll everything back.

python manage.py bench_funds --rows 2000     (needs the demo accounts: run seed_demo first)"""

import io
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from openpyxl import Workbook

from funds.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, funds_import_post, funds_import_preview
from members.models import Enterprise
from union_portal.identity import make_uscc
from union_portal.models import OrgUnit


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the union funds import (preview + post) on generated enterprises; leaves no data behind."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)

    def handle(self, *args, rows: int, **options):
        try:
            with transaction.atomic():
                self._run(rows)
                raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back")

    def _run(self, rows: int) -> None:
        township = OrgUnit.objects.get(code="KQ-HS")
        union = OrgUnit.objects.get(code="KQ-HS-001")
        firms = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=f"压测企业{i}",
                    uscc=make_uscc(900000 + i),
                    township=township,
                    union=union if i % 3 else None,
                    employee_count=50,
                )
                for i in range(rows)
            ]
        )
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(IMPORT_REQUIRED + IMPORT_OPTIONAL)
        for firm in firms:
            sheet.append([firm.uscc, "2026-03", "300000.00", "6000.00", "2026-04-15", firm.name, ""])
        buffer = io.BytesIO()
        workbook.save(buffer)
        finance = get_user_model().objects.get(username="finance")
        start = time.perf_counter()
        batch, errors = funds_import_preview(by=finance, data=buffer.getvalue(), filename="bench.xlsx")
        preview = time.perf_counter() - start
        if errors:
            self.stdout.write(f"{len(errors)} errors, e.g. {errors[0]}")
            return
        start = time.perf_counter()
        posted = funds_import_post(by=finance, batch=batch)
        post = time.perf_counter() - start
        self.stdout.write(f"import of {rows} rows: preview {preview:.1f} s, post {post:.1f} s ({posted} posted)")
