"""Demo data of the dashboard: an open satisfaction survey, an open township assessment with every kind of
item, and freshly computed figures. Idempotent. Runs last in ``seed_demo`` (the dashboard is the last app in
INSTALLED_APPS), so the figures include every domain app's demo data."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from union_portal.models import OrgUnit
from union_portal.surveys import services as survey_services
from union_portal.surveys.models import Survey

from . import services
from .figures import refresh_figures
from .models import AssessmentEntry, AssessmentScheme

SURVEY_TITLE = "互助理赔服务满意度测评"
SCHEME_TITLE = "乡镇（街道）工会年度工作考核"


@transaction.atomic
def seed(*, stdout) -> None:
    User = get_user_model()
    admin = User.objects.get(username="district_admin")
    huashe_staff = User.objects.get(username="huashe_staff")
    district = OrgUnit.objects.get(code="SX-KQ")
    today = timezone.localdate()

    survey = Survey.objects.filter(owner=district, title=SURVEY_TITLE).first()
    if survey is None:
        survey = survey_services.survey_create(
            by=admin,
            owner=district,
            title=SURVEY_TITLE,
            service="职工医疗互助理赔",
            intro="请您对区总工会职工医疗互助理赔服务进行评价，回答匿名保存。",
            questions=["理赔材料要求是否清楚", "理赔办理速度", "工作人员服务态度", "总体满意度"],
            closes_on=today + dt.timedelta(days=60),
        )
        survey_services.survey_publish(by=admin, survey=survey)

    refresh_figures()

    scheme = AssessmentScheme.objects.filter(owner=district, title=SCHEME_TITLE).first()
    if scheme is None:
        scheme = services.scheme_create(by=admin, owner=district, title=SCHEME_TITLE, period=str(today.year))
        services.item_add(
            by=admin,
            scheme=scheme,
            title="25 人以上企业建会率",
            kind="figure",
            weight=Decimal(30),
            metric="enterprises.establishment_rate",
            target=Decimal(95),
        )
        services.item_add(
            by=admin,
            scheme=scheme,
            title="入会率",
            kind="figure",
            weight=Decimal(20),
            metric="members.membership_rate",
            target=Decimal(90),
        )
        services.item_add(
            by=admin,
            scheme=scheme,
            title="职工之家建设",
            kind="entry",
            weight=Decimal(20),
            guidance="填写本年度新建、提升的职工之家，附验收材料。",
        )
        services.item_add(
            by=admin, scheme=scheme, title="职工满意度", kind="satisfaction", weight=Decimal(30), survey=survey
        )
        services.scheme_set_status(by=admin, scheme=scheme, status=AssessmentScheme.Status.OPEN)
    entry_item = scheme.items.filter(kind="entry").first()
    huashe = OrgUnit.objects.get(code="KQ-HS")
    if entry_item and not AssessmentEntry.objects.filter(item=entry_item, unit=huashe).exists():
        services.entry_submit(
            by=huashe_staff,
            item=entry_item,
            unit=huashe,
            statement="新建华舍纺织印染公司职工之家 1 个，提升街道职工服务中心 1 个。",
        )
    stdout.write(f"  dashboard: survey «{survey.title}», assessment «{scheme.title}», figures computed")
