"""Factories of the core's models: users and roles, the union tree, the holiday table, audit, notifications,
public notices, payment batches and surveys. Each goes through the service that makes the row where there is
one; the bootstrapping rows no service makes (a user, a role assignment) are created directly, as the demo
data does."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from union_portal import identity, tree
from union_portal.models import (
    ApiToken,
    AuditLog,
    BankLayout,
    Delivery,
    HolidayDay,
    Notification,
    NotificationPreference,
    Objection,
    OneTimeCode,
    OneTimeLink,
    OrgUnit,
    OrgUnitMove,
    Payment,
    PaymentBatch,
    PaymentSetting,
    PublicNotice,
    ReviewStep,
    RoleAssignment,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    User,
    WechatBinding,
    WechatConsent,
)
from union_portal.roles import Role, role_holders

PASSWORD = "Keqiao@2026!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The region code of the factories' ID numbers and credit codes (新昌县): neither the demo data nor the older
# helpers use it, so a factory's person is never someone the demo already holds.
REGION = "330624"

# One counter for the whole test process: ID numbers, mobiles and codes never repeat, whichever factory asks.
_person = itertools.count(1)


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    """A small valid PDF upload."""
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def new_id_number(*, birth: dt.date | None = None, sex: str | None = None) -> str:
    """A valid resident ID number (GB 11643 check digit by ``union_portal.identity``) that no other call returns:
    born on ``birth`` (default about 35 years before today; moved on by a day every 500 numbers), of ``sex``
    ("M"/"F"; default alternating)."""
    n = next(_person)
    birth = birth or timezone.localdate() - dt.timedelta(days=35 * 365)
    sex = sex or ("M" if n % 2 else "F")
    return identity.make_id_number(
        REGION, birth + dt.timedelta(days=n // 500), (n % 500) * 2 + (1 if sex == "M" else 0)
    )


def new_mobile() -> str:
    """A valid mobile number no other call returns."""
    return f"135{next(_person):08d}"


def holder(role: str, node: OrgUnit) -> User:
    """A user holding ``role`` at ``node`` or above it: the first one there already (the demo's accounts on the
    demo tree), else a new account given the role at ``node``."""
    user = role_holders(role, at_or_above=node).first()
    if user is None:
        user = RoleAssignmentFactory(role=role, node=node).user
    return user


def ancestor_of_kind(node: OrgUnit, kind: str) -> OrgUnit:
    """``node`` or its nearest ancestor of ``kind``; the root when there is none."""
    found = tree.ancestors(node, include_self=True).filter(kind=kind).order_by("-depth").first()
    return found or tree.ancestors(node, include_self=True).order_by("depth").first()


def district_admin_of(node: OrgUnit) -> User:
    return holder(Role.DISTRICT_ADMIN, ancestor_of_kind(node, OrgUnit.Kind.DISTRICT))


class UserFactory(DjangoModelFactory):
    """A portal account with no role (a worker's log-in until a member links it)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:05d}")
    full_name = factory.Faker("name", locale="zh_CN")
    mobile = factory.LazyFunction(new_mobile)
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(DjangoModelFactory):
    """A role at a node of the tree (default: a handler of a new grassroots union). Created directly: the
    accounts service needs a manager to grant it, and the first manager is granted this way too."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.HANDLER
    node = factory.SubFactory("tests.factories.core.GrassrootsUnionFactory")


class OrgUnitFactory(DjangoModelFactory):
    """A city federation: a new root of the tree. The subclasses build the levels below, each under a new
    parent unless one is given. Through ``members.services.org_unit_create`` (treebeard's paths, audit)."""

    class Meta:
        model = OrgUnit

    class Params:
        place = factory.Faker("city_name", locale="zh_CN")

    parent = None
    kind = OrgUnit.Kind.CITY
    code = factory.Sequence(lambda n: f"FX{n:05d}")
    name = factory.LazyAttribute(lambda o: f"{o.place}市总工会")

    @classmethod
    def _create(cls, model_class, *, parent, code, name, kind):
        from members import services

        return services.org_unit_create(by=None, parent=parent, code=code, name=name, kind=kind)


class DistrictFactory(OrgUnitFactory):
    parent = factory.SubFactory(OrgUnitFactory)
    kind = OrgUnit.Kind.DISTRICT
    name = factory.LazyAttribute(lambda o: f"{o.place}区总工会")


class TownshipFactory(OrgUnitFactory):
    parent = factory.SubFactory(DistrictFactory)
    kind = OrgUnit.Kind.TOWNSHIP
    name = factory.LazyAttribute(lambda o: f"{o.place}街道总工会")


class GrassrootsUnionFactory(OrgUnitFactory):
    class Params:
        firm = factory.Faker("company", locale="zh_CN")

    parent = factory.SubFactory(TownshipFactory)
    kind = OrgUnit.Kind.GRASSROOTS
    name = factory.LazyAttribute(lambda o: f"{o.firm}工会")


class UnionGroupFactory(OrgUnitFactory):
    parent = factory.SubFactory(GrassrootsUnionFactory)
    kind = OrgUnit.Kind.GROUP
    name = factory.Sequence(lambda n: f"第{n}工会小组")


class OrgUnitMoveFactory(DjangoModelFactory):
    """A grassroots union moved to another township of its district, through ``org_unit_move``."""

    class Meta:
        model = OrgUnitMove

    node = factory.SubFactory(GrassrootsUnionFactory)
    reason = "隶属关系调整"

    @classmethod
    def _create(cls, model_class, *, node, reason):
        from members import services

        district = ancestor_of_kind(node, OrgUnit.Kind.DISTRICT)
        services.org_unit_move(
            by=district_admin_of(node), node=node, new_parent=TownshipFactory(parent=district), reason=reason
        )
        return node.moves.get()


class HolidayDayFactory(DjangoModelFactory):
    """A day of the holiday table (a working Saturday by default), through ``awards.services.holiday_set``."""

    class Meta:
        model = HolidayDay

    date = factory.Sequence(lambda n: timezone.localdate() + dt.timedelta(days=30 + n))
    is_workday = True
    name = "调休上班"

    @classmethod
    def _create(cls, model_class, *, date, is_workday, name):
        from awards import services

        by = district_admin_of(DistrictFactory())
        return services.holiday_set(by=by, date=date, is_workday=is_workday, name=name)


class AuditLogFactory(DjangoModelFactory):
    """An audit row about a user account, through ``audit_record``."""

    class Meta:
        model = AuditLog

    actor = factory.SubFactory(UserFactory)
    action = "account.create"
    obj = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, actor, action, obj):
        from union_portal.audit import audit_record

        return audit_record(actor=actor, action=action, obj=obj)


class ApiTokenFactory(DjangoModelFactory):
    """A worker app's access token (with its refresh token), through ``apitokens.token_issue``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, user):
        from union_portal.apitokens import digest_of, token_issue

        issued = token_issue(user=user)
        return ApiToken.objects.get(digest=digest_of(issued.access))


class OneTimeCodeFactory(DjangoModelFactory):
    """A one-time SMS code for a public objection, issued through ``onetime.issue_code`` (the logging SMS
    backend receives it)."""

    class Meta:
        model = OneTimeCode

    purpose = "objection"
    mobile = factory.LazyFunction(lambda: new_mobile())

    @classmethod
    def _create(cls, model_class, *, purpose, mobile):
        from union_portal.onetime import issue_code

        return issue_code(purpose=purpose, mobile=mobile, ip="")


class OneTimeLinkFactory(DjangoModelFactory):
    """A one-time 2FA enrolment link for a user, through ``onetime.issue_link``."""

    class Meta:
        model = OneTimeLink

    purpose = "enrol"  # union_portal.twofactor.ENROL_PURPOSE
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, purpose, user):
        from union_portal.onetime import issue_link

        issue_link(purpose=purpose, user=user)
        return OneTimeLink.objects.filter(purpose=purpose, user=user).latest("pk")


class NotificationFactory(DjangoModelFactory):
    """An inbox message with an SMS delivery, through ``notify``."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event_key = factory.Sequence(lambda n: f"factory:{n}")
    title = "您的申请已受理"
    body = factory.Faker("sentence", locale="zh_CN")
    link = ""
    phone = factory.LazyAttribute(lambda o: o.user.mobile)

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal.notifications import notify

        return notify(**fields)


class DeliveryFactory(DjangoModelFactory):
    """The SMS delivery of a new notification."""

    class Meta:
        model = Delivery

    notification = factory.SubFactory(NotificationFactory)

    @classmethod
    def _create(cls, model_class, *, notification):
        return notification.deliveries.get(channel=Delivery.Channel.SMS)


class NotificationPreferenceFactory(DjangoModelFactory):
    """A user's choice of channels (SMS off by default here: the choice someone makes), through the service."""

    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    sms = False
    wechat = True

    @classmethod
    def _create(cls, model_class, *, user, sms, wechat):
        from union_portal.channels import notification_channels_set

        notification_channels_set(user=user, sms=sms, wechat=wechat)
        return NotificationPreference.objects.get(user=user)


class WechatBindingFactory(DjangoModelFactory):
    """A user bound to WeChat through ``wechat_bind`` (the logging backend turns the code ``c`` into ``o-c``)."""

    class Meta:
        model = WechatBinding

    user = factory.SubFactory(UserFactory)
    code = factory.Sequence(lambda n: f"factory-code-{n}")

    @classmethod
    def _create(cls, model_class, *, user, code):
        from django.test.utils import override_settings

        from union_portal.channels import wechat_bind

        with override_settings(WECHAT_BACKEND="union_portal.wechat.LoggingWechatBackend"):
            return wechat_bind(user=user, code=code)


class WechatConsentFactory(DjangoModelFactory):
    """One subscription consent of a bound user, through ``wechat_consent_add`` (with the template configured)."""

    class Meta:
        model = WechatConsent

    binding = factory.SubFactory(WechatBindingFactory)
    template_id = "TPL-FACTORY"

    @classmethod
    def _create(cls, model_class, *, binding, template_id):
        from django.conf import settings
        from django.test.utils import override_settings

        from union_portal.channels import wechat_consent_add

        templates = {**settings.WECHAT_TEMPLATES, "general": {"id": template_id, "fields": {"thing1": "title"}}}
        with override_settings(WECHAT_TEMPLATES=templates):
            wechat_consent_add(user=binding.user, template_ids=[template_id])
        return WechatConsent.objects.get(binding=binding, template_id=template_id)


class PublicNoticeFactory(DjangoModelFactory):
    """Five working days' notice, from today, about a grassroots union, through ``notice_open``."""

    class Meta:
        model = PublicNotice

    subject = factory.SubFactory(GrassrootsUnionFactory)
    org = factory.LazyAttribute(lambda o: ancestor_of_kind(o.subject, OrgUnit.Kind.DISTRICT))
    by = factory.LazyAttribute(lambda o: district_admin_of(o.org))
    title = factory.LazyAttribute(lambda o: f"{o.subject}先进集体推荐公示")
    starts_on = factory.LazyFunction(timezone.localdate)
    working_days = 5

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal.notices import services

        return services.notice_open(**fields)


class ObjectionFactory(DjangoModelFactory):
    """An objection to a running notice, through ``objection_file``."""

    class Meta:
        model = Objection

    notice = factory.SubFactory(PublicNoticeFactory)
    name = factory.Faker("name", locale="zh_CN")
    phone = factory.LazyFunction(new_mobile)
    content = "该单位推荐材料与实际情况不符。"

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal import onetime
        from union_portal.notices import services

        if "code" not in fields:  # as if the objector typed the code the SMS brought
            fields["code"] = onetime.code_for_seed(purpose="objection", mobile=fields["phone"])
        return services.objection_file(validate_phone=identity.validate_mobile, **fields)


class ReviewStepFactory(DjangoModelFactory):
    """A township pass of a grassroots union's file, through ``review_record``."""

    class Meta:
        model = ReviewStep

    subject = factory.SubFactory(GrassrootsUnionFactory)
    by = factory.LazyAttribute(lambda o: holder(Role.TOWNSHIP_STAFF, tree.parent(o.subject)))
    stage = ReviewStep.Stage.TOWNSHIP
    decision = ReviewStep.Decision.PASS
    comment = ""

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal.notices import services

        return services.review_record(**fields)


class PaymentBatchFactory(DjangoModelFactory):
    """An open batch of one payment to a member (the paying object), through ``payments.services.batch_create``."""

    class Meta:
        model = PaymentBatch

    class Params:
        payer = factory.SubFactory("tests.factories.members.MemberFactory")
        amount = Decimal("1200.00")

    org = factory.LazyAttribute(lambda o: ancestor_of_kind(o.payer.org, OrgUnit.Kind.DISTRICT))
    by = factory.LazyAttribute(lambda o: holder(Role.FINANCE, o.org))
    app_label = "mutual_aid"
    items = factory.LazyAttribute(
        lambda o: [
            _payment_item(
                payer=o.payer,
                amount=o.amount,
                account_name=o.payer.name,
                bank_account=o.payer.bank_account,
                bank_name=o.payer.bank_name,
                purpose="医疗互助金",
                reference=f"M{o.payer.pk}",
            )
        ]
    )

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal.payments import services

        return services.batch_create(**fields)


def _payment_item(**fields):
    from union_portal.payments.services import PaymentItem

    return PaymentItem(**fields)


class PaymentFactory(DjangoModelFactory):
    """The payment of a new batch."""

    class Meta:
        model = Payment

    batch = factory.SubFactory(PaymentBatchFactory)

    @classmethod
    def _create(cls, model_class, *, batch):
        return batch.payments.get()


class BankLayoutFactory(DjangoModelFactory):
    """A CSV layout in GBK (unverified) with a summary line, through ``payments.services.layout_save``."""

    class Meta:
        model = BankLayout

    by = factory.LazyFunction(lambda: holder(Role.FINANCE, DistrictFactory()))
    name = factory.Sequence(lambda n: f"测试银行批量转账{n}")
    bank = "测试银行"
    file_format = "csv"
    encoding = "gbk"
    header_row = True
    summary = "last"
    columns = factory.LazyFunction(
        lambda: [
            {"source": "seq", "header": "序号"},
            {"source": "account", "header": "账号"},
            {"source": "payee_name", "header": "户名"},
            {"source": "amount", "header": "金额", "amount_rule": "yuan"},
            {"source": "purpose", "header": "用途"},
        ]
    )

    @classmethod
    def _create(cls, model_class, *, by, **data):
        from union_portal.payments import services

        return services.layout_save(by=by, layout=None, data=data)


class PaymentSettingFactory(DjangoModelFactory):
    """A district's bank settings (default layout, own account), through ``payments.services.setting_save``."""

    class Meta:
        model = PaymentSetting

    org = factory.SubFactory(DistrictFactory)
    by = factory.LazyAttribute(lambda o: holder(Role.FINANCE, o.org))
    default_layout = factory.SubFactory(BankLayoutFactory)
    payer_account = "201000123456789012"
    payer_name = "测试区总工会"

    @classmethod
    def _create(cls, model_class, **fields):
        from union_portal.payments import services

        return services.setting_save(**fields)


class SurveyFactory(DjangoModelFactory):
    """A draft survey of a district with two rating questions and a comment box, through ``survey_create``;
    ``published=True`` opens it (``survey_publish``)."""

    class Meta:
        model = Survey

    published = False
    owner = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"会员服务满意度测评{n}")
    service = "会员服务"
    questions = ("办理是否及时", "服务态度是否满意")

    @classmethod
    def _create(cls, model_class, *, owner, title, service, questions, published):
        from union_portal.surveys import services

        by = district_admin_of(owner)
        survey = services.survey_create(by=by, owner=owner, title=title, service=service, questions=list(questions))
        if published:
            survey = services.survey_publish(by=by, survey=survey)
        return survey


