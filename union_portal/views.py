from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from .audit_words import describe_rows
from .display import remember_on_device, user_set_large_text
from .filters import AuditLogFilter
from .health import health
from .membership import member_of_user, note_membership
from .models import AuditLog
from .nav import nav_sections, public_nav_items
from .paging import paginate
from .permissions import role_required
from .roles import ADMIN_ROLES
from .scoping import home_nodes, roles_of


def home(request):
    """The front page: for an anonymous visitor, what the apps offer the public (公示, honour rolls,
    leaderboards, the estimator, joining and founding after logging in); for a logged-in user, the cards of
    what they may do."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_public.html", {"tiles": public_nav_items()})
    member = member_of_user(user=user)
    note_membership(user, member)  # the menu's and the tiles' membership question, answered
    return render(
        request,
        "home.html",
        {
            "sections": nav_sections(user),
            "roles": sorted(roles_of(user)),
            "assignments": user.assignments.select_related("node").order_by("node__depth"),
            "member": member,
            "home_nodes": home_nodes(user),
        },
    )


def terms(request):
    return render(request, "legal/terms.html")


def privacy(request):
    return render(request, "legal/privacy.html")


@require_POST
def large_text(request):
    """The large-text switch: on ("1") or off ("0"); saved on the account when logged in, and on the device.
    Without JavaScript the form posts here and comes back to ``next`` (same site only); static/js/portal.js
    posts it in the background and gets a 204."""
    on = request.POST.get("large_text") == "1"
    if request.user.is_authenticated:
        user_set_large_text(user=request.user, on=on)
    if request.headers.get("X-Requested-With") == "fetch":
        response = HttpResponse(status=204)
    else:
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        response = redirect(target if safe else reverse("home"))
    remember_on_device(response, on=on)
    return response


@requires_csrf_token
def server_error(request):
    """handler500: the branded page, rendered without the request's context processors, so it shows when the
    database or the cache is what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"ICP_NUMBER": settings.ICP_NUMBER}))


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent with a missing or stale token (a page open too long, cookies blocked)."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


@require_GET
@never_cache
def healthz(request):
    ok, checks = health()
    return JsonResponse({"status": "ok" if ok else "degraded", "checks": checks}, status=200 if ok else 503)


@role_required(*ADMIN_ROLES)
def audit_list(request):
    """District and city admins browse and filter the audit log. Admins see the whole log: actions are
    not tied to one unit, and only admins of the federation are given this page."""
    qs = AuditLog.objects.all()
    filterset = AuditLogFilter(request.GET, queryset=qs)
    page = paginate(filterset.qs, request, per_page=50)
    describe_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "union_portal/audit_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def inbox(request):
    """The user's own notifications (scoped by owner); POST marks them read."""
    from .models import Notification
    from .notifications import mark_read
    from .scoping import scope

    if request.method == "POST":
        mark_read(user=request.user)
        return redirect("inbox")
    qs = scope(Notification.objects.all(), request.user)
    page = paginate(qs, request, per_page=30)
    return render(request, "union_portal/inbox.html", {"page": page, "query": ""})


AUDIT_EXPORT_MAX_ROWS = 100_000


@role_required(*ADMIN_ROLES)
def audit_export(request):
    """The filtered audit log as .xlsx for an assessor (等保 evidence). Exporting is itself audited."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from . import sheets_out as so
    from .audit import audit_record
    from .audit_words import action_namer, object_namer

    filterset = AuditLogFilter(request.GET, queryset=AuditLog.objects.all())
    rows = list(
        filterset.qs.values_list(
            "at", "actor_name", "action", "object_type", "object_id", "object_repr", "result", "ip"
        )[: AUDIT_EXPORT_MAX_ROWS + 1]
    )
    if len(rows) > AUDIT_EXPORT_MAX_ROWS:
        messages.error(request, _("More than 100,000 entries match; narrow the dates and export again."))
        return redirect(f"{reverse('audit_list')}?{request.GET.urlencode()}")
    audit_record(
        actor=request.user,
        action="audit.export",
        object_type="union_portal.auditlog",
        detail={"filters": request.GET.dict(), "rows": len(rows)},
    )
    columns = [
        so.datetime(_("Time"), number_format="yyyy-mm-dd hh:mm:ss"),
        so.text(_("Actor")),
        so.text(_("Action")),
        so.text(_("Object type")),
        so.identifier(_("Object id")),
        so.text(_("Object")),
        so.text(_("Result")),
        so.identifier(_("IP address")),
    ]
    # the same words as the page: actions, object types and results by their names
    actions, objects, results = action_namer(), object_namer(), dict(AuditLog.Result.choices)
    data = (
        [at, actor, actions(action), objects(object_type), object_id, repr_, str(results.get(result, result)), ip or ""]
        for at, actor, action, object_type, object_id, repr_, result, ip in rows
    )
    return so.xlsx_response("audit-log.xlsx", columns, data, title="audit")
