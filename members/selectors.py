"""Every read of the members app that a view or API needs."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.core import signing
from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Collate

from union_portal import identity, membership, tree
from union_portal.models import OrgUnit
from union_portal.roles import REVEAL_ROLES, SUBTREE_ROLES
from union_portal.scoping import get_in_scope_or_404, scope, scope_paths

from .models import (
    Enterprise,
    FoundingApplication,
    JoinApplication,
    Member,
    MemberEvent,
    MemberImport,
    MemberTransfer,
    MobileRecoveryRequest,
)
from .permissions import ROLL_ROLES


def org_unit_list(*, user, root: OrgUnit | None = None, kind: str = "", search: str = "") -> QuerySet[OrgUnit]:
    qs = scope(OrgUnit.objects.all(), user)
    if root is not None:
        qs = qs.filter(tree.subtree_q(root))
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search) | qs.filter(code__iexact=search)
    return qs.order_by("path")


def org_unit_get(*, user, pk: int) -> OrgUnit:
    return get_in_scope_or_404(OrgUnit.objects.all(), user, pk=pk)


def member_status_events(*, member_id, on) -> tuple[QuerySet, QuerySet]:
    """The two reads of the membership events that decide a member's status on a date: the status the last
    event on or before ``on`` moved to, and the status the first later event moved from (each a one-column
    queryset, nearest first). ``member_id`` and ``on`` may be values or ``OuterRef``s, so a list can read
    them as subqueries (slice ``[:1]``)."""
    before = (
        MemberEvent.objects.filter(member_id=member_id, effective_on__lte=on)
        .exclude(to_status="")
        .order_by("-effective_on", "-id")
        .values_list("to_status", flat=True)
    )
    after = (
        MemberEvent.objects.filter(member_id=member_id, effective_on__gt=on)
        .exclude(from_status="")
        .order_by("effective_on", "id")
        .values_list("from_status", flat=True)
    )
    return before, after


def member_status_on(
    *,
    member: Member,
    on: dt.date,
    read: tuple[Callable[[], str | None], Callable[[], str | None]] | None = None,
) -> str | None:
    """The member's status on a past date (None: not yet a member then). Reads the membership events; a
    member with no events is taken to have held their current status since ``joined_on``. ``read``: what
    the two reads of ``member_status_events`` gave, when the caller read them already (as subqueries);
    by default they are queried here, the second only when the first finds nothing."""
    if on < member.joined_on:
        return None
    if read is None:
        before, after = member_status_events(member_id=member.pk, on=on)
        read = (before.first, after.first)
    return read[0]() or read[1]() or member.status


# --- the roll ---------------------------------------------------------------------------------------------

# The default ("unit"): union by union (tree order), member number within a union: what a staff member reads
# a township's roll by, and the order of the index (org_path, member_number), so that any subtree's first page
# reads one page of index rows whatever the size of the district. The other orders are chosen explicitly.
MEMBER_SORTS = {
    "unit": ("org_path", "member_number"),
    "number": ("member_number",),
    "-number": ("-member_number",),
    "name": ("name", "member_number"),
    "-joined": ("-joined_on", "-member_number"),
    "joined": ("joined_on", "member_number"),
}
# KQ2026000001 (members.numbers); KQS00000001 (the benchmark's synthetic members)
MEMBER_NUMBER_RE = re.compile(r"^[A-Z]{2,3}\d{4,}$")
ID_LIKE_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_LIKE_RE = re.compile(r"^1\d{10}$")


@dataclass
class MemberFilters:
    q: str = ""
    org: OrgUnit | None = None  # subtree root
    status: str = ""
    frontline: bool | None = None
    migrant: bool | None = None
    hardship: bool | None = None
    sort: str = "unit"


def member_search_q(q: str) -> Q | None:
    """One exact, indexed condition per kind of query: a full ID number (HMAC), a mobile (HMAC), a member
    number; None for a name (``member_name_search``)."""
    text = q.strip()
    upper = identity.normalize_id_number(text)
    if ID_LIKE_RE.match(upper):
        return Q(id_number_hash=identity.id_number_hash(upper))
    mobile = identity.normalize_mobile(text)
    if MOBILE_LIKE_RE.match(mobile):
        return Q(mobile_hash=identity.mobile_hash(mobile))
    if MEMBER_NUMBER_RE.match(upper):
        return Q(member_number=upper)
    return None


def member_name_search(qs: QuerySet[Member], text: str) -> QuerySet[Member]:
    """Members whose name starts with ``text`` (a Chinese name is searched from the surname), in name order,
    then union by union. On PostgreSQL the name is compared in the C collation, so that the B-tree index
    (name COLLATE "C", org_path, member_number) serves the prefix, the subtree and the order together: the
    first page reads about one page of index rows whatever the size of the roll (a contains search through
    the trigram index read every member of the district sharing a common character)."""
    if connection.vendor == "postgresql":
        qs = qs.alias(name_c=Collate("name", "C")).filter(name_c__startswith=text)
        return qs.order_by("name_c", "org_path", "member_number")
    return qs.filter(name__startswith=text).order_by("name", "org_path", "member_number")


def member_list(*, user, filters: MemberFilters | None = None) -> QuerySet[Member]:
    """Members the staff user may see, filtered and sorted; no COUNT: page it with union_portal.paging.
    Encrypted ID and bank columns are deferred (the list shows the masked phone only). A name search reads
    in name order unless another order than the default is asked for (``member_name_search``)."""
    f = filters or MemberFilters()
    qs = scope(Member.objects.all(), user, roles=SUBTREE_ROLES, include_owner=False)
    if f.org is not None:
        qs = qs.filter(tree.subtree_path_q(f.org, field="org_path"))
    if f.status:
        qs = qs.filter(status=f.status)
    for field, value in (("is_frontline", f.frontline), ("is_migrant", f.migrant), ("is_hardship", f.hardship)):
        if value is not None:
            qs = qs.filter(**{field: value})
    qs = qs.select_related("org").defer("id_number", "bank_account")
    order = MEMBER_SORTS.get(f.sort, MEMBER_SORTS["unit"])
    text = f.q.strip()
    if text:
        exact = member_search_q(text)
        if exact is None:
            named = member_name_search(qs, text)
            return named if f.sort == "unit" else named.order_by(*order)
        qs = qs.filter(exact)
    return qs.order_by(*order)


def member_export_list(*, user, filters: MemberFilters | None = None, full: bool = False) -> QuerySet[Member]:
    """The members a roll export holds: those of ``member_list``; for a ``full`` export (full ID numbers and
    phones) only those in the subtrees where the user holds a REVEAL role (whose full data they may see
    one by one), with the encrypted columns read. Members elsewhere in the user's scope are left out of a
    full export, not masked in it: the file holds only people the user may see in full."""
    qs = member_list(user=user, filters=filters)
    if full:
        qs = scope(qs, user, roles=REVEAL_ROLES, include_owner=False).defer(None)
    return qs


def member_export_count(*, user, filters: MemberFilters | None = None, full: bool = False, limit: int) -> int:
    """How many members an export would hold, counted no further than ``limit`` + 1 (one bounded query):
    enough to tell a small export, written in the request, from one built in the background."""
    return member_export_list(user=user, filters=filters, full=full).order_by()[: limit + 1].count()


def member_list_paths(*, user, filters: MemberFilters | None = None) -> list[str]:
    """The subtrees ``member_list`` covers for these filters. A full export records them in its audit row
    (``detail["paths"]``), so each member's own page can list the full exports that held them
    (``member_access_log``)."""
    f = filters or MemberFilters()
    return [f.org.path] if f.org is not None else scope_paths(user, SUBTREE_ROLES)


def member_export_paths(*, user, filters: MemberFilters | None = None, full: bool = False) -> list[str]:
    """The subtrees an export covers (``member_list_paths``; for a ``full`` export only where they meet the
    subtrees in which the user holds a REVEAL role, as ``member_export_list`` reads them)."""
    paths = member_list_paths(user=user, filters=filters)
    if not full:
        return paths
    reveal = scope_paths(user, REVEAL_ROLES)
    return sorted({a if a.startswith(b) else b for a in paths for b in reveal if a.startswith(b) or b.startswith(a)})


def member_events(*, member: Member) -> QuerySet[MemberEvent]:
    return member.events.select_related("by", "from_org", "to_org").order_by("-effective_on", "-id")


def member_of_user(*, user, holding_only: bool = False) -> Member | None:
    """The member record linked to the login, typed for the apps: ``union_portal.membership.member_of_user``."""
    return cast("Member | None", membership.member_of_user(user=user, holding_only=holding_only))


CARD_SALT = "members.card"


def card_token(member: Member) -> str:
    """The signed card number, bound to the membership's status and union when the card was shown: a
    status change or a transfer makes every earlier QR code invalid (the member opens the card again)."""
    return signing.Signer(salt=CARD_SALT).sign(f"{member.member_number}.{member.status}.{member.org_id}")


CARD_CODE_SALT = "members.card.short"
CARD_CODE_MAC_LENGTH = 10  # base32 characters: 50 bits of the HMAC
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _BASE36[rest] + digits
        if not number:
            return digits


def _card_mac(member_pk: int, status: str, org_id: int) -> str:
    import base64

    from django.utils.crypto import salted_hmac

    digest = salted_hmac(CARD_CODE_SALT, f"{member_pk}.{status}.{org_id}", algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:CARD_CODE_MAC_LENGTH].lower()


def card_code(member: Member) -> str:
    """The card's short code for the QR code and the link under it (``/v/<code>``): the record's number in
    base 36 and a short HMAC of it with the membership's status and union, so that, like the long token, a
    status change or a transfer makes every earlier code invalid. Short enough to type and to scan."""
    return _base36(member.pk) + _card_mac(member.pk, member.status, member.org_id)


def member_from_card_code(code: str) -> Member | None:
    """The member whose card shows this code now (valid), or None: a code never issued, tampered with, or
    issued before the membership's status or union changed."""
    from django.utils.crypto import constant_time_compare

    code = code.strip().lower()
    number, mac = code[:-CARD_CODE_MAC_LENGTH], code[-CARD_CODE_MAC_LENGTH:]
    if not number or len(number) > 13 or any(ch not in _BASE36 for ch in number):
        return None
    member = Member.objects.select_related("org").filter(pk=int(number, 36)).first()
    if member is None or member.status not in Member.HOLDING_STATUSES:
        return None
    if not constant_time_compare(mac, _card_mac(member.pk, member.status, member.org_id)):
        return None
    return member


