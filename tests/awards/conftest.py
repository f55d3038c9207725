"""Awards fixtures: members on the roll, a round in nominations with quotas, PDF uploads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services
from awards.models import AwardType, HonourLevel
from tests import clock

# The year of the award round in these tests: last year, so that its whole calendar lies in the past on any test
# date; the services are handed the day they run on (today=...).
YEAR = clock.last_year()


def _first_full_working_week(start: dt.date) -> dt.date:
    """The Monday, on or after ``start``, of the first week whose Monday to Friday are all working days by the
    holiday package (Monday to Friday for a year it does not know): where a 5-working-day notice ends on Friday."""
    import chinese_calendar

    def working(day: dt.date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    monday = start + dt.timedelta(days=-start.weekday() % 7)
    while not all(working(monday + dt.timedelta(days=i)) for i in range(5)):
        monday += dt.timedelta(days=7)
    return monday


# The round's nominations run from March of YEAR to the end of this year: open on any test date (the views submit
# on today), and on every day the services are handed below.
NOMINATIONS_CLOSE = dt.date(YEAR + 1, 12, 31)

# The public notice of the round's tests starts on a Monday in June of YEAR with a plain working week.
NOTICE_MONDAY = _first_full_working_week(dt.date(YEAR, 6, 1))


def notice_day(n: int) -> dt.date:
    """The n-th calendar day after the notice starts (0: the Monday it starts, 4: the Friday it ends)."""
    return NOTICE_MONDAY + dt.timedelta(days=n)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="deeds.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded deeds and approvals go to a temporary directory, not the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def award_round(tree, district_admin):
    """Last year's round (YEAR) in nominations: 先进个人 (district), 劳模 (city), 先进集体; quotas: 华舍 2 individuals,
    齐贤 2 individuals, 1 model worker and 1 collective for each of the two townships."""
    round_ = services.round_create(
        by=district_admin,
        org=tree["SX-KQ"],
        year=YEAR,
        title=f"{YEAR}年度柯桥区总工会表彰",
        nominations_open=dt.date(YEAR, 3, 1),
        nominations_close=NOMINATIONS_CLOSE,
        township_review_by=NOMINATIONS_CLOSE,
        district_review_by=NOMINATIONS_CLOSE,
        notice_planned=NOMINATIONS_CLOSE,
        award_types=[
            (AwardType.Kind.ADVANCED_INDIVIDUAL, "先进个人", HonourLevel.DISTRICT),
            (AwardType.Kind.MODEL_WORKER, "劳动模范", HonourLevel.CITY),
            (AwardType.Kind.ADVANCED_COLLECTIVE, "先进集体", HonourLevel.DISTRICT),
        ],
    )
    types = {t.name: t for t in round_.award_types.all()}
    for code in ("KQ-HS", "KQ-QX"):
        services.quota_set(by=district_admin, award_type=types["先进个人"], union=tree[code], places=2)
        services.quota_set(by=district_admin, award_type=types["劳动模范"], union=tree[code], places=1)
        services.quota_set(by=district_admin, award_type=types["先进集体"], union=tree[code], places=1)
    round_ = services.round_open(by=district_admin, round_=round_)
    round_.types = types
    return round_


@pytest.fixture
def nominate(award_round):
    """nominate(by, member_or_unit, type_name='先进个人', submit=True) -> Nomination."""

    def _nominate(by, candidate, type_name="先进个人", *, submit=True, today=dt.date(YEAR, 6, 1)):
        award_type = award_round.types[type_name]
        kwargs = {"candidate_org": candidate} if award_type.is_collective else {"member": candidate}
        nomination = services.nomination_create(
            by=by,
            round_=award_round,
            award_type=award_type,
            deeds_summary=f"{getattr(candidate, 'name', '')}扎根一线，技术革新成果显著。",
            deeds_file=pdf(),
            congress_file=pdf("congress.pdf"),
            **kwargs,
        )
        if submit:
            nomination = services.nomination_submit(by=by, nomination=nomination, today=today)
        return nomination

    return _nominate
