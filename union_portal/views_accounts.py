from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import accounts, apitokens, channels
from .forms import PortalForm, PortalPasswordChangeForm, apply_validation_error
from .identity import validate_mobile
from .models import OrgUnit, RoleAssignment, User
from .paging import paginate
from .permissions import MANAGER_ROLES, role_required
from .roles import Role
from .scoping import get_in_scope_or_404


class NodeRoleFields(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    node_code = forms.CharField(label=gettext_lazy("Organisation code"), max_length=32)
    manager: User  # set by the subclasses' __init__

    def clean_node_code(self):
        code = self.cleaned_data["node_code"].strip()
        try:
            return get_in_scope_or_404(OrgUnit.objects.all(), self.manager, roles=MANAGER_ROLES, code=code)
        except Http404:
            raise ValidationError(_("No unit with this code in your organisation.")) from None


class StaffCreateForm(PortalForm, NodeRoleFields):
    submit_label = gettext_lazy("Create account")
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=100)
    mobile = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=11)
    field_order = ["username", "full_name", "mobile", "role", "node_code"]

    def __init__(self, *args, manager, **kwargs):
        self.manager = manager
        super().__init__(*args, **kwargs)

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])


class AssignForm(PortalForm, NodeRoleFields):
    submit_label = gettext_lazy("Assign role")

    def __init__(self, *args, manager, **kwargs):
        self.manager = manager
        super().__init__(*args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the current password checked like a log-in; once that locks the account, the
    session ends too (django-axes then answers with its lockout page)."""

    form_class = PortalPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        # A changed password already invalidates every token (its auth_hash); revoking them shows it on the page.
        apitokens.tokens_revoke_all(user=cast(User, self.request.user), reason="password")
        return response

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            logout(self.request)
        return super().form_invalid(form)


@login_required
def api_tokens(request):
    """The account's own page of signed-in apps (API tokens): each one listed and revocable by its owner."""
    if request.method == "POST":
        try:
            token_id = int(request.POST.get("token", ""))
        except ValueError:
            raise Http404 from None
        apitokens.token_revoke_family(user=request.user, token_id=token_id)
        messages.success(request, _("The app is signed out."))
        return redirect("api_tokens")
    return render(request, "union_portal/api_tokens.html", {"tokens": apitokens.token_list(user=request.user)})


class NotificationChannelsForm(forms.Form):
    sms = forms.BooleanField(
        label=gettext_lazy("Send me notifications by SMS"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    wechat = forms.BooleanField(
        label=gettext_lazy("Send me notifications in WeChat"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


@login_required
def notification_channels(request):
    """The account's own choice of channels for notifications, and its WeChat binding (bound in the
    mini-program; unbound here or there)."""
    if request.method == "POST" and request.POST.get("action") == "unbind":
        if channels.wechat_unbind(user=request.user):
            messages.success(request, _("Your WeChat account is unbound."))
        return redirect("notification_channels")
    # Only the form's own button saves: unticked boxes are absent from a POST, so a POST without it (an empty
    # one) must not read as "turn everything off".
    saving = request.method == "POST" and request.POST.get("action") == "save"
    form = NotificationChannelsForm(
        request.POST if saving else None, initial=channels.notification_channels(user=request.user)
    )
    if saving and form.is_valid():
        channels.notification_channels_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your choice is saved."))
        return redirect("notification_channels")
    return render(
        request,
        "union_portal/notification_channels.html",
        {"form": form, "wechat": channels.wechat_status(user=request.user)},
    )


@role_required(*MANAGER_ROLES)
def staff_list(request):
    search = request.GET.get("q", "").strip()
    page = paginate(accounts.staff_list(user=request.user, search=search), request, per_page=50)
    return render(request, "union_portal/staff_list.html", {"page": page, "q": search, "query": f"q={search}"})


@role_required(*MANAGER_ROLES)
def staff_new(request):
    form = StaffCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.staff_create(
                by=request.user,
                username=data["username"],
                full_name=data["full_name"],
                mobile=data["mobile"],
                role=data["role"],
                node=data["node_code"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied:
            form.add_error("role", _("You may not grant this role at this unit."))
        else:
            messages.success(
                request,
                _(
                    "Account %(name)s created. A one-time link to set the password and authenticator was sent to "
                    "the person's mobile."
                )
                % {"name": user.username},
            )
            return redirect("staff_detail", pk=user.pk)
    return render(request, "union_portal/staff_form.html", {"form": form, "title": _("New staff account")})


@role_required(*MANAGER_ROLES)
def staff_detail(request, pk: int):
    target = accounts.staff_get(user=request.user, pk=pk)
    form = AssignForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.role_assign(
                by=request.user, target=target, role=form.cleaned_data["role"], node=form.cleaned_data["node_code"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied:
            form.add_error("role", _("You may not grant this role at this unit."))
        else:
            messages.success(request, _("Role assigned."))
            return redirect("staff_detail", pk=target.pk)
    return render(request, "union_portal/staff_detail.html", {"target": target, "form": form})


@require_POST
@role_required(*MANAGER_ROLES)
def staff_withdraw(request, pk: int, assignment_id: int):
    target = accounts.staff_get(user=request.user, pk=pk)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("node"), pk=assignment_id, user=target)
    try:
        accounts.role_withdraw(by=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role withdrawn."))
    return redirect("staff_detail", pk=target.pk)


@require_POST
@role_required(*MANAGER_ROLES)
def staff_action(request, pk: int, action: str):
    target = accounts.staff_get(user=request.user, pk=pk)
    if action == "disable":
        accounts.staff_set_active(by=request.user, target=target, active=False)
        messages.success(request, _("The account is disabled; its sessions have ended."))
    elif action == "enable":
        accounts.staff_set_active(by=request.user, target=target, active=True)
        messages.success(request, _("The account is enabled."))
    elif action == "reset-2fa":
        try:
            accounts.staff_reset_two_factor(by=request.user, target=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("staff_detail", pk=target.pk)
        messages.success(
            request,
            _(
                "Two-factor authentication was reset; a one-time link to set up a new authenticator was sent to "
                "the person's mobile."
            ),
        )
    else:
        raise Http404
    return redirect("staff_detail", pk=target.pk)
