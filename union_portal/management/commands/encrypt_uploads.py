"""Encrypt in place the uploaded files stored before uploads were encrypted at rest (issue 14 M10).

    python manage.py encrypt_uploads --dry-run   # count the plain files, change nothing
    python manage.py encrypt_uploads             # encrypt them

Walks MEDIA_ROOT; a file that is already encrypted is left alone, so the command may run again at any time
(after an interruption, or to check: it then reports 0). Each file is written to a temporary file beside it
and moved over the original, so a crash never leaves half a file. Run it once after deploying the release
that encrypts uploads, as the application's user, with the production FIELD_ENCRYPTION_KEYS in the
environment. The portal reads plain and encrypted files alike meanwhile.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from union_portal.uploads import encrypt_file_bytes, is_encrypted_file


def plain_files(root: Path):
    for dirpath, _dirnames, filenames in os.walk(root):
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_symlink() or not path.is_file():
                continue
            with path.open("rb") as fh:
                head = fh.read(16)
            if not is_encrypted_file(head):
                yield path


def encrypt_in_place(path: Path) -> None:
    data = path.read_bytes()
    if is_encrypted_file(data):
        return
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".encrypting-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encrypt_file_bytes(data))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Encrypt in place the uploaded files under MEDIA_ROOT that are not encrypted yet."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the plain files.")

    def handle(self, *args, dry_run: bool = False, **options):
        root = Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            self.stdout.write(f"{root} does not exist: nothing to encrypt.")
            return
        count = 0
        for path in plain_files(root):
            if not dry_run:
                encrypt_in_place(path)
            count += 1
        verb = "would be encrypted" if dry_run else "encrypted"
        self.stdout.write(self.style.SUCCESS(f"{count} file(s) {verb} under {root}."))
