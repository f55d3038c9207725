"""Uploads on an S3-compatible store (issue 18, past one machine): a claim document goes to the bucket encrypted
and is downloaded through the portal (tests.s3: moto's S3 server)."""

import pytest

from tests.s3 import keys, moto_s3_fixture, s3_fixture, stored  # noqa: F401  (fixtures)

from .conftest import file_claim


@pytest.mark.django_db
def test_a_claim_document_is_stored_in_the_bucket_encrypted_and_downloaded_through_the_portal(
    s3, covered, worker, login
):
    from tests.factories.core import PDF

    # when: a claim is filed with its documents
    claim = file_claim(worker, covered)
    document = claim.documents.first()

    # then: the object is in the bucket, as ciphertext; the portal serves the PDF itself
    assert document.file.name in keys(s3)
    data = stored(s3, document.file.name)
    assert not data.startswith(b"%PDF") and PDF not in data
    response = login(worker).get(f"/mutual-aid/claims/{claim.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
