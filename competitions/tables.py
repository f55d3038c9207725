"""Rows of the competitions' long lists (see union_portal.rows: why they are written in Python)."""

from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from union_portal.rows import esc, join, labels, url_maker

from .models import Team

# The columns the campaign's team list shows (the org's and enterprise's other columns are not read).
TEAM_FIELDS = (
    "id",
    "campaign_id",
    "name",
    "kind",
    "serious_accident",
    "accident_note",
    "group__name",
    "org__name",
    "enterprise__name",
)


def team_rows(teams: Iterable[Team], *, can_manage: bool) -> SafeString:
    """``<tr>`` per team of a campaign: group, name (a badge after a serious accident), type, union and
    enterprise, judges in the period shown (``judge_count`` when annotated), the accident link for managers."""
    accident = url_maker("competitions:accident_record")
    kinds = labels(Team.Kind.choices)
    veto, record = esc(_("Safety veto")), esc(_("Record accident"))
    return join(
        f"<tr><td>{esc(t.group.name if t.group_id else '')}</td><td>{esc(t.name)}"
        + (
            f' <span class="badge text-bg-danger" title="{esc(t.accident_note)}">{veto}</span>'
            if t.serious_accident
            else ""
        )
        + f"</td>\n<td>{kinds.get(t.kind, esc(t.kind))}</td><td>{esc(t.org.name if t.org_id else '')}"
        + (f" · {esc(t.enterprise.name)}" if t.enterprise_id else "")
        + f"</td><td>{getattr(t, 'judge_count', None) or 0}</td>\n<td>"
        + (
            f'<a class="small text-danger" href="{accident(t.pk)}">{record}</a>'
            if can_manage and not t.serious_accident
            else ""
        )
        + "</td></tr>\n"
        for t in teams
    )
