import hashlib

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from union_portal import onetime, tree
from union_portal.crypto import mask_account, mask_id_number, mask_name, mask_phone
from union_portal.excel import xlsx_bytes_response
from union_portal.forms import apply_validation_error, send_sms_code
from union_portal.models import OrgUnit
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import SUBTREE_ROLES
from union_portal.scoping import get_in_scope_or_404, has_role, scope
from union_portal.sheets_out import xlsx_response
from union_portal.throttling import throttle_view
from union_portal.uploads import serve_protected, stored_extension

from . import imports as member_imports
from . import selectors, services, tables
from .forms import (
    DecisionForm,
    EnterpriseForm,
    FoundingForm,
    FullExportForm,
    ImportForm,
    InviteAcceptForm,
    JoinForm,
    MemberCreateForm,
    MemberEditForm,
    MobileRecoveryConfirmForm,
    MobileRecoveryFinishForm,
    MobileRecoveryForm,
    OrgUnitCreateForm,
    OrgUnitMoveForm,
    OrgUnitUpdateForm,
    StatusForm,
    TransferForm,
)
from .models import (
    Enterprise,
    FoundingApplication,
    JoinApplication,
    Member,
    MemberExport,
    MemberImport,
    MemberTransfer,
)
from .permissions import (
    FOUNDING_ROLES,
    ROLL_ROLES,
    ROLL_VIEWERS,
    can_keep_roll,
    can_manage_enterprises,
    can_manage_org,
    can_reveal,
    get_member_for,
    may_export_full,
)
from .services.founding import FOUNDING_CODE_PURPOSE


@login_required
def org_list(request):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    qs = selectors.org_unit_list(user=request.user, kind=kind, search=search)
    page = paginate(qs, request, per_page=100)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/org_list.html",
        {
            "page": page,
            "rows": tables.org_rows(page),
            "q": search,
            "kind": kind,
            "kinds": OrgUnit.Kind.choices,
            "query": query.urlencode(),
        },
    )


@login_required
def org_detail(request, pk: int):
    node = selectors.org_unit_get(user=request.user, pk=pk)
    return render(
        request,
        "members/org_detail.html",
        {
            "node": node,
            "ancestors": list(tree.ancestors(node, include_self=False)),
            "children": tree.children(node),
            "moves": node.moves.select_related("from_parent", "to_parent", "moved_by")[:20],
            "assignments": node.assignments.select_related("user"),
            "can_manage": can_manage_org(request.user, node),
            "can_print_poster": node.kind == OrgUnit.Kind.GRASSROOTS and can_keep_roll(request.user, node),
        },
    )


@login_required
def org_join_poster(request, pk: int):
    """The grassroots union's join poster (A4 PDF) for its handler and the staff above it (404 outside their
    area, 403 for those who only see the union)."""
    from union_portal.pdf import UnprintableCharacter

    from .posters import join_poster_pdf

    node = selectors.org_unit_get(user=request.user, pk=pk)
    if node.kind != OrgUnit.Kind.GRASSROOTS:
        raise Http404
    if not can_keep_roll(request.user, node):
        raise PermissionDenied
    try:
        content = join_poster_pdf(org=node)
    except UnprintableCharacter as exc:
        messages.error(request, exc.messages[0])
        return redirect(node)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="join-poster-{node.code}.pdf"'
    return response


