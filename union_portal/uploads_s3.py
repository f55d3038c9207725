"""Uploads in an S3-compatible object store (issue 18, past one machine): settings.STORAGES["default"] when
UPLOADS_S3_BUCKET is set. django-storages' S3Storage with the portal's encryption at rest, so the object store
(a cloud provider's, MinIO...) holds ciphertext only, as the file system does. Objects are private: the portal
serves them itself after the permission check (``uploads.serve_protected``), never by a signed URL."""

from storages.backends.s3 import S3Storage

from .uploads import EncryptedStorageMixin


class EncryptedS3Storage(EncryptedStorageMixin, S3Storage):
    pass
