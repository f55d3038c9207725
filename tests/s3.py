"""An S3-compatible store for the upload tests (issue 18, past one machine): moto's S3 server on this branch's
port, and the portal's default storage switched to the encrypted S3 storage on a fresh bucket.

    from tests.s3 import keys, moto_s3_fixture, s3_fixture, stored  # noqa: F401  (fixtures)
"""

import boto3
import pytest
from moto.server import ThreadedMotoServer

BUCKET = "union-portal-test"
PORT = 8143  # this branch's port range (8141-8149)
KEYS = {"access_key": "testing", "secret_key": "testing"}  # moto accepts any


@pytest.fixture(scope="module", name="moto_s3")
def moto_s3_fixture():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{PORT}"
    server.stop()


@pytest.fixture(name="s3")
def s3_fixture(moto_s3, settings, tmp_path):
    """The portal's default storage is the encrypted S3 storage on a fresh bucket; MEDIA_ROOT points at an
    empty directory that must stay empty. Returns a boto3 client to look at the bucket."""
    client = boto3.client(
        "s3",
        endpoint_url=moto_s3,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "union_portal.uploads_s3.EncryptedS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": moto_s3,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in objects:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert not (tmp_path / "media").exists()  # nothing on the web machine's disk


def stored(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def keys(client) -> set[str]:
    return {obj["Key"] for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