def card_verify_url(member: Member) -> str:
    """The public URL in the card's QR code (SITE_URL: the address phones can reach): the short link. The
    long signed-token links shown before it keep working (``member_from_card_token``)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse("card:verify", args=[card_code(member)])


def member_from_card_token(token: str) -> tuple[Member | None, bool]:
    """(the member, whether the card is valid now) for a card token; (None, False) for a forged one. A card
    is valid while the membership is held with the status and in the union it was issued for."""
    try:
        value = signing.Signer(salt=CARD_SALT).unsign(token)
    except signing.BadSignature:
        return None, False
    number, _sep, issued_for = value.partition(".")
    member = Member.objects.select_related("org").filter(member_number=number).first()
    if member is None:
        return None, False
    valid = member.status in Member.HOLDING_STATUSES and issued_for == f"{member.status}.{member.org_id}"
    return member, valid


def staff_grassroots_unions(*, user, roles=None) -> QuerySet[OrgUnit]:
    """Grassroots unions in the user's scope (for pickers)."""
    return scope(OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS, status=OrgUnit.Status.ACTIVE), user, roles=roles)


def org_by_code_in_scope(*, user, code: str, roles=None) -> OrgUnit | None:
    return scope(OrgUnit.objects.all(), user, roles=roles).filter(code=code.strip()).first()


