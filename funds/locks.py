"""Row locks of union funds. Enterprises are members' rows: lock them with ``members.locks``; a service that
locks an enterprise and one of its rows here takes the enterprise first."""

from .models import FundsCollection, FundsImportBatch, JournalEntry


def journal_entry_for_update(pk: int) -> JournalEntry:
    return JournalEntry.objects.select_for_update().get(pk=pk)


def collection_for_update(pk: int) -> FundsCollection:
    return FundsCollection.objects.select_for_update().select_related("entry").get(pk=pk)


def import_batch_for_update(pk: int) -> FundsImportBatch:
    return FundsImportBatch.objects.select_for_update().get(pk=pk)
