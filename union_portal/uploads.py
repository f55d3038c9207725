"""Uploaded files: allow-list by content (magic bytes), a size cap, random names outside the web root, and
serving only through views that have already checked permission.

Use in a model:   file = models.FileField(upload_to=RandomUploadTo("mutual_aid/claims"))
In a form/service: kind = check_upload(uploaded, allowed=("pdf", "jpeg", "png"))
In a view (after the scoping check): return serve_protected(fieldfile, download_name="发票.pdf")

Files are read and written through the storage API only (``fieldfile.open()``, ``.save()``, ``.delete()``), never
as paths under MEDIA_ROOT, so that settings.STORAGES["default"] may be an S3-compatible object store
(``union_portal.uploads_s3``, UPLOADS_S3_BUCKET) when the portal runs on more than one machine.

Every stored file is encrypted at rest (issue 14 M10: medical records, ID cards and bank cards): the default
storage is ``EncryptedFileSystemStorage`` (settings.STORAGES), which encrypts on save with the field
encryption keys (union_portal.crypto) and decrypts on open, so ``fieldfile.open()`` and ``serve_protected``
give back the original bytes. Files stored before it are read as they are until ``manage.py
encrypt_uploads`` has encrypted them in place.
"""

import base64
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .crypto import fernet

# kind -> (magic prefixes, extensions, MIME type)
KINDS: dict[str, tuple[tuple[bytes, ...], tuple[str, ...], str]] = {
    "pdf": ((b"%PDF-",), (".pdf",), "application/pdf"),
    "jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg"), "image/jpeg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), (".png",), "image/png"),
    "xlsx": ((b"PK\x03\x04",), (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "xlsx": "Excel (.xlsx)"}


def sniff(head: bytes) -> str | None:
    for kind, (magics, _exts, _mime) in KINDS.items():
        if any(head.startswith(m) for m in magics):
            return kind
    return None


def _check_size(uploaded, max_bytes: int) -> str:
    """The upload's name, once it is known to be neither empty nor larger than ``max_bytes``."""
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if not size:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    return name


def check_upload(uploaded, *, allowed: tuple[str, ...] = ("pdf", "jpeg", "png"), max_bytes: int | None = None) -> str:
    """Return the file's kind, judged by its content; raise ValidationError (Chinese by default) when the
    file is empty, too large, not an allowed kind, or its extension does not match its content."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    name = _check_size(uploaded, max_bytes)
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = sniff(head)
    allowed_text = "、".join(KIND_LABELS[k] for k in allowed)
    if kind not in allowed:
        raise ValidationError(
            _("The file %(name)s is not an accepted type (accepted: %(kinds)s).")
            % {"name": name, "kinds": allowed_text},
            code="bad_type",
        )
    ext = os.path.splitext(name)[1].lower()
    if ext and ext not in KINDS[kind][1]:
        raise ValidationError(
            _("The file %(name)s is not what its extension says: its content is %(kind)s.")
            % {"name": name, "kind": KIND_LABELS[kind]},
            code="mismatch",
        )
    return kind


def check_sheet_upload(uploaded, *, max_bytes: int, accept_csv: bool = False) -> str:
    """Return the kind of an uploaded spreadsheet (xlsx, xlsm, xlsb, xls, ods; csv when ``accept_csv``),
    judged by its content with the reader's own sniffing; raise ValidationError naming what the file is and
    what to save it as (a WPS .et, a PDF, a Word document, a web page with an .xls name...)."""
    from .excel import ExcelFileError
    from .sheets import sniff

    name = _check_size(uploaded, max_bytes)
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        return sniff(data, name=name, accept_csv=accept_csv)
    except ExcelFileError as exc:
        raise ValidationError(str(exc), code="bad_type") from None


@deconstructible
class RandomUploadTo:
    """upload_to: <prefix>/<yyyy>/<mm>/<uuid4><ext>; the user's file name is never used on disk."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lower()[:8]
        today = timezone.localdate()
        return f"{self.prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomUploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def stored_extension(fieldfile) -> str:
    """The extension of a stored file's name, with its dot (".pdf"), as stored; "" when it has none."""
    return os.path.splitext(fieldfile.name)[1]


# What begins an encrypted file on disk; what follows is a Fernet token's bytes (base64-decoded: a third
# smaller than the token's text). No allowed upload kind begins with it, so a legacy plain file is told apart.
ENCRYPTED_MAGIC = b"UPENC1\n"


def encrypt_file_bytes(data: bytes) -> bytes:
    return ENCRYPTED_MAGIC + base64.urlsafe_b64decode(fernet().encrypt(data))


def is_encrypted_file(raw: bytes) -> bool:
    return raw.startswith(ENCRYPTED_MAGIC)


def decrypt_file_bytes(raw: bytes) -> bytes:
    """The original bytes of a stored file; a legacy plain file (not yet encrypted) as it is."""
    if not is_encrypted_file(raw):
        return raw
    token = base64.urlsafe_b64encode(raw[len(ENCRYPTED_MAGIC) :])
    try:
        return fernet().decrypt(token)
    except Exception as exc:  # a wrong key must fail loudly, never serve ciphertext as a document
        raise ValueError("Stored file could not be decrypted with the configured keys.") from exc


class EncryptedStorageMixin:
    """Keeps every file encrypted (Fernet, the field encryption keys, rotatable) in the storage it is mixed
    into: the file system here, an S3-compatible store in ``union_portal.uploads_s3``.

    Files are small (UPLOAD_MAX_BYTES, import limits, a roll export) and are read whole: a file is encrypted and
    decrypted in memory. The stored bytes are ciphertext: read stored files through ``open()`` only (never
    ``path()``, which an object store does not have)."""

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = encrypt_file_bytes(content.read())
        return super()._save(name, ContentFile(data))  # type: ignore[misc]  # django-stubs omit _save

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Stored files are written only through save().")
        with super()._open(name, "rb") as fh:  # type: ignore[misc]  # django-stubs omit _open
            raw = fh.read()
        return ContentFile(decrypt_file_bytes(raw), name=name)

    def size(self, name):
        with self._open(name) as fh:
            return fh.size


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    """The default storage: encrypted files under MEDIA_ROOT (one machine, or a shared mount)."""


def serve_protected(fieldfile, *, download_name: str, inline: bool = True) -> FileResponse:
    """Stream a stored file, decrypted by the storage. Call only after the permission check. Never cached by
    browsers or proxies."""
    ext = os.path.splitext(fieldfile.name)[1].lower()
    mime = next((m for _magic, exts, m in KINDS.values() if ext in exts), "application/octet-stream")
    response = FileResponse(fieldfile.open("rb"), content_type=mime, as_attachment=not inline, filename=download_name)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
