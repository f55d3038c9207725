"""Issue 14 M10: personal data encrypted at rest. Staff mobiles, notification addresses (members' phones) and
founding applicants' phones are ciphertext in the database (the migrations encrypt the rows already there);
uploaded documents are ciphertext on disk, served decrypted after the permission check; files stored
before are encrypted in place by `manage.py encrypt_uploads`."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

from members.models import Enterprise, FoundingApplication
from tests.factories.core import PDF, pdf
from union_portal.models import Delivery, Notification, User
from union_portal.notifications import notify


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  (our own names)
        return cursor.fetchone()[0]


def _write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_members_phone_in_the_deliveries_table_is_ciphertext(tree, worker):
    # when: a notification goes out by SMS to a member's phone
    notification = notify(user=worker, event_key="t-crypt-1", title="T", body="B", phone="13812345678")

    # then: the database holds ciphertext; the sender still reads the number
    delivery = Delivery.objects.get(notification=notification, channel=Delivery.Channel.SMS)
    assert "13812345678" not in _raw("union_portal_delivery", "address", delivery.pk)
    assert delivery.address == "13812345678"
    assert "5678" in str(delivery) and "13812345678" not in str(delivery)


def test_a_staff_mobile_is_ciphertext(tree, handler):
    handler.mobile = "13912345678"
    handler.save(update_fields=["mobile"])

    assert "13912345678" not in _raw("union_portal_user", "mobile", handler.pk)
    assert User.objects.get(pk=handler.pk).mobile == "13912345678"


def _migration(app_label: str, suffix: str):
    """The migration module (found by its name's suffix: numbers change when branches merge) and the models
    as its data step sees them (the columns widened to plain text, not yet encrypted fields)."""
    loader = MigrationLoader(connection)
    (key,) = [k for k in loader.disk_migrations if k[0] == app_label and k[1].endswith(suffix)]
    previous = next(dep for dep in loader.graph.node_map[key].parents if dep.key[0] == app_label)
    module = importlib.import_module(f"{app_label}.migrations.{key[1]}")
    # The data step runs after the migration widened the columns to plain text: apply the operations before it
    # (on PostgreSQL a bulk update casts to the field's type, so the narrow column would cut the ciphertext).
    state = loader.project_state(previous.key)
    for operation in loader.disk_migrations[key].operations:
        if isinstance(operation, migrations.RunPython):
            break
        operation.state_forwards(app_label, state)
    return module, state.apps


def test_a_founding_applicants_phone_is_ciphertext(tree, login, huashe_staff, media):
    firm = Enterprise.objects.get(name="绍兴华舍经编有限公司")
    login(huashe_staff).post(
        "/members/founding/new/",
        {
            "uscc": firm.uscc,
            "union_name": "绍兴华舍经编有限公司工会",
            "chair_name": "钱一",
            "meeting_date": "2026-02-01",
            "member_count": 50,
            "election_result": pdf(),
            "applicant_name": "钱一",
            "applicant_phone": "13900001234",
        },
    )
    application = FoundingApplication.objects.get(enterprise=firm)

    assert "13900001234" not in _raw("members_foundingapplication", "applicant_phone", application.pk)
    assert FoundingApplication.objects.get(pk=application.pk).applicant_phone == "13900001234"


def test_the_migrations_encrypt_the_rows_already_stored(tree, handler, worker):
    # given: rows written in plain text before the release (as the old CharField columns held them)
    notification = Notification.objects.create(user=worker, event_key="t-crypt-2", title="T", body="B")
    delivery = Delivery.objects.create(notification=notification, channel=Delivery.Channel.SMS, address="x")
    _write_raw("union_portal_delivery", "address", delivery.pk, "13800005555")
    _write_raw("union_portal_user", "mobile", handler.pk, "13900006666")

    # when: the data step of the migration runs (with the models as the migration sees them)
    core, apps = _migration("union_portal", "_trust_crypt")
    core.encrypt_rows(apps, None)
    core.encrypt_rows(apps, None)  # a re-run (after an interruption) changes nothing

    # then: ciphertext in the database, the same numbers through the models
    assert "13800005555" not in _raw("union_portal_delivery", "address", delivery.pk)
    assert Delivery.objects.get(pk=delivery.pk).address == "13800005555"
    assert User.objects.get(pk=handler.pk).mobile == "13900006666"

    # and the reverse migration gives the plain numbers back
    core.decrypt_rows(apps, None)
    assert _raw("union_portal_user", "mobile", handler.pk) == "13900006666"


def test_the_founding_migration_encrypts_the_phones_already_stored(tree, media):
    from tests.factories.members import FoundingApplicationFactory

    application = FoundingApplicationFactory(enterprise=Enterprise.objects.get(name="绍兴华舍经编有限公司"))
    _write_raw("members_foundingapplication", "applicant_phone", application.pk, "13700007777")

    migration, apps = _migration("members", "_founding_applicant_phone_encrypted")
    migration.encrypt_rows(apps, None)

    assert "13700007777" not in _raw("members_foundingapplication", "applicant_phone", application.pk)
    assert FoundingApplication.objects.get(pk=application.pk).applicant_phone == "13700007777"


def _founding_with_file(tree):
    from tests.factories.members import FoundingApplicationFactory

    return FoundingApplicationFactory(enterprise=Enterprise.objects.get(name="绍兴华舍经编有限公司"))


def test_an_uploaded_document_is_ciphertext_on_disk_and_served_decrypted(tree, media, login, huashe_staff):
    # when: a document is uploaded (here the founding election result, a PDF)
    application = _founding_with_file(tree)

    # then: the file on disk is not the PDF; the permission-checked view serves the PDF itself
    on_disk = (media / application.election_result.name).read_bytes()
    assert not on_disk.startswith(b"%PDF") and PDF not in on_disk
    response = login(huashe_staff).get(f"/members/founding/{application.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Length"] == str(len(PDF))


def test_encrypt_uploads_encrypts_files_stored_before_in_place(tree, media, login, huashe_staff):
    # given: a document stored in plain text before the release (still served meanwhile)
    application = _founding_with_file(tree)
    path = media / application.election_result.name
    path.write_bytes(PDF)
    client = login(huashe_staff)
    assert b"".join(client.get(f"/members/founding/{application.pk}/file/").streaming_content) == PDF

    # when: the command runs (a dry run first changes nothing)
    call_command("encrypt_uploads", "--dry-run")
    assert path.read_bytes() == PDF
    call_command("encrypt_uploads")
    once = path.read_bytes()
    call_command("encrypt_uploads")  # idempotent

    # then: ciphertext on disk, the same document served
    assert not once.startswith(b"%PDF") and path.read_bytes() == once
    assert b"".join(client.get(f"/members/founding/{application.pk}/file/").streaming_content) == PDF


def test_an_encrypted_file_read_with_the_wrong_key_fails_loudly(tree, media, settings):
    from cryptography.fernet import Fernet

    application = _founding_with_file(tree)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="could not be decrypted"):
        FoundingApplication.objects.get(pk=application.pk).election_result.open("rb")
