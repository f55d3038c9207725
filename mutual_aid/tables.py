"""Rows of the mutual-aid list pages (see union_portal.rows: why they are written in Python)."""

from collections.abc import Iterable

from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from union_portal.rows import esc, join, labels, url_maker

from .models import Claim

# The columns the queue shows: the rest of the claim (bills, bank account, notes) and of the member (encrypted
# ID number, phone, bank account, decrypted on load) is not read.
QUEUE_FIELDS = (
    "id",
    "scheme_id",
    "status",
    "submitted_at",
    "proposed_amount",
    "auto_checks",
    "member__name",
    "member__org__name",
    "benefit__name",
    "first_reviewer__username",
    "first_reviewer__full_name",
    "appeal_reviewer__username",
    "appeal_reviewer__full_name",
)


def queue_rows(rows: Iterable[tuple[Claim, int, list[str]]]) -> SafeString:
    """``<tr>`` per (claim, days waiting, failed checks in words) of the reviewers' queue."""
    detail = url_maker("mutual_aid:claim_detail")
    statuses = labels(Claim.Status.choices)
    first, appeal = esc(_("first")), esc(_("appeal"))
    passed = f'<span class="badge text-bg-success">{esc(_("All checks passed"))}</span>'

    def reviewers(claim: Claim) -> str:
        out = ""
        if claim.first_reviewer_id:
            out += f'<br><small class="text-muted">{first}: {esc(claim.first_reviewer)}</small>'
        if claim.appeal_reviewer_id:
            out += f'<br><small class="text-muted">{appeal}: {esc(claim.appeal_reviewer)}</small>'
        return out

    def findings(problems: list[str]) -> str:
        if not problems:
            return passed
        return "".join(
            f'<span class="badge text-bg-warning text-wrap text-start d-block mb-1">{esc(p)}</span>' for p in problems
        )

    return join(
        f'<tr><td>{days}</td><td><a href="{detail(claim.pk)}">{esc(claim.number)}</a></td>'
        f'<td>{esc(claim.member.name)}<br><small class="text-muted">{esc(claim.member.org.name)}</small></td>'
        f"<td>{esc(claim.benefit.name)}</td>\n"
        f"<td>{statuses.get(claim.status, esc(claim.status))}{reviewers(claim)}</td>\n"
        f'<td class="text-end">{"" if claim.proposed_amount is None else esc(localize(claim.proposed_amount))}</td>\n'
        f"<td>{findings(problems)}</td></tr>\n"
        for claim, days, problems in rows
    )
