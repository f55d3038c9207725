"""Rows of the funds reports (see union_portal.rows: why they are written in Python)."""

from collections.abc import Iterable

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from members.models import Enterprise
from union_portal.rows import esc, join, url_maker


def collected_rows(enterprises: Iterable[Enterprise]) -> SafeString:
    """``<tr>`` per enterprise of the collected-vs-due report (annotated ``due``, ``collected``, ``difference``;
    ``township`` selected): name (linked, a badge when it has no union), township, the three amounts."""
    detail = url_maker("funds:enterprise_detail")
    no_union = f' <span class="badge text-bg-warning">{esc(_("No union yet"))}</span>'
    return join(
        f'<tr><td><a href="{detail(e.pk)}">{esc(e.name)}</a>{"" if e.union_id else no_union}</td>'
        f"<td>{esc(e.township.name if e.township_id else '')}</td>"
        f'<td class="text-end">{esc(floatformat(e.due, 2))}</td><td class="text-end">{esc(floatformat(e.collected, 2))}</td>\n'
        f'<td class="text-end{" text-danger" if e.difference < 0 else ""}">{esc(floatformat(e.difference, 2))}</td></tr>\n'
        for e in enterprises
    )
