"""Tasks: harmonious-enterprise ratings. Thin, idempotent, ids only."""

from celery import shared_task


@shared_task(acks_late=True)
def ratings_nightly_task() -> dict:
    """Beat: withdraw titles a missed group-wage-case event should have withdrawn, end expired terms,
    re-evaluate the notices' last days (idempotent)."""
    from ..services.ratings import titles_catch_up

    return titles_catch_up()


@shared_task(acks_late=True)
def titles_withdraw_for_case_task(case_id: int) -> list[int]:
    from ..services.ratings import titles_withdraw_for_case

    return titles_withdraw_for_case(case_id=case_id)
