"""Pages of the bank file layouts: the list, the edit page (the layout's fields, its columns as rows, a
preview of the first lines of a batch), marking a layout verified, and the paying union's bank settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal.crypto import mask_account
from union_portal.forms import apply_validation_error
from union_portal.permissions import role_required

from . import bankfile, selectors, services
from .forms import (
    BankLayoutForm,
    ColumnFormSet,
    PaymentSettingForm,
    VerifyForm,
    columns_from_formset,
    columns_initial,
)
from .models import BankLayout
from .permissions import LAYOUT_EDIT_ROLES, LAYOUT_VIEW_ROLES, can_manage_layouts, finance_node, get_layout_for


@role_required(*LAYOUT_VIEW_ROLES)
def layout_list(request):
    return render(
        request,
        "union_portal/payments/layout_list.html",
        {"layouts": selectors.layout_list(), "can_edit": can_manage_layouts(request.user)},
    )


def _preview(request, spec: bankfile.LayoutSpec) -> bankfile.Preview:
    payments = selectors.preview_payments(user=request.user) or list(bankfile.SAMPLE_PAYMENTS)
    return bankfile.preview(spec, payments, mask=mask_account)


@role_required(*LAYOUT_VIEW_ROLES)
def layout_edit(request, pk: int | None = None):
    """Finance edits a layout (or makes a new one); the district admin reads it. "Preview" shows the first
    lines of the newest batch in the layout as typed, without saving."""
    layout = get_layout_for(request.user, pk) if pk else None
    can_edit = can_manage_layouts(request.user)
    if layout is None and not can_edit:
        raise PermissionDenied
    spec = layout.spec() if layout else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = BankLayoutForm(request.POST, instance=layout)
        formset = ColumnFormSet(request.POST, prefix="columns")
        if form.is_valid() and formset.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            data["columns"] = columns_from_formset(formset)
            if "preview" in request.POST:
                draft = BankLayout(**{**data, "name": data["name"] or "—"})
                columns, problems = bankfile.columns_from_data(data["columns"])
                spec = draft.spec(columns)
                for problem in problems or bankfile.layout_problems(spec):
                    form.add_error(None, problem)
            else:
                try:
                    saved = services.layout_save(by=request.user, layout=layout, data=data)
                except ValidationError as exc:
                    apply_validation_error(form, exc)  # type: ignore[arg-type]  # a ModelForm shows errors alike
                else:
                    messages.success(request, _("Layout saved."))
                    return redirect(saved)
    else:
        form = BankLayoutForm(instance=layout)
        formset = ColumnFormSet(initial=columns_initial(layout), prefix="columns")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "union_portal/payments/layout_edit.html",
        {
            "layout": layout,
            "form": form,
            "formset": formset,
            "can_edit": can_edit,
            "preview": _preview(request, spec) if spec and spec.columns else None,
            "verify_form": VerifyForm(),
        },
    )


@role_required(*LAYOUT_EDIT_ROLES)
@require_POST
def layout_verify(request, pk: int):
    layout = get_layout_for(request.user, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        services.layout_mark_verified(by=request.user, layout=layout, note=form.cleaned_data["note"])
        messages.success(request, _("The layout is marked verified."))
    else:
        messages.error(request, _("Say which file the bank accepted, and when."))
    return redirect(layout)


@role_required(*LAYOUT_EDIT_ROLES)
def payment_settings(request):
    """The finance officer's union: its default layout (new batches take it) and its own account."""
    node = finance_node(request.user)
    if node is None:
        raise PermissionDenied
    current = selectors.setting_for(org=node)
    own = current if current and current.org_id == node.pk else None
    if request.method == "POST":
        form = PaymentSettingForm(request.POST)
        if form.is_valid():
            try:
                services.setting_save(by=request.user, org=node, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Bank settings saved."))
                return redirect("payments:settings")
    else:
        initial: dict[str, object] = {
            "default_layout": current.default_layout if current else selectors.generic_layout()
        }
        if own:
            initial.update(payer_account=own.payer_account, payer_name=own.payer_name)
        form = PaymentSettingForm(initial=initial)
    return render(
        request,
        "union_portal/form.html",
        {"form": form, "title": _("Bank settings of %(org)s") % {"org": node.name}},
    )
