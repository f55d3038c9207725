"""Factories of awards: last year's rounds (their composition rules come with ``round_create``), award types,
quotas and nominations, through the awards services."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from awards.models import AwardType, CompositionRule, HonourLevel, Nomination, Quota, Round
from union_portal import tree
from union_portal.roles import Role

from .core import DistrictFactory, GrassrootsUnionFactory, TownshipFactory, district_admin_of, holder, pdf
from .members import MemberFactory


def _last_year() -> int:
    return timezone.localdate().year - 1


class RoundFactory(DjangoModelFactory):
    """A district's round of last year in preparation, with one award type (先进个人); its nominations run from
    March of last year to the end of this year, so they are open on any test date. Through ``round_create``."""

    class Meta:
        model = Round

    org = factory.SubFactory(DistrictFactory)
    year = factory.LazyFunction(_last_year)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度{o.org.name}表彰")
    nominations_open = factory.LazyAttribute(lambda o: dt.date(o.year, 3, 1))
    nominations_close = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 12, 31))
    township_review_by = factory.SelfAttribute("nominations_close")
    district_review_by = factory.SelfAttribute("nominations_close")
    notice_planned = factory.SelfAttribute("nominations_close")
    award_types = ((AwardType.Kind.ADVANCED_INDIVIDUAL, "先进个人", HonourLevel.DISTRICT),)

    @classmethod
    def _create(cls, model_class, *, org, award_types, **fields):
        from awards import services

        return services.round_create(by=district_admin_of(org), org=org, award_types=list(award_types), **fields)


class AwardTypeFactory(DjangoModelFactory):
    """A 劳动模范 (city level) award type added to a round in preparation, through ``award_type_add``."""

    class Meta:
        model = AwardType

    round = factory.SubFactory(RoundFactory)
    kind = AwardType.Kind.MODEL_WORKER
    name = "劳动模范"
    level = HonourLevel.CITY

    @classmethod
    def _create(cls, model_class, *, round, **fields):  # noqa: A002 - the model's field name
        from awards import services

        return services.award_type_add(by=district_admin_of(round.org), round_=round, **fields)


class QuotaFactory(DjangoModelFactory):
    """Two places of a round's first award type for a township of its district, through ``quota_set``."""

    class Meta:
        model = Quota

    award_type = factory.LazyFunction(lambda: RoundFactory().award_types.first())
    union = factory.LazyAttribute(lambda o: TownshipFactory(parent=o.award_type.round.org))
    places = 2

    @classmethod
    def _create(cls, model_class, *, award_type, **fields):
        from awards import services

        return services.quota_set(by=district_admin_of(award_type.round.org), award_type=award_type, **fields)


class CompositionRuleFactory(DjangoModelFactory):
    """A default composition rule of a new round."""

    class Meta:
        model = CompositionRule

    round = factory.SubFactory(RoundFactory)

    @classmethod
    def _create(cls, model_class, *, round):  # noqa: A002 - the model's field name
        return round.rules.order_by("pk").first()


class NominationFactory(DjangoModelFactory):
    """A draft nomination of a member for 先进个人 by their union's handler (``nomination_create``), in an open
    round whose township quota covers the union (``quota_set``, ``round_open``)."""

    class Meta:
        model = Nomination

    member = factory.LazyFunction(lambda: MemberFactory(org=GrassrootsUnionFactory()))
    deeds_summary = "扎根一线二十年，主持技术革新三项，年节约成本百余万元。"

    @classmethod
    def _create(cls, model_class, *, member, deeds_summary):
        from awards import services

        township = tree.parent(member.org)
        round_ = RoundFactory(org=tree.parent(township))
        admin = district_admin_of(round_.org)
        award_type = round_.award_types.get()
        services.quota_set(by=admin, award_type=award_type, union=township, places=2)
        round_ = services.round_open(by=admin, round_=round_)
        return services.nomination_create(
            by=holder(Role.HANDLER, member.org),
            round_=round_,
            award_type=award_type,
            member=member,
            deeds_summary=deeds_summary,
            deeds_file=pdf("事迹材料.pdf"),
            congress_file=pdf("职代会决议.pdf"),
        )