# --- enterprises, founding, joining, transfers ----------------------------------------------------------


def enterprise_list(
    *, user, q: str = "", without_union: bool = False, min_staff: int | None = None
) -> QuerySet[Enterprise]:
    qs = scope(Enterprise.objects.all(), user, include_owner=False)
    if q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__contains=text) | Q(uscc=text.upper()))
    if without_union:
        qs = qs.filter(union__isnull=True)
    if min_staff is not None:
        qs = qs.filter(employee_count__gte=min_staff)
    return qs.select_related("township", "union").order_by("name", "id")


def enterprise_get(*, user, pk: int) -> Enterprise:
    return get_in_scope_or_404(Enterprise.objects.select_related("township", "union"), user, pk=pk)


def enterprises_to_join(*, q: str, limit: int = 20) -> list[Enterprise]:
    """Unionised enterprises matching a name (for a worker looking for their union); public data."""
    text = q.strip()
    if not text:
        return []
    return list(
        Enterprise.objects.filter(name__contains=text, union__isnull=False, union__status=OrgUnit.Status.ACTIVE)
        .select_related("union")
        .order_by("name")[:limit]
    )


def founding_list(*, user, status: str = "") -> QuerySet[FoundingApplication]:
    qs = scope(FoundingApplication.objects.all(), user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("enterprise", "township", "union").order_by("-created_at", "-id")


def founding_get(*, user, pk: int) -> FoundingApplication:
    return get_in_scope_or_404(
        FoundingApplication.objects.select_related("enterprise", "township", "union", "decided_by"), user, pk=pk
    )


def join_list(*, user, status: str = "") -> QuerySet[JoinApplication]:
    qs = scope(JoinApplication.objects.all(), user, roles=SUBTREE_ROLES, include_owner=False)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("org").defer("id_number").order_by("-created_at", "-id")


def join_get(*, user, pk: int) -> JoinApplication:
    return get_in_scope_or_404(JoinApplication.objects.select_related("org", "enterprise", "member"), user, pk=pk)


def joins_of_user(*, user) -> QuerySet[JoinApplication]:
    return JoinApplication.objects.filter(user=user).select_related("org").order_by("-created_at", "-id")


def transfer_list(*, user, status: str = "") -> QuerySet[MemberTransfer]:
    """Transfers into or out of the user's subtree. What of the member a row may show is
    ``transfer_shows_member``'s to say."""
    paths = scope_paths(user, SUBTREE_ROLES)
    qs = MemberTransfer.objects.filter(
        tree.subtree_q(*paths, field="to_org") | tree.subtree_q(*paths, field="from_org")
    )
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("member__org", "from_org", "to_org", "escalated_to", "join_application")
        .defer("join_application__id_number")
        .order_by("-created_at", "-id")
    )