@login_required
def org_create(request, pk: int):
    parent = selectors.org_unit_get(user=request.user, pk=pk)
    if not can_manage_org(request.user, parent):
        raise PermissionDenied
    form = OrgUnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.org_unit_create(by=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": node.name})
            return redirect(node)
    return render(request, "members/org_form.html", {"form": form, "node": parent, "title": _("New unit")})


@login_required
def org_edit(request, pk: int):
    node = selectors.org_unit_get(user=request.user, pk=pk)
    if not can_manage_org(request.user, node):
        raise PermissionDenied
    form = OrgUnitUpdateForm(request.POST or None, initial={"name": node.name, "status": node.status})
    if request.method == "POST" and form.is_valid():
        services.org_unit_update(by=request.user, node=node, **form.cleaned_data)
        messages.success(request, _("The changes to %(name)s were saved.") % {"name": form.cleaned_data["name"]})
        return redirect(node)
    return render(request, "members/org_form.html", {"form": form, "node": node, "title": _("Edit unit")})


@login_required
def org_move(request, pk: int):
    node = selectors.org_unit_get(user=request.user, pk=pk)
    if not can_manage_org(request.user, node) or node.depth == 1:
        raise PermissionDenied
    form = OrgUnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["new_parent_code"].strip()
        try:
            new_parent = get_in_scope_or_404(OrgUnit.objects.all(), request.user, code=code)
        except Exception:  # noqa: BLE001 - Http404 from scoping: same message for missing and not yours
            form.add_error("new_parent_code", _("No unit with this code in your organisation."))
        else:
            try:
                services.org_unit_move(
                    by=request.user, node=node, new_parent=new_parent, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied:
                form.add_error("new_parent_code", _("You may not move units under this parent."))
            else:
                messages.success(request, _("%(name)s was moved.") % {"name": node.name})
                return redirect(node)
    return render(request, "members/org_form.html", {"form": form, "node": node, "title": _("Move unit")})


# --- the roll ---------------------------------------------------------------------------------------------

EXPORT_MAX_ROWS = services.EXPORT_MAX_ROWS


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def _member_filters(request) -> tuple[selectors.MemberFilters, str]:
    get = request.GET
    unit_code = get.get("unit", "").strip()
    org = None
    if unit_code:
        org = selectors.org_by_code_in_scope(user=request.user, code=unit_code, roles=SUBTREE_ROLES)
        if org is None:
            raise Http404
    status = get.get("status", "")
    if status not in Member.Status.values:
        status = ""
    filters = selectors.MemberFilters(
        q=get.get("q", "")[:50],
        org=org,
        status=status,
        frontline=_flag(get.get("frontline", "")),
        migrant=_flag(get.get("migrant", "")),
        hardship=_flag(get.get("hardship", "")),
        sort=get.get("sort", "unit") if get.get("sort", "unit") in selectors.MEMBER_SORTS else "unit",
    )
    return filters, unit_code


@role_required(*ROLL_VIEWERS)
def member_list(request):
    filters, unit_code = _member_filters(request)
    page = paginate(selectors.member_list(user=request.user, filters=filters), request, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/member_list.html",
        {
            "page": page,
            "rows": tables.member_rows(page),
            "f": filters,
            "unit": unit_code,
            "statuses": Member.Status.choices,
            "sorts": [
                ("unit", _("Union, then member number")),
                ("number", _("Member number")),
                ("-number", _("Member number, newest first")),
                ("name", _("Full name")),
                ("-joined", _("Joined, newest first")),
                ("joined", _("Joined, oldest first")),
            ],
            "query": query.urlencode(),
            "may_export_full": may_export_full(request.user),
            "can_add": has_role(request.user, *ROLL_ROLES),
        },
    )


@role_required(*ROLL_VIEWERS)
def member_export(request):
    filters, _unit = _member_filters(request)
    full = request.GET.get("full") == "1"
    if full and not may_export_full(request.user):
        raise PermissionDenied
    reason = ""
    if full:
        # The full export asks for a reason first (POSTed to this URL, the filters in its query string).
        form = FullExportForm(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            return render(
                request,
                "members/form.html",
                {
                    "form": form,
                    "title": _("Export with full personal data"),
                    "subtitle": _("Only the members of the unions where you may see full personal data are exported."),
                },
            )
        reason = form.cleaned_data["reason"]
    query = request.GET.urlencode()
    limit = settings.MEMBERS_EXPORT_INLINE_MAX_ROWS
    size = selectors.member_export_count(user=request.user, filters=filters, full=full, limit=limit)
    if size > limit:
        # a township's or the district's roll: built in the background (gunicorn would time out)
        job = services.member_export_job_start(by=request.user, filters=filters, full=full, reason=reason, query=query)
        return redirect("members:export_job", pk=job.pk)
    members = services.member_export(by=request.user, filters=filters, full=full, reason=reason, query=query)
    return xlsx_response(
        services.roll_file_name(),
        services.roll_columns(full=full),
        services.roll_rows(members, full=full),
        title=_("Members"),
    )


def _export_job_for(request, pk: int) -> MemberExport:
    """A background roll export, for the person who asked for it only (404 for anyone else)."""
    job = MemberExport.objects.filter(pk=pk, by=request.user).first()
    if job is None:
        raise Http404
    return job


@role_required(*ROLL_VIEWERS)
def export_job(request, pk: int):
    job = _export_job_for(request, pk)
    percent = int(100 * job.processed / job.total) if job.total else 0
    template = "members/export_progress.html" if request.headers.get("HX-Request") else "members/export_job.html"
    return render(request, template, {"job": job, "percent": percent})


@role_required(*ROLL_VIEWERS)
def export_job_download(request, pk: int):
    job = _export_job_for(request, pk)
    if job.status != MemberExport.Status.DONE or not job.file:
        raise Http404
    if job.full and not may_export_full(request.user):
        raise PermissionDenied
    return serve_protected(job.file, download_name=job.file_name, inline=False)


def _member_context(request, member: Member, revealed: dict | None = None) -> dict:
    return {
        "member": member,
        "events": selectors.member_events(member=member)[:200],
        "transfers": selectors.member_transfers(member=member)[:20],
        "can_edit": can_keep_roll(request.user, member.org),
        "can_reveal": can_reveal(request.user, member),
        "invite_refusal": services.member_invite_refusal(member=member),
        "revealed": revealed or {},
        "masked": {
            "id_number": mask_id_number(member.id_number),
            "mobile": mask_phone(member.mobile),
            "bank_account": mask_account(member.bank_account),
        },
    }


@login_required
def member_detail(request, pk: int):
    member = get_member_for(request.user, pk)
    return render(request, "members/member_detail.html", _member_context(request, member))


@require_POST
@login_required
def member_reveal(request, pk: int, field: str):
    member = get_member_for(request.user, pk)
    if field not in services.REVEALABLE:
        raise Http404
    value = services.member_reveal(by=request.user, member=member, field=field)
    if request.headers.get("HX-Request"):
        return HttpResponse(f'<span class="font-monospace">{_escape(value) or "—"}</span>')
    return render(request, "members/member_detail.html", _member_context(request, member, {field: value}))


def _escape(value: str) -> str:
    from django.utils.html import escape

    return escape(value)


@role_required(*ROLL_ROLES)
def member_create(request):
    unions = selectors.staff_grassroots_unions(user=request.user, roles=ROLL_ROLES)
    form = MemberCreateForm(request.POST or None, unions=unions, initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("org")
        try:
            member = services.member_create(by=request.user, **data, org=org)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added, member number %(number)s.")
                % {"name": member.name, "number": member.member_number},
            )
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "title": _("Add a member")})


def _member_for_roll(request, pk: int) -> Member:
    return get_member_for(request.user, pk, for_change=True)


@login_required
def member_edit(request, pk: int):
    member = _member_for_roll(request, pk)
    # The personal fields are left out: the form shows them masked (MemberEditForm).
    fields = [f for f in MemberEditForm.base_fields if f != "reason" and f not in services.PERSONAL_FIELDS]
    initial = {f: getattr(member, f) for f in fields}
    form = MemberEditForm(request.POST or None, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.member_update(by=request.user, member=member, reason=reason, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The details of %(name)s were saved.") % {"name": member.name})
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "title": _("Edit member"), "subtitle": member})


@login_required
def member_status(request, pk: int):
    member = _member_for_roll(request, pk)
    allowed = services.STATUS_TRANSITIONS.get(Member.Status(member.status), set())
    choices = [(value, label) for value, label in Member.Status.choices if value in allowed]
    form = StatusForm(request.POST or None, choices=choices, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_status(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The status of %(name)s is now %(status)s.")
                % {"name": member.name, "status": Member.Status(form.cleaned_data["status"]).label},
            )
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "title": _("Change status"), "subtitle": member})