class SurveyQuestionFactory(DjangoModelFactory):
    """The first question of a new survey."""

    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)

    @classmethod
    def _create(cls, model_class, *, survey):
        return survey.questions.order_by("position").first()


def _member_with_account(org: OrgUnit):
    """A member of ``org`` who can log in."""
    from tests.factories.members import MemberFactory

    return MemberFactory(org=org, user=UserFactory())


class SurveyParticipationFactory(DjangoModelFactory):
    """That a member of a union below the survey's owner answered it (every rating 4), through
    ``survey_answer``; the anonymous response and answers come with it."""

    class Meta:
        model = SurveyParticipation

    survey = factory.SubFactory(SurveyFactory, published=True)
    user = factory.LazyAttribute(
        lambda o: _member_with_account(GrassrootsUnionFactory(parent=TownshipFactory(parent=o.survey.owner))).user
    )
    rating = 4

    @classmethod
    def _create(cls, model_class, *, survey, user, rating):
        from union_portal.surveys import services

        questions = survey.questions.filter(kind=SurveyQuestion.Kind.RATING)
        services.survey_answer(user=user, survey=survey, ratings={q.pk: rating for q in questions})
        return SurveyParticipation.objects.get(survey=survey, user=user)


class SurveyResponseFactory(DjangoModelFactory):
    """The anonymous response a member's answer leaves."""

    class Meta:
        model = SurveyResponse

    participation = factory.SubFactory(SurveyParticipationFactory)

    @classmethod
    def _create(cls, model_class, *, participation):
        return participation.survey.responses.get()


class SurveyAnswerFactory(DjangoModelFactory):
    """One answer of a new response."""

    class Meta:
        model = SurveyAnswer

    response = factory.SubFactory(SurveyResponseFactory)

    @classmethod
    def _create(cls, model_class, *, response):
        return response.answers.first()