def transfer_shows_member(*, user, transfer: MemberTransfer) -> bool:
    """Whether the user may see who a transfer is about (and from which union): only when the member's union
    now lies in their subtree. Until the move, the receiving union sees nothing of the member: not the name,
    the member number or the releasing union, only its own join application (C1, M9). No query once
    ``member__org`` is loaded."""
    return any(tree.is_within(transfer.member.org, path) for path in scope_paths(user, SUBTREE_ROLES))


def transfer_get(*, user, pk: int) -> MemberTransfer:
    transfer = transfer_list(user=user).filter(pk=pk).first()
    if transfer is None:
        from django.http import Http404

        raise Http404
    return transfer


def member_transfers(*, member: Member) -> QuerySet[MemberTransfer]:
    return member.transfers.select_related("from_org", "to_org").order_by("-created_at", "-id")


# --- What was done with a member's data (PIPL art. 44–45), for the member's own page ----------------------

# Audit actions a member is shown, by what they mean to the member.
ACCESS_REVEAL = "members.reveal"
ACCESS_EXPORT = "members.export"
ACCESS_TRANSFER = (
    "member.transfer_request",
    "member.transfer_release",
    "member.transfer_accept",
    "member.transfer_reject",
    "member.transfer_escalate",
)


@dataclass(frozen=True)
class AccessEntry:
    at: dt.datetime
    action: str  # an audit action; the page words it
    field: str  # the field revealed ("" otherwise)
    by_role: str  # the staff member's role, worded ("" for the system)
    by_union: str  # the union they act for ("" for the system)


