"""Factories of rights cases (labour, part cases): through the real services."""

import datetime as dt

from django.contrib.auth import get_user_model

from labour.models import Lawyer, RightsCase
from labour.services import cases as services
from union_portal.roles import Role


def make_officer(username: str, node, *, role: str = Role.RIGHTS_OFFICER):
    """A rights officer (or another role) at ``node``."""
    user, _created = get_user_model().objects.get_or_create(username=username, defaults={"full_name": username})
    user.assignments.get_or_create(role=role, node=node)
    return user


def make_lawyer(username: str, district, *, name: str = "张律师", firm: str = "浙江柯桥律师事务所") -> Lawyer:
    user = make_officer(username, district, role=Role.LAWYER)
    return Lawyer.objects.create(name=name, firm=firm, specialities="劳动争议", user=user)


def make_case(
    *,
    by,
    enterprise=None,
    employer_name: str = "",
    township=None,
    case_type: str = "unpaid_wages",
    confidential: bool = True,
    worker_count: int = 1,
    worker_name: str = "李四",
    worker_mobile: str = "13800000001",
    today: dt.date | None = None,
    member=None,
) -> RightsCase:
    """A hotline case recorded by ``by`` (a rights officer)."""
    return services.case_record(
        by=by,
        case_type=case_type,
        facts="老板拖欠三个月工资",
        requests="补发工资",
        enterprise=enterprise,
        employer_name=employer_name,
        township=township,
        worker_name=worker_name,
        worker_mobile=worker_mobile,
        member=member,
        confidential=confidential,
        worker_count=worker_count,
        today=today,
    )