@login_required
def member_transfer(request, pk: int):
    member = _member_for_roll(request, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Any active grassroots union of the district may receive; the code is given by the receiving union.
        to_org = OrgUnit.objects.filter(
            code=form.cleaned_data["to_code"].strip(), kind=OrgUnit.Kind.GRASSROOTS, status=OrgUnit.Status.ACTIVE
        ).first()
        if to_org is None:
            form.add_error("to_code", _("No active grassroots union has this code."))
        else:
            try:
                services.transfer_request(
                    by=request.user, member=member, to_org=to_org, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Transfer requested; the receiving union must accept it."))
                return redirect(member)
    return render(request, "members/form.html", {"form": form, "title": _("Transfer out"), "subtitle": member})


@role_required(*ROLL_VIEWERS)
def transfer_list(request):
    status = request.GET.get("status", MemberTransfer.Status.PENDING)
    page = paginate(selectors.transfer_list(user=request.user, status=status), request, per_page=50)
    rows = [_transfer_row(request.user, t) for t in page]
    return render(
        request,
        "members/transfer_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": MemberTransfer.Status.choices,
            "query": f"status={status}",
        },
    )


def _transfer_row(user, transfer: MemberTransfer) -> dict:
    """What one user may see and do with one transfer. The receiving union sees nothing of the member before
    the move (``selectors.transfer_shows_member``)."""
    pending = transfer.status == MemberTransfer.Status.PENDING
    releasing = can_keep_roll(user, transfer.from_org)
    receiving = can_keep_roll(user, transfer.to_org)
    # The side that did not ask refuses; the side that asked cancels (as services.transfer_reject decides).
    other_side = receiving if transfer.requested_side == MemberTransfer.Side.RELEASING else releasing
    return {
        "t": transfer,
        "shows_member": selectors.transfer_shows_member(user=user, transfer=transfer),
        "may_release": pending and releasing and transfer.released_at is None,
        "may_accept": pending and receiving and transfer.released_at is not None,
        "may_refuse": pending and (releasing or receiving),
        "refuse_cancels": not other_side,
    }


@require_safe
@role_required(*ROLL_VIEWERS)
def transfer_detail(request, pk: int):
    """One transfer: the releasing union's decision (release, with the applicant's identity to confirm, or
    refuse), the receiving union's (accept a released transfer, or refuse), and, once escalated, the
    decision of the township above both."""
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    row = _transfer_row(request.user, transfer)
    application = transfer.join_application
    context = {
        **row,
        "application": application,
        "applicant_mobile_verified": bool(
            application is not None and application.user is not None and onetime.mobile_is_verified(application.user)
        ),
        "release_workdays": settings.MEMBERS_TRANSFER_RELEASE_WORKDAYS,
        "release_due": services.transfer_release_due(transfer) if row["may_release"] else None,
        "escalated_here": transfer.escalated_to_id is not None and can_keep_roll(request.user, transfer.escalated_to),
    }
    return render(request, "members/transfer_detail.html", context)


@require_POST
@role_required(*ROLL_ROLES)
def transfer_decide(request, pk: int):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            services.transfer_accept(by=request.user, transfer=transfer)
            messages.success(
                request, _("Transfer accepted: %(name)s is now on your union's roll.") % {"name": transfer.member.name}
            )
        elif decision == "release":
            services.transfer_release(
                by=request.user, transfer=transfer, confirm_login=request.POST.get("confirm_login") == "1"
            )
            messages.success(
                request,
                _("%(name)s was released to %(union)s.")
                % {"name": transfer.member.name, "union": transfer.to_org.name},
            )
        else:
            services.transfer_reject(by=request.user, transfer=transfer, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("The transfer of %(name)s was refused.") % {"name": transfer.member.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("members:transfer_list")


# --- joining ----------------------------------------------------------------------------------------------


def join_start(request):
    """Pick the union to apply to. An anonymous visitor is offered to register (or log in) first, and comes
    back here afterwards (``next`` kept)."""
    if not request.user.is_authenticated:
        query = urlencode({"next": request.get_full_path()})
        return render(
            request,
            "members/join_gate.html",
            {"register_url": f"{reverse('register')}?{query}", "login_url": f"{reverse('login')}?{query}"},
        )
    q = request.GET.get("q", "").strip()[:50]
    return render(
        request,
        "members/join_start.html",
        {
            "q": q,
            "results": selectors.enterprises_to_join(q=q),
            "applications": selectors.joins_of_user(user=request.user)[:10],
        },
    )


@login_required
def join_apply(request, org_id: int):
    org = get_object_or_404(OrgUnit, pk=org_id, kind=OrgUnit.Kind.GRASSROOTS, status=OrgUnit.Status.ACTIVE)
    initial = {"name": request.user.full_name} if getattr(request.user, "full_name", "") else {}
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_submit(user=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your application was sent to %(union)s.") % {"union": org.name})
            return redirect("members:join_start")
    return render(
        request,
        "members/join_form.html",
        {
            "form": form,
            "title": _("Join the union"),
            "subtitle": org.name,
            "consent_text": services.JOIN_CONSENT_TEXT,
            "consent_version": services.JOIN_CONSENT_VERSION,
        },
    )


# --- inviting a worker of the roll to open a login -------------------------------------------------------


@require_POST
@role_required(*ROLL_ROLES)
def member_invite(request, pk: int):
    member = get_member_for(request.user, pk, for_change=True)
    try:
        services.member_invite_send(by=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation was sent by SMS to the member's mobile. The link works once, for %(days)s days.")
            % {"days": services.INVITE_TTL.days},
        )
    return redirect("members:member_detail", pk=member.pk)


def _password_from_link(request, *, check, finish, form_class, done: str, then: str, title, subtitle):
    """The page of a one-time link sent to a mobile number (an invitation, a new number after a lost one):
    ``check()`` tells the link is live (an invalid one gets the invalid-link page, 404); the person chooses a
    password, ``finish(password)`` uses the link, and they are logged in and sent to ``then`` with ``done``."""
    try:
        target = check()
    except ValidationError as exc:
        return render(request, "members/invite_invalid.html", {"message": exc.messages[0]}, status=404)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = finish(form.cleaned_data["password1"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, done)
            return redirect(then)
    return render(request, "members/form.html", {"form": form, "title": title, "subtitle": subtitle(target)})


def invite_accept(request, token: str):
    """Open to anyone holding the link (the worker has no login yet): choose a password; the account is
    created with the roll's mobile verified and linked to that member record."""
    return _password_from_link(
        request,
        check=lambda: services.member_invite_check(token=token),
        finish=lambda password: services.member_invite_accept(token=token, password=password),
        form_class=InviteAcceptForm,
        done=_("Your account is ready. You log in with your mobile number."),
        then="members:my_card",
        title=_("Open your union portal account"),
        subtitle=lambda member: (
            _("%(name)s, member of %(union)s. Your mobile ending in %(last)s is your login.")
            % {"name": mask_name(member.name), "union": member.org.name, "last": member.mobile[-4:]}
        ),
    )


@role_required(*ROLL_ROLES)
def join_list(request):
    status = request.GET.get("status", JoinApplication.Status.PENDING)
    page = paginate(selectors.join_list(user=request.user, status=status), request, per_page=50)
    return render(
        request,
        "members/join_list.html",
        {"page": page, "status": status, "statuses": JoinApplication.Status.choices, "query": f"status={status}"},
    )


@role_required(*ROLL_ROLES)
def join_detail(request, pk: int):
    application = selectors.join_get(user=request.user, pk=pk)
    if not can_keep_roll(request.user, application.org):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "approve":
                result = services.join_approve(by=request.user, application=application)
                if isinstance(result, Member):
                    messages.success(
                        request, _("Approved: member number %(number)s.") % {"number": result.member_number}
                    )
                else:
                    # Neither the union nor the member number (M9); the releasing union must consent (C1).
                    messages.info(
                        request,
                        _(
                            "Already an active member elsewhere; a transfer is needed. The request was sent to "
                            "the member's union, which must release them."
                        ),
                    )
            else:
                services.join_reject(by=request.user, application=application, reason=form.cleaned_data["reason"])
                messages.success(
                    request, _("The application of %(name)s to join was rejected.") % {"name": application.name}
                )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("members:join_list")
    existing = services.holding_membership(application.id_number_hash)
    return render(
        request,
        "members/join_detail.html",
        {
            "application": application,
            "form": form,
            # Only that a transfer is needed: never which union or member number (M9).
            "member_here": existing is not None and existing.org_id == application.org_id,
            "member_elsewhere": existing is not None and existing.org_id != application.org_id,
        },
    )


@login_required
def my_card(request):
    member = selectors.member_of_user(user=request.user)
    context = {"member": member, "applications": selectors.joins_of_user(user=request.user)[:10]}
    if member is not None:
        # PIPL art. 44–45: who revealed, exported in full or moved this membership, and when.
        context["access_log"] = selectors.member_access_log(member=member, limit=100)
        url = selectors.card_verify_url(member)
        context["verify_url"] = url
        context["qr_svg"] = _card_qr_svg(url)
    return render(request, "members/my_card.html", context)


def _card_qr_svg(url: str) -> str:
    """The card's QR code as inline SVG. Drawing it (segno's masks) costs more than the rest of the page, and
    the URL only changes with the membership (number, status, union): kept in the cache by the URL."""
    key = "members:card-qr:" + hashlib.sha256(url.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = segno.make(url, error="m").svg_inline(scale=4, dark="#8b0000")
        cache.set(key, svg, 30 * 24 * 3600)
    return svg


@never_cache
def card_verify(request, token: str):
    """Public: anyone scanning the card's QR code sees masked name, union, status and validity; a card no
    longer valid (the membership ended, changed status or moved since it was shown) says only that. Never
    cached: the answer is about now."""
    member, valid = selectors.member_from_card_token(token)
    return _card_check(request, member if valid else None, found=member is not None)


@never_cache
def card_verify_short(request, code: str):
    """Public: the card's short link (``/v/<code>``), what its QR code encodes; the same answer as the long
    token's."""
    member = selectors.member_from_card_code(code)
    return _card_check(request, member, found=member is not None)


def _card_check(request, member, *, found: bool):
    """The card check page: masked name, union and status of a valid card; "invalid or tampered with" and
    nothing of the member otherwise (a code never issued is a 404 with the same page)."""
    context = {"valid": member is not None, "checked_at": timezone.now()}
    if member is not None:
        context.update(member=member, masked_name=mask_name(member.name))
    return render(request, "members/card_verify.html", context, status=200 if found else 404)


# --- enterprises and founding -----------------------------------------------------------------------------


def _min_staff() -> int:
    return getattr(settings, "MEMBERS_FOUNDING_MIN_STAFF", 25)


@role_required(*ROLL_VIEWERS)
def enterprise_list(request):
    q = request.GET.get("q", "").strip()[:50]
    unorganised = request.GET.get("unorganised") == "1"
    qs = selectors.enterprise_list(
        user=request.user, q=q, without_union=unorganised, min_staff=_min_staff() if unorganised else None
    )
    page = paginate(qs, request, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/enterprise_list.html",
        {
            "page": page,
            "q": q,
            "unorganised": unorganised,
            "min_staff": _min_staff(),
            "query": query.urlencode(),
            "can_add": has_role(request.user, *FOUNDING_ROLES),
        },
    )


def _townships(user):
    return scope(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP), user, roles=FOUNDING_ROLES)


@role_required(*FOUNDING_ROLES)
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, townships=_townships(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": enterprise.name})
            return redirect("members:enterprise_list")
    return render(request, "members/form.html", {"form": form, "title": _("Register an enterprise")})


@role_required(*FOUNDING_ROLES)
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if not can_manage_enterprises(request.user, enterprise.township):
        raise PermissionDenied
    fields = ["name", "uscc", "township", "industry", "employee_count", "address", "contact_name", "contact_phone"]
    form = EnterpriseForm(
        request.POST or None, townships=_townships(request.user), initial={f: getattr(enterprise, f) for f in fields}
    )
    form.fields["township"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("township")
        try:
            services.enterprise_update(by=request.user, enterprise=enterprise, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The changes to %(name)s were saved.") % {"name": data["name"]})
            return redirect("members:enterprise_list")
    return render(request, "members/form.html", {"form": form, "title": _("Edit enterprise"), "subtitle": enterprise})


@login_required
def founding_list(request):
    status = request.GET.get("status", "")
    page = paginate(selectors.founding_list(user=request.user, status=status), request, per_page=50)
    return render(
        request,
        "members/founding_list.html",
        {"page": page, "status": status, "statuses": FoundingApplication.Status.choices, "query": f"status={status}"},
    )


@login_required
@throttle_view("founding", when=lambda request: request.method == "POST")
def founding_new(request):
    initial = {}
    if request.GET.get("uscc"):
        initial["uscc"] = request.GET["uscc"][:25]
    form = send_sms_code(request, FoundingForm, purpose=FOUNDING_CODE_PURPOSE, phone_field="applicant_phone")
    if form is not None:
        return render(
            request, "members/form.html", {"form": form, "title": _("Apply to found a union"), "multipart": True}
        )
    form = FoundingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = Enterprise.objects.filter(uscc=data.pop("uscc")).first()
        if enterprise is None:
            form.add_error(
                "uscc",
                _("No enterprise with this code is registered; ask your township or street union to register it."),
            )
        else:
            try:
                application = services.founding_submit(by=request.user, enterprise=enterprise, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The application was submitted."))
                return redirect(application)
    return render(request, "members/form.html", {"form": form, "title": _("Apply to found a union"), "multipart": True})


@login_required
def founding_detail(request, pk: int):
    application = selectors.founding_get(user=request.user, pk=pk)
    may_decide = can_manage_enterprises(request.user, application.township)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                if request.POST.get("decision") == "approve":
                    union = services.founding_approve(
                        by=request.user, application=application, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("Approved: %(union)s was created.") % {"union": union.name})
                    return redirect(union)
                services.founding_reject(by=request.user, application=application, reason=form.cleaned_data["reason"])
                messages.success(
                    request,
                    _("The application to found a union at %(name)s was rejected.")
                    % {"name": application.enterprise.name},
                )
                return redirect("members:founding_list")
            except ValidationError as exc:
                apply_validation_error(form, exc)
    return render(
        request, "members/founding_detail.html", {"application": application, "form": form, "may_decide": may_decide}
    )


@login_required
def founding_file(request, pk: int):
    application = selectors.founding_get(user=request.user, pk=pk)
    return serve_protected(
        application.election_result,
        download_name=f"选举结果-{application.pk}{stored_extension(application.election_result)}",
    )


# --- Excel import -----------------------------------------------------------------------------------------


@role_required(*ROLL_ROLES)
def import_template(request):
    return xlsx_bytes_response("会员导入模板.xlsx", member_imports.template_bytes())


@role_required(*ROLL_ROLES)
def import_new(request):
    unions = selectors.staff_grassroots_unions(user=request.user, roles=ROLL_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.member_import_start(
                by=request.user, org=form.cleaned_data["org"], uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("members:import_detail", pk=record.pk)
    return render(
        request,
        "members/import_new.html",
        {"form": form, "imports": selectors.import_list(user=request.user)[:10]},
    )


def _import_context(request, record: MemberImport) -> dict:
    from django.core.cache import cache

    done, total = record.processed, record.total
    if record.running:
        progress = cache.get(services.import_progress_key(record.pk))
        if progress:
            done, total = progress
    percent = int(100 * done / total) if total else 0
    from union_portal.stored_text import shown

    # stored as codes and parameters: shown in the reader's language (rows stored as sentences as they are)
    errors = [[row, column, shown(message)] for row, column, message in record.errors]
    notes = [shown(note) for note in record.notes]
    return {"record": record, "done": done, "total": total, "percent": percent, "errors": errors, "notes": notes}


@role_required(*ROLL_ROLES)
def import_detail(request, pk: int):
    record = selectors.import_get(user=request.user, pk=pk)
    template = "members/import_progress.html" if request.headers.get("HX-Request") else "members/import_detail.html"
    return render(request, template, _import_context(request, record))


@role_required(*ROLL_ROLES)
def import_refused(request, pk: int):
    """The refused rows of an import as a sheet, with 错误说明, to fix and upload again."""
    record = selectors.import_get(user=request.user, pk=pk)
    try:
        data = services.member_import_refused_rows(by=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("members:import_detail", pk=record.pk)
    return xlsx_bytes_response(f"{record.file_name.rsplit('.', 1)[0]}-错误行.xlsx", data)


@require_POST
@role_required(*ROLL_ROLES)
def import_commit(request, pk: int):
    record = selectors.import_get(user=request.user, pk=pk)
    try:
        services.member_import_commit(by=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("members:import_detail", pk=record.pk)


# --- a lost mobile number ---------------------------------------------------------------------------------


def mobile_recovery_start(request):
    """Lost the number of my login: the request goes to the union, which checks the person in person. The page
    answers the same whether or not a member with a login was found."""
    form = MobileRecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_recovery_request(**form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "If you are a member with an account, your union now has your request. Go to your union with "
                    "your ID card; once they have checked it, a link comes by SMS to the new number."
                ),
            )
            return redirect("login")
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("I lost the mobile number of my account"),
            "subtitle": _("Your union checks your identity in person, then the new number receives a link."),
        },
    )


@role_required(*ROLL_ROLES)
def mobile_recovery_list(request):
    page = paginate(selectors.mobile_recovery_list(user=request.user), request, per_page=50)
    return render(request, "members/mobile_recovery_list.html", {"page": page})


@role_required(*ROLL_ROLES)
def mobile_recovery_detail(request, pk: int):
    recovery = selectors.mobile_recovery_get(user=request.user, pk=pk)
    if not can_keep_roll(request.user, recovery.member.org):
        raise PermissionDenied
    form = MobileRecoveryConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_recovery_confirm(
                by=request.user, request=recovery, id_document=form.cleaned_data["id_document"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The link was sent to the new number."))
            return redirect("members:mobile_recovery_list")
    return render(
        request,
        "members/mobile_recovery_detail.html",
        {"recovery": recovery, "form": form, "new_mobile_masked": mask_phone(recovery.new_mobile)},
    )


def mobile_recovery_finish(request, token: str):
    """The lost-number link's page, sent to the new number: choose a password; the login moves to that number."""
    return _password_from_link(
        request,
        check=lambda: services.mobile_recovery_check(token=token),
        finish=lambda password: services.mobile_recovery_finish(token=token, password=password),
        form_class=MobileRecoveryFinishForm,
        done=_("Your mobile number was changed."),
        then="home",
        title=_("Use your new mobile number"),
        subtitle=lambda recovery: (
            _("The number ending in %(last)s becomes your login.") % {"last": recovery.new_mobile[-4:]}
        ),
    )
