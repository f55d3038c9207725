"""The members app's list rows: members, the union tree (see union_portal.rows: why they are written in Python)."""

from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from union_portal.crypto import mask_phone
from union_portal.models import OrgUnit
from union_portal.rows import badge, esc, join, labels, url_maker

from .models import Member


def member_rows(members: Iterable[Member]) -> SafeString:
    """``<tr>`` per member: number and name linked to the detail, badges, sex, union, job, masked mobile,
    joined on, status. The members need ``org`` selected."""
    detail = url_maker("members:member_detail")
    sexes, statuses = labels(Member.Sex.choices), labels(Member.Status.choices)
    frontline = badge("text-bg-light", _("Frontline"))
    migrant = badge("text-bg-light", _("Migrant"))
    hardship = badge("text-bg-warning", _("Hardship"))
    return join(
        f'<tr><td><a href="{detail(m.pk)}"><code>{esc(m.member_number)}</code></a></td>'
        f'<td><a href="{detail(m.pk)}">{esc(m.name)}</a> '
        f"{frontline if m.is_frontline else ''}{migrant if m.is_migrant else ''}{hardship if m.is_hardship else ''}</td>"
        f"<td>{sexes.get(m.sex, esc(m.sex))}</td><td>{esc(m.org.name)}</td><td>{esc(m.job)}</td>"
        f'<td class="font-monospace">{esc(mask_phone(m.mobile))}</td>'
        f"<td>{m.joined_on.isoformat() if m.joined_on else ''}</td><td>{statuses.get(m.status, esc(m.status))}</td></tr>\n"
        for m in members
    )


def org_rows(nodes: Iterable[OrgUnit]) -> SafeString:
    """``<tr>`` per union of the tree list: name (linked, indented by depth), code, type, status."""
    detail = url_maker("members:org_detail")
    kinds, statuses = labels(OrgUnit.Kind.choices), labels(OrgUnit.Status.choices)
    return join(
        f'<tr><td class="tree-indent-{int(n.depth)}"><a href="{detail(n.pk)}">{esc(n.name)}</a></td>'
        f"<td><code>{esc(n.code)}</code></td>\n"
        f"<td>{kinds.get(n.kind, esc(n.kind))}</td><td>{statuses.get(n.status, esc(n.status))}</td></tr>\n"
        for n in nodes
    )