def member_access_log(*, member: Member, limit: int = 200) -> list[AccessEntry]:
    """Who revealed the member's full data, exported it in full, or moved their membership, and when: read
    from the audit log, newest first. Staff are shown as role and union (the assignment nearest above the
    member's union), never by account name. A full export counts when the subtrees it covered (its audit
    row's ``paths``) held one of the unions the member has been in. Three queries."""
    from union_portal.models import AuditLog, RoleAssignment

    org_paths = {member.org.path} | {
        path for pair in member.transfers.values_list("from_org__path", "to_org__path") for path in pair
    }
    covering = {anc for path in org_paths for anc in tree.ancestor_paths(path, include_self=True)}
    about_member = Q(object_type="members.member", object_id=str(member.pk)) & (
        Q(action=ACCESS_REVEAL) | Q(action__in=ACCESS_TRANSFER)
    )
    full_exports = Q(action=ACCESS_EXPORT, detail__full=True)
    # Full exports are few (a REVEAL role, a reason, an audit row each); those before the member was on the
    # roll cannot have held them.
    rows = (
        AuditLog.objects.filter(about_member | full_exports, result=AuditLog.Result.OK, at__gte=member.created_at)
        .order_by("-at", "-id")
        .values("at", "action", "actor_id", "detail")
        .iterator(chunk_size=500)
    )
    entries = []
    for row in rows:
        detail = row["detail"] or {}
        if row["action"] == ACCESS_EXPORT and not set(detail.get("paths") or []) & covering:
            continue
        entries.append(row)
        if len(entries) == limit:
            break
    actor_ids = {entry["actor_id"] for entry in entries if entry["actor_id"]}
    assignments: dict[int, list] = {}
    for assignment in (
        RoleAssignment.objects.filter(user_id__in=actor_ids).select_related("node").order_by("-node__depth")
    ):
        assignments.setdefault(assignment.user_id, []).append(assignment)

    def _who(actor_id):
        held = assignments.get(actor_id) or []
        nearest = next((a for a in held if any(tree.is_within(p, a.node.path) for p in org_paths)), None)
        chosen = nearest or (held[0] if held else None)
        if chosen is None:
            return "", ""
        return chosen.get_role_display(), chosen.node.name

    result = []
    for entry in entries:
        role, union = _who(entry["actor_id"]) if entry["actor_id"] else ("", "")
        field = (entry["detail"] or {}).get("field", "") if entry["action"] == ACCESS_REVEAL else ""
        result.append(AccessEntry(at=entry["at"], action=entry["action"], field=field, by_role=role, by_union=union))
    return result


def import_list(*, user) -> QuerySet[MemberImport]:
    return scope(MemberImport.objects.all(), user).select_related("org", "by").order_by("-created_at", "-id")


def import_get(*, user, pk: int) -> MemberImport:
    return get_in_scope_or_404(MemberImport.objects.select_related("org", "by"), user, pk=pk)


# --- Figures by union (read by the dashboard) ------------------------------------------------------------
# Each function is one grouped query whose rows carry ``path`` (the unit a row is attributed to), ``key``
# when broken down, and the counts; the dashboard rolls them up the tree. A breakdown ``by="industry"``
# keys rows by the enterprise's industry, ``by="size"`` by the first of ``size_bands`` ((key, low, high or
# None), staff counts) that the enterprise's staff falls in; "" when not recorded.


def holding_members() -> QuerySet[Member]:
    """Members holding membership (active or retired)."""
    return Member.objects.filter(status__in=Member.HOLDING_STATUSES)


