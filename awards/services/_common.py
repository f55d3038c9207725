"""Helpers the awards services share: telling the nominator of a decision."""

from union_portal.notifications import notify

from ..models import Nomination


def _tell_nominator(nomination: Nomination, event: str, title: str, body: str = "") -> None:
    notify(
        user=nomination.created_by,
        event_key=f"awards.nomination.{nomination.pk}.{event}",
        title=title,
        body=body or title,
        link=nomination.get_absolute_url(),
    )
