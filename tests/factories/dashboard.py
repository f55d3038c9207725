"""Factories of the dashboard: figure runs and their snapshots (``refresh_figures``), assessments, their items
and the units' entries (the assessment services)."""

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dashboard.models import AssessmentEntry, AssessmentItem, AssessmentScheme, FigureRun, FigureSnapshot
from union_portal.roles import Role

from .core import DistrictFactory, TownshipFactory, district_admin_of, holder
from .members import MemberFactory


class FigureRunFactory(DjangoModelFactory):
    """A finished refresh of one figure (members.total) for this year, through ``refresh_figures``."""

    class Meta:
        model = FigureRun

    metrics = ("members.total",)

    @classmethod
    def _create(cls, model_class, *, metrics):
        from dashboard.figures import refresh_figures

        return refresh_figures(metrics=list(metrics))


class FigureSnapshotFactory(DjangoModelFactory):
    """The members.total figure of a union with one member, as a refresh stores it."""

    class Meta:
        model = FigureSnapshot

    member = factory.SubFactory(MemberFactory)

    @classmethod
    def _create(cls, model_class, *, member):
        FigureRunFactory()
        return FigureSnapshot.objects.get(metric="members.total", node=member.org, key="")


class AssessmentSchemeFactory(DjangoModelFactory):
    """A district's draft assessment of its townships for this year, through ``scheme_create``; ``opened=True``
    adds a staff-entry item and opens it (``item_add``, ``scheme_set_status``)."""

    class Meta:
        model = AssessmentScheme

    opened = False
    owner = factory.SubFactory(DistrictFactory)
    title = factory.LazyAttribute(lambda o: f"{timezone.localdate().year}年度{o.owner.name}工作考核")
    period = factory.LazyFunction(lambda: str(timezone.localdate().year))

    @classmethod
    def _create(cls, model_class, *, owner, opened, **fields):
        from dashboard import services

        by = district_admin_of(owner)
        scheme = services.scheme_create(by=by, owner=owner, **fields)
        if opened:
            services.item_add(
                by=by, scheme=scheme, title="建会入会工作", kind=AssessmentItem.Kind.ENTRY, weight=Decimal(10)
            )
            scheme = services.scheme_set_status(by=by, scheme=scheme, status=AssessmentScheme.Status.OPEN)
        return scheme


class AssessmentItemFactory(DjangoModelFactory):
    """A staff-entry line of 10 points, through ``item_add``."""

    class Meta:
        model = AssessmentItem

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    title = "职工之家建设"
    kind = AssessmentItem.Kind.ENTRY
    weight = Decimal("10")

    @classmethod
    def _create(cls, model_class, *, scheme, **fields):
        from dashboard import services

        return services.item_add(by=district_admin_of(scheme.owner), scheme=scheme, **fields)


class AssessmentEntryFactory(DjangoModelFactory):
    """A township's entry on the first item of an open assessment, by its staff (``entry_submit``)."""

    class Meta:
        model = AssessmentEntry

    scheme = factory.SubFactory(AssessmentSchemeFactory, opened=True)
    unit = factory.LazyAttribute(lambda o: TownshipFactory(parent=o.scheme.owner))
    statement = "全年新建工会12家，新发展会员1800人。"

    @classmethod
    def _create(cls, model_class, *, scheme, unit, statement):
        from dashboard import services

        item = scheme.items.order_by("position").first()
        return services.entry_submit(by=holder(Role.TOWNSHIP_STAFF, unit), item=item, unit=unit, statement=statement)
