"""Factories of the congress and liaison parts of labour (branch lb-congress): each goes through the service
that makes the row (the enterprise's handler records a session; the district admin assigns; the cadre visits)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from labour.models import (
    CongressResolution,
    CongressRule,
    CongressSession,
    IssueKind,
    LiaisonAssignment,
    LiaisonIssue,
    LiaisonVisit,
    OpenAffairsChannel,
    OpenAffairsItem,
)
from union_portal.roles import Role

from .core import district_admin_of, holder
from .members import UnionisedEnterpriseFactory

__all__ = [
    "CongressSessionFactory",
    "CongressResolutionFactory",
    "CongressRuleFactory",
    "OpenAffairsItemFactory",
    "LiaisonAssignmentFactory",
    "LiaisonVisitFactory",
    "LiaisonIssueFactory",
]


def _today() -> dt.date:
    return timezone.localdate()


class CongressSessionFactory(DjangoModelFactory):
    """A session with quorum (``present`` default 2/3 of 30 and more), recorded by the firm's handler."""

    class Meta:
        model = CongressSession

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    held_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=10))
    delegates = 30
    present = 24
    agenda = "审议年度工资集体协商方案"

    @classmethod
    def _create(cls, model_class, *, enterprise, resolutions=(), **fields):
        from labour.services.congress import congress_session_record

        return congress_session_record(
            by=holder(Role.HANDLER, enterprise.union), enterprise=enterprise, resolutions=resolutions, **fields
        )


class CongressResolutionFactory(DjangoModelFactory):
    """A resolution of a new session (recorded with it, as the service only records them together)."""

    class Meta:
        model = CongressResolution

    title = "工资集体协议草案"
    votes_for = 20

    @classmethod
    def _create(cls, model_class, *, title, votes_for, **fields):
        from labour.services.congress import ResolutionInput

        session = CongressSessionFactory(resolutions=[ResolutionInput(title=title, votes_for=votes_for)])
        return session.resolutions.get()


class CongressRuleFactory(DjangoModelFactory):
    class Meta:
        model = CongressRule

    quorum_numerator = 2
    quorum_denominator = 3
    majority_numerator = 1
    majority_denominator = 2

    @classmethod
    def _create(cls, model_class, **fields):
        from labour.services.congress import congress_rule_set

        district = UnionisedEnterpriseFactory().township.get_parent()
        return congress_rule_set(by=district_admin_of(district), **fields)


class OpenAffairsItemFactory(DjangoModelFactory):
    class Meta:
        model = OpenAffairsItem

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    subject = "年度职工工资调整方案"
    published_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=5))
    channel = OpenAffairsChannel.NOTICE_BOARD

    @classmethod
    def _create(cls, model_class, *, enterprise, **fields):
        from labour.services.congress import open_affairs_record

        return open_affairs_record(by=holder(Role.HANDLER, enterprise.union), enterprise=enterprise, **fields)


class LiaisonAssignmentFactory(DjangoModelFactory):
    """The firm assigned by the district admin to a township cadre of its township (default)."""

    class Meta:
        model = LiaisonAssignment

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    assigned_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *, enterprise, assigned_on, cadre=None, by=None, **fields):
        from labour.services.liaison import assignment_create

        cadre = cadre or holder(Role.TOWNSHIP_STAFF, enterprise.township)
        by = by or district_admin_of(enterprise.township)
        return assignment_create(by=by, cadre=cadre, enterprise=enterprise, today=assigned_on)


class LiaisonVisitFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonVisit

    assignment = factory.SubFactory(LiaisonAssignmentFactory)
    visited_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=3))
    met_whom = "工会主席"
    notes = "走访了解劳动关系状况"

    @classmethod
    def _create(cls, model_class, *, assignment, issues=(), **fields):
        from labour.services.liaison import visit_log

        return visit_log(by=assignment.cadre, assignment=assignment, issues=issues, today=_today(), **fields)


class LiaisonIssueFactory(DjangoModelFactory):
    class Meta:
        model = LiaisonIssue

    kind = IssueKind.RIGHTS
    description = "三名职工反映加班费未按规定计发"

    @classmethod
    def _create(cls, model_class, *, kind, description, assignment=None, **fields):
        from labour.services.liaison import IssueInput

        visit = LiaisonVisitFactory(
            issues=[IssueInput(kind=kind, description=description)],
            **({"assignment": assignment} if assignment is not None else {}),
        )
        return visit.issues.get()