def _size_band(field: str, size_bands) -> Case:
    whens = []
    for key, low, high in size_bands:
        condition = Q(**{f"{field}__gte": low}) if high is None else Q(**{f"{field}__range": (low, high)})
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _broken_down(qs: QuerySet, by: str | None, *, enterprise: str, size_bands) -> tuple[QuerySet, list[str]]:
    """``qs`` with a ``key`` to group by (``enterprise``: the lookup to the enterprise, "" for itself)."""
    if by == "industry":
        return qs.annotate(key=F(f"{enterprise}industry")), ["key"]
    if by == "size":
        return qs.annotate(key=_size_band(f"{enterprise}employee_count", size_bands)), ["key"]
    return qs, []


def member_counts_by_org(
    *, joined_between: tuple[dt.date, dt.date] | None = None, by: str | None = None, size_bands=()
) -> QuerySet:
    """Holding members per union (and breakdown key): rows ``path``, [``key``], ``n``. ``joined_between``:
    only those who joined in that date range."""
    qs = holding_members()
    if joined_between:
        qs = qs.filter(joined_on__range=joined_between)
    qs, group = _broken_down(qs, by, enterprise="enterprise__", size_bands=size_bands)
    return qs.values(*group, path=F("org__path")).annotate(n=Count("id")).order_by()


MEMBER_TRAITS = {
    "migrant": Q(is_migrant=True),
    "frontline": Q(is_frontline=True),
    "women": Q(sex=Member.Sex.FEMALE),
}


def member_shares_by_org(*, trait: str) -> QuerySet:
    """Holding members per union with a trait of ``MEMBER_TRAITS``: rows ``path``, ``n`` (with the trait),
    ``d`` (all)."""
    qs = holding_members().values(path=F("org__path"))
    return qs.annotate(n=Count("id", filter=MEMBER_TRAITS[trait]), d=Count("id")).order_by()


def enterprise_union_counts_by_township(*, min_staff: int, by: str | None = None, size_bands=()) -> QuerySet:
    """Enterprises of ``min_staff`` staff or more per township: rows ``path``, [``key``], ``n`` (those with
    a union), ``d`` (all)."""
    qs = Enterprise.objects.filter(employee_count__gte=min_staff)
    qs, group = _broken_down(qs, by, enterprise="", size_bands=size_bands)
    rows = qs.values(*group, path=F("township__path"))
    return rows.annotate(n=Count("id", filter=Q(union__isnull=False)), d=Count("id")).order_by()


def unionised_staff_by_union(*, by: str | None = None, size_bands=()) -> QuerySet:
    """Staff of enterprises with a union, per union: rows ``path``, [``key``], ``staff``."""
    qs = Enterprise.objects.filter(union__isnull=False)
    qs, group = _broken_down(qs, by, enterprise="", size_bands=size_bands)
    return qs.values(*group, path=F("union__path")).annotate(staff=Sum("employee_count")).order_by()


def mobile_recovery_list(*, user) -> QuerySet[MobileRecoveryRequest]:
    """Lost-number requests of members of the user's subtree (roll keepers)."""
    qs = scope(MobileRecoveryRequest.objects.all(), user, roles=ROLL_ROLES, include_owner=False)
    return qs.select_related("member__org").order_by("-created_at", "-id")


def mobile_recovery_get(*, user, pk: int) -> MobileRecoveryRequest:
    return get_in_scope_or_404(
        MobileRecoveryRequest.objects.select_related("member__org", "member__user"), user, roles=ROLL_ROLES, pk=pk
    )


def member_roll_states(*, member_ids) -> dict[int, tuple[str, str]]:
    """Each member's roll status and the path of their current union: {member id: (status, union path)}. One
    query (read by the assistance sweep, which puts files of members who left, retired, died or moved out of
    the district to staff)."""
    rows = Member.objects.filter(pk__in=list(member_ids)).values_list("pk", "status", "org__path")
    return {pk: (status, path) for pk, status, path in rows}
