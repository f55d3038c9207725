"""Rows of the nominations list (see union_portal.rows: why they are written in Python)."""

from collections.abc import Iterable

from django.utils.safestring import SafeString

from union_portal.rows import esc, join, labels, url_maker

from .models import Nomination

# The columns the list shows: a nomination's deeds, files and review notes, and the round's settings, are not read.
NOMINATION_FIELDS = ("id", "candidate_name", "unit_name", "status", "award_type__name", "org__name", "round_id")


def nomination_rows(nominations: Iterable[Nomination]) -> SafeString:
    """``<tr>`` per nomination: candidate (linked), unit, award type, nominating union, stage."""
    detail = url_maker("awards:nomination_detail")
    statuses = labels(Nomination.Status.choices)
    return join(
        f'<tr><td><a href="{detail(n.pk)}">{esc(n.candidate_name)}</a></td><td>{esc(n.unit_name)}</td>'
        f"<td>{esc(n.award_type.name)}</td><td>{esc(n.org.name)}</td>"
        f'<td><span class="badge text-bg-secondary">{statuses.get(n.status, esc(n.status))}</span></td></tr>\n'
        for n in nominations
    )
