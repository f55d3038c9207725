"""The project's URL patterns and how to fill them with demo objects: shared by the IDOR sweep
(tests/security/test_idor_sweep.py, which keeps the tables ROUTE_OBJECTS/EXTRA/DISTRICT_OBJECTS/PUBLIC) and the
words crawl and browser sweep (tests/test_words_crawl.py, tests/e2e/test_phone_sweep.py)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

# --- the URL patterns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the full route, e.g. "members/<int:pk>/"
    name: str | None  # "members:member_detail" (namespaced)
    params: tuple[str, ...]
    admin: bool


def _walk(resolver, prefix="", namespace="", admin=False):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            is_admin = admin or entry.app_name == "admin"
            yield from _walk(entry, prefix + str(entry.pattern), ns, is_admin)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route) and _params(route))
            yield Route(route, f"{namespace}{entry.name}" if entry.name else None, params, admin)


def _params(route: str) -> list[str]:
    names = []
    for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        names.append(a or b)
    return names


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def card_token(member) -> str:
    from members.selectors import card_token

    return card_token(member)


def card_code(member) -> str:
    from members.selectors import card_code

    return card_code(member)


def spent_enrolment_token(user) -> str:
    from union_portal import onetime
    from union_portal.models import OneTimeLink

    token = onetime.issue_link(purpose="enrol", user=user)
    OneTimeLink.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    return token


_SPENT_INVITES: dict[tuple[str, int], str] = {}


def spent_invite_token(member, purpose: str = "member_invite") -> str:
    """A used invitation (or lost-number) link for the member. One per member and purpose while it exists: the
    crawls fill this pattern once per role, more often than the links' hourly limit allows."""
    from union_portal import onetime
    from union_portal.models import OneTimeLink

    known = _SPENT_INVITES.get((purpose, member.pk))
    if known and OneTimeLink.objects.filter(purpose=purpose, subject=f"member:{member.pk}:x").exists():
        return known
    token = onetime.issue_subject_link(purpose=purpose, subject=f"member:{member.pk}:x")
    OneTimeLink.objects.filter(subject=f"member:{member.pk}:x", used_at__isnull=True).update(used_at=timezone.now())
    _SPENT_INVITES[(purpose, member.pk)] = token
    return token


_SPENT_FOLLOWS: dict[int, str] = {}


def spent_follow_token(case) -> str:
    """A spent follow link of a rights case (labour): a hotline caller's link, replaced or expired. One per case
    while it exists (the links of a subject are limited per hour)."""
    from union_portal import onetime
    from union_portal.models import OneTimeLink

    subject = f"case:{case.pk}"
    known = _SPENT_FOLLOWS.get(case.pk)
    if known and OneTimeLink.objects.filter(purpose="labour.case_follow", subject=subject).exists():
        return known
    token = onetime.issue_subject_link(purpose="labour.case_follow", subject=subject)
    OneTimeLink.objects.filter(subject=subject, used_at__isnull=True).update(used_at=timezone.now())
    _SPENT_FOLLOWS[case.pk] = token
    return token


def route_kwargs(route: Route, obj, extra: dict) -> dict:
    kwargs = {}
    for index, param in enumerate(route.params):
        if index == 0 and param in ("pk", "org_id", "token"):
            if route.name == "twofactor_enrol":
                kwargs[param] = spent_enrolment_token(obj)
            elif route.name == "members:invite_accept":
                kwargs[param] = spent_invite_token(obj)
            elif route.name == "members:mobile_recovery_finish":
                kwargs[param] = spent_invite_token(obj, purpose="mobile_recovery")
            elif route.name == "labour:case_follow":
                kwargs[param] = spent_follow_token(obj)
            elif param == "token":
                kwargs[param] = card_token(obj)
            elif param == "org_id":
                kwargs[param] = obj.org_id
            else:
                kwargs[param] = obj.pk
        else:
            kwargs[param] = extra[param](obj)
    return kwargs


def route_url(route: Route, kwargs: dict) -> str:
    return reverse(route.name, kwargs=kwargs)


def admin_url(route: Route) -> str:
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route.route)
    path = path.replace("^([^/]+)/history/([^/]+)/$", "1/history/1/")
    return "/" + path.lstrip("^").rstrip("$")


