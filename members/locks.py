"""Row locks of the roll (and of enterprises, which funds locks too). Each helper locks its own row only
(``of=("self",)``) and joins what the services read; a service that locks two rows says in which order."""

from collections.abc import Iterable

from .models import (
    Enterprise,
    FoundingApplication,
    JoinApplication,
    Member,
    MemberImport,
    MemberTransfer,
    NumberSequence,
)


def enterprise_for_update(pk: int) -> Enterprise:
    return Enterprise.objects.select_for_update(of=("self",)).select_related("township", "union").get(pk=pk)


def enterprises_for_update(pks: Iterable[int]) -> list[Enterprise]:
    """Several enterprises, locked in primary-key order."""
    return list(
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("township", "union")
        .filter(pk__in=list(pks))
        .order_by("pk")
    )


def founding_application_for_update(pk: int) -> FoundingApplication:
    return FoundingApplication.objects.select_for_update().get(pk=pk)


def member_for_update(pk: int) -> Member:
    return Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=pk)


def transfer_for_update(pk: int) -> MemberTransfer:
    return MemberTransfer.objects.select_for_update().get(pk=pk)


def join_application_for_update(pk: int) -> JoinApplication:
    return JoinApplication.objects.select_for_update().get(pk=pk)


def member_import_for_update(pk: int) -> MemberImport:
    return MemberImport.objects.select_for_update(of=("self",)).select_related("org", "by").get(pk=pk)


def number_sequence_for_update(key: str) -> tuple[NumberSequence, bool]:
    """The counter under ``key``, locked (created at 0 when new); True when it was created."""
    return NumberSequence.objects.select_for_update().get_or_create(key=key)
