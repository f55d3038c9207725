"""Date inputs carry ISO values in every language (issue 16): ``<input type="date">`` rejects 2026/12/01, so a
pre-filled date rendered in Chinese's own format showed as a blank field. Every form class of the project with a
date or date-time field is found by walking the apps' forms and filters modules, rendered in zh-hans with an
initial value, and its value checked."""

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from union_portal.widgets import DateTimeInput

DAY = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _project_modules():
    """Every module named forms or filters (or inside a forms/filters package) of the project's own apps."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        package = importlib.import_module(config.name)
        names = [config.name] + [
            info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}.") if info.ispkg
        ]
        for name in names:
            for suffix in ("forms", "filters"):
                try:
                    yield importlib.import_module(f"{name}.{suffix}")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{name}.{suffix}":
                        raise


def _form_classes_with_dates() -> dict[str, type[forms.BaseForm]]:
    found = {}
    for module in _project_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, django_filters.FilterSet) and cls._meta.model is not None:
                cls = cls(queryset=cls._meta.model.objects.none()).get_form_class()
            if not issubclass(cls, forms.BaseForm):
                continue
            if any(isinstance(f, (forms.DateField, forms.DateTimeField)) for f in cls.base_fields.values()):
                found[f"{module.__name__}.{_name}"] = cls
    return dict(sorted(found.items()))


FORMS = _form_classes_with_dates()
FORM_CLASSES = list(FORMS.values())
FORM_IDS = list(FORMS)


def _initial_for(cls) -> dict:
    initial = {}
    for name, field in cls.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            initial[name] = MOMENT
        elif isinstance(field, forms.DateField):
            initial[name] = DAY
    return initial


def _instantiate(cls, initial: dict) -> forms.BaseForm:
    """The form with ``initial``; a form whose __init__ wants context (a user, an org) is built with Django's
    own __init__ only, which is enough to render its declared fields."""
    try:
        return cls(initial=initial)
    except TypeError:
        form = cls.__new__(cls)
        base = forms.BaseModelForm if issubclass(cls, forms.BaseModelForm) else forms.BaseForm
        base.__init__(form, initial=initial)
        return form


def _value_and_type(html: str) -> tuple[str | None, str | None]:
    value = re.search(r'\bvalue="([^"]*)"', html)
    kind = re.search(r'\btype="([^"]*)"', html)
    return (value.group(1) if value else None), (kind.group(1) if kind else None)


def test_the_walk_finds_the_forms_with_dates():
    # given the forms known to carry dates (members, funds, mutual aid, awards, surveys, the audit log filter)
    names = set(FORMS)
    # then the walk finds them (a broken walk would make the test below pass on nothing)
    assert "members.forms.MemberEditForm" in names
    assert "union_portal.filters.AuditLogFilter" in names
    assert "members.forms.StatusForm" in names
    assert "funds.forms.CollectionForm" in names
    assert "awards.forms.RoundDatesForm" in names
    assert len(FORM_CLASSES) >= 10


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=FORM_IDS)
def test_a_prefilled_date_input_carries_an_iso_value_in_every_language(form_class, language):
    # given a form with a date (or date-time) field and an initial value
    initial = _initial_for(form_class)
    # when it is rendered in the language
    with translation.override(language):
        form = _instantiate(form_class, initial)
        rendered = {name: str(form[name]) for name in initial if name in form.fields}
    # then every date input is a browser date picker holding the ISO date (what <input type=date> accepts)
    assert rendered
    for name, html in rendered.items():
        value, kind = _value_and_type(html)
        if isinstance(form.fields[name], forms.DateTimeField):
            assert (kind, value) == ("datetime-local", "2026-12-01T10:30"), (name, html)
        else:
            assert (kind, value) == ("date", "2026-12-01"), (name, html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=FORM_IDS)
def test_an_iso_date_posted_is_read_in_every_language(form_class, language):
    # given what a browser's date picker posts
    posted = {"date": "2026-12-01", "datetime": "2026-12-01T10:30"}
    # when each date field reads it in the language
    with translation.override(language):
        read = {
            name: field.to_python(posted["datetime" if isinstance(field, forms.DateTimeField) else "date"])
            for name, field in form_class.base_fields.items()
            if isinstance(field, (forms.DateField, forms.DateTimeField))
        }
    # then it is the date meant
    for name, value in read.items():
        if isinstance(form_class.base_fields[name], forms.DateTimeField):
            assert value == MOMENT, name
        else:
            assert value == DAY, name


def test_a_datetime_local_input_carries_an_iso_value_in_chinese():
    # given a date-time field with the project's widget and an initial value
    class Form(forms.Form):
        at = forms.DateTimeField(widget=DateTimeInput())

    # when rendered and posted in Chinese
    with translation.override("zh-hans"):
        value, kind = _value_and_type(str(Form(initial={"at": MOMENT})["at"]))
        bound = Form(data={"at": "2026-12-01T10:30"})
        assert bound.is_valid(), bound.errors
    # then the input holds what datetime-local accepts, and what it posts is read back
    assert (kind, value) == ("datetime-local", "2026-12-01T10:30")
    assert bound.cleaned_data["at"] == MOMENT


def test_a_date_typed_the_chinese_way_is_still_read():
    # given a date typed by hand in a text box, as people in China write it
    field = forms.DateField()
    # when read in Chinese
    with translation.override("zh-hans"):
        values = [field.to_python(text) for text in ("2026/12/01", "2026年12月1日", "2026-12-01")]
    # then all three are the same day
    assert values == [DAY, DAY, DAY]
