import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.imports import import_file
from union_portal.audit import audit_record
from union_portal.excel import ExcelFileError
from union_portal.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Import members from a spreadsheet (.xlsx, .xls, .xlsb or .ods) into a grassroots union. All or nothing: on any problem, prints one "
        "line per problem (row N, column NAME: message), writes nothing and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--union", required=True, help="code of the grassroots union")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        org = OrgUnit.objects.filter(code=options["union"], kind=OrgUnit.Kind.GRASSROOTS).first()
        if org is None:
            raise CommandError(f"no grassroots union with code {options['union']}")
        try:
            count, errors = import_file(path.read_bytes(), org=org, by=None, dry_run=options["dry_run"], name=path.name)
        except ExcelFileError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        if errors:
            for e in errors:
                self.stderr.write(f"row {e.row}, column {e.column}: {e.message}")
            self.stderr.write(f"{len(errors)} problem(s); nothing was imported.")
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(f"{count} row(s) OK; nothing written (--dry-run).")
            return
        audit_record(actor=None, action="member.import", obj=org, detail={"created": count, "file": path.name})
        self.stdout.write(self.style.SUCCESS(f"{count} member(s) imported into {org.name} ({org.code})."))
