"""How the core reaches the apps without importing them: through the app registry.

An app contributes by convention-named modules, found in INSTALLED_APPS order: ``<app>/nav.py`` (menu
entries), ``<app>/api_urls.py`` (routes under /api/v1/), ``<app>/demo.py`` (demo data, run by seed_demo).
An app that has such a module gets it imported; an import error in it is raised, never skipped."""

from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import module_has_submodule


def project_apps() -> list[AppConfig]:
    """Our own apps (the core and the domain apps, not Django's or third-party ones), in INSTALLED_APPS order:
    the order of their dependencies, each app after the apps it reads."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and "site-packages" not in Path(config.path).parts
    ]


@cache
def app_modules(name: str, *, include_core: bool = True) -> tuple[ModuleType, ...]:
    """The ``<app>.<name>`` module of every project app that has one, in INSTALLED_APPS order (looked up once:
    the menu asks on every page)."""
    return tuple(
        import_module(f"{config.name}.{name}")
        for config in project_apps()
        if (include_core or config.name != "union_portal") and module_has_submodule(config.module, name)
    )


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting == "INSTALLED_APPS":
        app_modules.cache_clear()
