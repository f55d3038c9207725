from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.scoping import get_in_scope_or_404

from . import selectors, services
from .forms import OrgUnitCreateForm, OrgUnitMoveForm, OrgUnitUpdateForm
from .models import OrgUnit


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
        {"page": page, "q": search, "kind": kind, "kinds": OrgUnit.Kind.choices, "query": query.urlencode()},
    )


@login_required
def org_detail(request, pk: int):
    node = selectors.org_unit_get(user=request.user, pk=pk)
    return render(
        request,
        "members/org_detail.html",
        {
            "node": node,
            "ancestors": selectors.org_unit_ancestors(node=node),
            "children": selectors.org_unit_children(node=node),
            "moves": node.moves.select_related("from_parent", "to_parent", "moved_by")[:20],
            "assignments": node.assignments.select_related("user"),
            "can_manage": services.can_manage_org(request.user, node),
        },
    )


@login_required
def org_create(request, pk: int):
    parent = selectors.org_unit_get(user=request.user, pk=pk)
    if not services.can_manage_org(request.user, parent):
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
    if not services.can_manage_org(request.user, node):
        raise PermissionDenied
    form = OrgUnitUpdateForm(request.POST or None, initial={"name": node.name, "status": node.status})
    if request.method == "POST" and form.is_valid():
        services.org_unit_update(by=request.user, node=node, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(node)
    return render(request, "members/org_form.html", {"form": form, "node": node, "title": _("Edit unit")})


@login_required
def org_move(request, pk: int):
    node = selectors.org_unit_get(user=request.user, pk=pk)
    if not services.can_manage_org(request.user, node) or node.depth == 1:
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
