"""The audit log in words: readable names of its actions and objects (issue 16).

The log stores codes (``member.update``, ``union_portal.user``); people read labels. The core names its own
actions here; each app names its actions in ``<app>/audit_actions.py``::

    ACTIONS = {"member.create": _("Member added"), ...}

found through the app registry (``appmodules``), so the core imports no app. Actions the core's shared
capabilities write for an app (``<app_label>.reveal``, ``<app_label>.batch_create``, ...) take the label of
their verb in SHARED_VERBS when the app does not name them. An object type is named by its model's
verbose_name. A code nobody named is shown as it is (a test checks every action written in the code has a
label)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .appmodules import app_modules, project_apps
from .models import AuditLog

CORE_ACTIONS: dict[str, Promise] = {
    "account.create": _("Account created"),
    "account.disable": _("Account disabled"),
    "account.enable": _("Account enabled"),
    "account.mobile_change": _("Mobile number changed"),
    "account.mobile_replace": _("Mobile number replaced after an identity check"),
    "account.register": _("Account registered by SMS code"),
    "account.role_assign": _("Role assigned"),
    "account.notification_channels": _("Notification channels changed"),
    "account.role_withdraw": _("Role withdrawn"),
    "account.wechat_bind": _("WeChat account bound"),
    "account.wechat_unbind": _("WeChat account unbound"),
    "audit.export": _("Audit log exported"),
    "auth.enrol_link": _("Enrolment link sent"),
    "auth.lockout": _("Account locked after failed log-ins"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Log-in failed"),
    "auth.logout": _("Logged out"),
    "auth.password_change": _("Password changed"),
    "auth.password_reset": _("Password reset by SMS code"),
    "auth.token": _("API token issued"),
    "auth.token_reuse": _("Reused API token refused"),
    "auth.token_revoke": _("API token revoked"),
    "payments.layout_create": _("Bank file layout created"),
    "payments.layout_update": _("Bank file layout changed"),
    "payments.layout_verify": _("Bank file layout verified"),
    "payments.setting_update": _("Payment settings changed"),
    "survey.close": _("Survey closed"),
    "survey.create": _("Survey created"),
    "survey.delete": _("Survey deleted"),
    "survey.publish": _("Survey published"),
}

# Verbs the core's shared capabilities (payment batches, public notices, revealing personal data) write
# under the app's label: "<app_label>.<verb>".
SHARED_VERBS: dict[str, Promise] = {
    "reveal": _("Personal data revealed"),
    "batch_create": _("Payment batch created"),
    "batch_layout": _("Payment batch layout changed"),
    "objection_file": _("Objection filed"),
    "objection_answer": _("Objection answered"),
}


def _registered() -> list[tuple[str, dict[str, Promise]]]:
    """(app label, its actions) of the core and of every app that names its actions."""
    out: list[tuple[str, dict[str, Promise]]] = [("union_portal", CORE_ACTIONS)]
    for module in app_modules("audit_actions", include_core=False):
        out.append((module.__name__.partition(".")[0], module.ACTIONS))
    return out


def action_labels() -> dict[str, str]:
    """Every named action: code -> label (in the active language)."""
    return {code: str(label) for _app, actions in _registered() for code, label in actions.items()}


def action_namer() -> Callable[[str], str]:
    """A function naming actions (the labels looked up once, for a page or an export of many rows)."""
    labels = action_labels()

    def name(action: str) -> str:
        if action in labels:
            return labels[action]
        _app, _dot, verb = action.partition(".")
        if verb in SHARED_VERBS:
            return str(SHARED_VERBS[verb])
        return action

    return name


def action_label(action: str) -> str:
    return action_namer()(action)


def _app_name(app_label: str) -> str:
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The named actions for a drop-down, grouped by the app that names them."""
    return [
        (_app_name(app), sorted(((code, str(label)) for code, label in actions.items()), key=lambda item: item[1]))
        for app, actions in _registered()
    ]


def object_label(object_type: str) -> str:
    """``app_label.modelname`` -> the model's verbose_name; an unknown type as it is."""
    app_label, _dot, model_name = object_type.partition(".")
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_namer() -> Callable[[str], str]:
    """A function naming object types, remembering each one named."""
    return cache(object_label)


def describe_rows(rows: Iterable[AuditLog]) -> None:
    """Give each audit row its words: ``action_label`` and ``object_label``."""
    actions, objects = action_namer(), object_namer()
    for row in rows:
        row.action_label = actions(row.action)  # type: ignore[attr-defined]
        row.object_label = objects(row.object_type) if row.object_type else ""  # type: ignore[attr-defined]


def object_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The project's models for a drop-down, grouped by app."""
    out = []
    for config in project_apps():
        items = sorted(
            (
                (model._meta.label_lower, str(model._meta.verbose_name))
                for model in config.get_models()
                # models named by the app (not the change history's shadow tables nor helper rows that have
                # only Django's default English name): what the audit log records
                if "verbose_name" in model._meta.original_attrs and not model.__name__.startswith("Historical")
            ),
            key=lambda item: item[1],
        )
        if items:
            out.append((str(config.verbose_name), items))
    return out