def seed():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def add_objects_the_demo_lacks() -> None:
    """The demo data has no pending imports: a 齐贤 member import and a tax import of the district's finance,
    nor a background roll export (齐贤's handler's)."""
    from django.contrib.auth import get_user_model

    from funds.models import FundsImportBatch
    from members.models import MemberImport
    from union_portal.models import OrgUnit

    User = get_user_model()
    MemberImport.objects.create(
        org=OrgUnit.objects.get(code="KQ-QX-001"),
        file="members/imports/sweep.xlsx",
        file_name="齐贤化纤会员导入.xlsx",
        status=MemberImport.Status.READY,
        total=1,
        by=User.objects.get(username="handler_qixian"),
    )
    FundsImportBatch.objects.create(uploaded_by=User.objects.get(username="finance"), filename="税务代收导出.xlsx")
    from django.apps import apps

    from members.models import MemberExport, MobileRecoveryRequest

    # a lost-number request of a 齐贤 member
    MobileRecoveryRequest.objects.create(
        member=apps.get_model("members.Member").objects.filter(org__code="KQ-QX-001").first(), new_mobile="13700007777"
    )

    MemberExport.objects.create(
        by=User.objects.get(username="handler_qixian"),
        file="members/exports/sweep.xlsx",
        file_name="members-sweep.xlsx",
        status=MemberExport.Status.DONE,
        total=1,
    )
    # a member who joined 华舍's union later, added to this year's inpatient enrolment (增员), awaiting payment
    from mutual_aid import services as aid_services
    from mutual_aid.models import Enrolment
    from tests.factories import make_member

    enrolment = Enrolment.objects.filter(benefit__kind="inpatient").order_by("-scheme__year").first()
    aid_services.enrolment_add_members(
        by=User.objects.get(username="handler"), enrolment=enrolment, members=[make_member(enrolment.org)]
    )
    # every demo claim is the demo worker's: a colleague of hers in the same union files one too (a copy
    # of her first claim, with its documents), so the worker is swept against another person's claim
    from members.models import Member
    from mutual_aid.models import Claim

    original = Claim.objects.order_by("pk").first()
    colleague = (
        Member.objects.filter(org=original.member.org, user__isnull=False).exclude(pk=original.member_id).first()
        or Member.objects.filter(org=original.member.org).exclude(pk=original.member_id).first()
    )
    documents = list(original.documents.all())
    copy = Claim.objects.get(pk=original.pk)
    copy.pk = None
    copy.member = colleague
    copy.save()
    for document in documents:
        document.pk = None
        document.claim = copy
        document.save()


def district_kwargs(route: Route, obj) -> dict:
    kwargs = {}
    for index, param in enumerate(route.params):
        if index == 0:
            kwargs[param] = obj.pk
        elif param == "rule_pk":
            kwargs[param] = obj.rules.values_list("pk", flat=True).first() or 0
        elif param == "action":
            kwargs[param] = "publish"
        elif param == "status":
            kwargs[param] = "active"
        elif param in ("item_pk", "unit_pk"):
            kwargs[param] = 1
        else:
            raise AssertionError(f"no value for {param} in {route.route}")
    return kwargs


# --- one sample URL per pattern for a role (the words crawl and the phone sweep) ---------------------------

# The roles the crawl and the browser sweep walk as (demo usernames; None: anonymous).
SAMPLE_ROLES = [
    "city_admin",
    "district_admin",
    "reviewer1",
    "finance",
    "huashe_staff",
    "handler",
    "judge1",
    "rights_huashe",
    "lawyer1",
    "worker",
    None,
]

# Patterns not loaded by the crawls (besides Django's own admin: no demo account is is_staff, every page is its
# log-in form in Django's words): those whose GET changes the session, and file downloads named below.
SAMPLE_SKIPPED = {
    "logout",
    "set_language",
    # a download of the refused rows read from the import's file, which the sample import has not (no words)
    "members:import_refused",
}


def _sample_object(label: str, user):
    """The first object of ``label`` the user may see (the scoping rules), else the first one (the page then
    answers with its 403/404 page, which is checked too)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from union_portal.scoping import scope

    if label == "union_portal.User":
        # a staff account an admin may open; for others their own account
        if user is None or user.username in ("worker", "judge1"):
            return user or get_user_model().objects.get(username="handler")
        return get_user_model().objects.get(username="handler")
    model = apps.get_model(label)
    qs = model.objects.order_by("pk")
    if label == "labour.RightsCase" and user is not None:
        # rights cases have their own scope (rights officers, lawyers, the employer's union): labour's selector
        from labour.selectors.cases import cases_visible

        visible = cases_visible(user=user).order_by("pk").first()
        if visible is not None:
            return visible
    if user is not None and (getattr(model, "SCOPE_ORG", None) is not None or getattr(model, "SCOPE_OWNER", None)):
        visible = scope(qs, user).first()
        if visible is not None:
            return visible
    return qs.first()


def sample_urls(user) -> list[tuple[Route, str]]:
    """(pattern, URL) for every non-admin URL pattern, filled with one sample object ``user`` may see."""
    from tests.security.test_idor_sweep import DISTRICT_OBJECTS, EXTRA, PUBLIC_OBJECTS, ROUTE_OBJECTS

    cache: dict[str, object] = {}
    out: list[tuple[Route, str]] = []
    for route in all_routes():
        if route.admin or route.name is None or route.name in SAMPLE_SKIPPED:
            continue
        if not route.params:
            out.append((route, reverse(route.name)))
            continue
        if route.name in DISTRICT_OBJECTS:
            label = DISTRICT_OBJECTS[route.name]
            if label == "metric":
                from dashboard.registry import all_metrics

                out.append((route, reverse(route.name, kwargs={"metric": all_metrics()[0].key})))
                continue
            key = f"district:{label}"
            if key not in cache:
                cache[key] = _sample_object(label, None)
            obj = cache[key]
            if obj is not None:
                out.append((route, reverse(route.name, kwargs=district_kwargs(route, obj))))
            continue
        label = ROUTE_OBJECTS.get(route.name) or PUBLIC_OBJECTS.get(route.name)
        if label is None:
            continue
        if label not in cache:
            cache[label] = _sample_object(label, user)
        obj = cache[label]
        if obj is None:
            continue
        if route.name == "twofactor_enrol":
            # one spent link per account and process: issuing links is rate-limited per account
            key = f"enrol:{obj.pk}"
            if key not in _ENROL_URLS:
                _ENROL_URLS[key] = route_url(route, route_kwargs(route, obj, EXTRA))
            out.append((route, _ENROL_URLS[key]))
            continue
        out.append((route, route_url(route, route_kwargs(route, obj, EXTRA))))
    return out


_ENROL_URLS: dict[str, str] = {}
