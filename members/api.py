"""REST API of the roll (DRF): scoped exactly like the pages, paginated without COUNT, personal data masked."""

import segno
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal.api.pagination import CountlessPagination, PortalPagination
from union_portal.api.serializers import NoFormulaSerializerMixin
from union_portal.crypto import mask_account, mask_id_number, mask_name, mask_phone
from union_portal.models import OrgUnit
from union_portal.roles import SUBTREE_ROLES

from . import selectors, services
from .models import JoinApplication, Member
from .permissions import can_see_roll, get_member_for


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MemberListSerializer(serializers.ModelSerializer):
    org = OrgRefSerializer(read_only=True)
    mobile_masked = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "member_number",
            "name",
            "sex",
            "org",
            "job",
            "is_frontline",
            "is_migrant",
            "is_hardship",
            "joined_on",
            "status",
            "mobile_masked",
        ]

    def get_mobile_masked(self, member) -> str:
        return mask_phone(member.mobile)


class MemberDetailSerializer(MemberListSerializer):
    id_number_masked = serializers.SerializerMethodField()
    bank_account_masked = serializers.SerializerMethodField()
    enterprise = serializers.CharField(source="enterprise.name", default="", read_only=True)

    class Meta(MemberListSerializer.Meta):
        fields = [
            *MemberListSerializer.Meta.fields,
            "birth_date",
            "enterprise",
            "bank_name",
            "status_changed_on",
            "id_number_masked",
            "bank_account_masked",
        ]

    def get_id_number_masked(self, member) -> str:
        return mask_id_number(member.id_number)

    def get_bank_account_masked(self, member) -> str:
        return mask_account(member.bank_account)


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description=str(_("Name, member number, mobile or full ID number"))),
        OpenApiParameter("status", str, enum=Member.Status.values),
        OpenApiParameter("unit", str, description=str(_("Code of a unit: its subtree only"))),
    ]
)
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff: the members in their subtree (list and detail). A worker may read their own record."""

    pagination_class = CountlessPagination
    serializer_class = MemberListSerializer

    def get_serializer_class(self):
        return MemberDetailSerializer if self.action == "retrieve" else MemberListSerializer

    def get_queryset(self):
        params = self.request.query_params
        org = None
        if params.get("unit"):
            org = selectors.org_by_code_in_scope(user=self.request.user, code=params["unit"], roles=SUBTREE_ROLES)
            if org is None:
                return Member.objects.none()
        status_value = params.get("status", "")
        filters = selectors.MemberFilters(
            q=params.get("search", "")[:50],
            org=org,
            status=status_value if status_value in Member.Status.values else "",
        )
        return selectors.member_list(user=self.request.user, filters=filters)

    def list(self, request, *args, **kwargs):
        if not can_see_roll(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def get_object(self):
        member = get_member_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, member)
        return member


class JoinApplicationSerializer(NoFormulaSerializerMixin, serializers.ModelSerializer):
    union_code = serializers.CharField(write_only=True, label=_("code of the grassroots union"))
    id_number = serializers.CharField(write_only=True, label=_("resident ID number"))
    mobile = serializers.CharField(write_only=True, label=_("mobile phone"))
    consent = serializers.BooleanField(
        write_only=True,
        default=False,
        label=_("consent to the personal information notice"),
        help_text="true once the applicant consented to the personal information notice (see consent_version)",
    )
    org = OrgRefSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, approved, transfer, rejected")

    class Meta:
        model = JoinApplication
        fields = [
            "id",
            "union_code",
            "org",
            "name",
            "id_number",
            "mobile",
            "job",
            "is_frontline",
            "is_migrant",
            "consent",
            "consent_version",
            "status",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = ["id", "org", "consent_version", "status", "decision_reason", "created_at"]


class CardSerializer(serializers.Serializer):
    member = MemberDetailSerializer(allow_null=True)
    verify_url = serializers.CharField(allow_blank=True)
    qr_svg = serializers.CharField(allow_blank=True)
    applications = JoinApplicationSerializer(many=True)


class MeView(APIView):
    """The worker's own membership, card (verification URL and QR code as SVG) and join applications."""

    @extend_schema(responses=CardSerializer)
    def get(self, request):
        member = selectors.member_of_user(user=request.user)
        verify_url = qr_svg = ""
        if member is not None:
            verify_url = selectors.card_verify_url(member)
            qr_svg = segno.make(verify_url, error="m").svg_inline(scale=4)
        applications = selectors.joins_of_user(user=request.user)[:10]
        return Response(
            {
                "member": MemberDetailSerializer(member).data if member else None,
                "verify_url": verify_url,
                "qr_svg": qr_svg,
                "applications": JoinApplicationSerializer(applications, many=True).data,
            }
        )


class JoinView(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A worker applies to join a grassroots union (by its code); the union's handler decides. GET lists the
    worker's own applications, newest first, with their status and the reason of a rejection (as on the card
    page). An application cannot be withdrawn: the web offers no such step either."""

    serializer_class = JoinApplicationSerializer
    pagination_class = PortalPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return JoinApplication.objects.none()
        return selectors.joins_of_user(user=self.request.user)

    @extend_schema(
        responses={
            201: JoinApplicationSerializer,
            400: OpenApiResponse(description="Invalid input (code: invalid)."),
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = OrgUnit.objects.filter(code=data.pop("union_code").strip(), kind=OrgUnit.Kind.GRASSROOTS).first()
        if org is None:
            raise serializers.ValidationError({"union_code": [str(_("No grassroots union has this code."))]})
        application = services.join_submit(user=request.user, org=org, **data)
        return Response(JoinApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class CardCheckSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    masked_name = serializers.CharField(help_text="张三丰 -> 张*丰")
    union = serializers.CharField()
    status = serializers.ChoiceField(choices=Member.Status.choices)
    status_label = serializers.CharField()
    checked_at = serializers.DateTimeField()


class CardCheckView(APIView):
    """Public: check a membership card by the code of its short link (``/v/<code>``, what its QR code
    encodes), as the web check page does: masked name, union and status of a valid card; a code never issued,
    tampered with, or of a card shown before the membership's status or union changed is 404 (code
    ``card_invalid``) and says nothing of the member."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses={
            200: CardCheckSerializer,
            404: OpenApiResponse(description="Not valid or expired (code: card_invalid)."),
        }
    )
    def get(self, request, code: str):
        member = selectors.member_from_card_code(code)
        response = Response(
            {
                "detail": str(_("This membership card is not valid or has been tampered with")),
                "code": "card_invalid",
            },
            status=status.HTTP_404_NOT_FOUND,
        )
        if member is not None:
            response = Response(
                CardCheckSerializer(
                    {
                        "valid": True,
                        "masked_name": mask_name(member.name),
                        "union": member.org.name,
                        "status": member.status,
                        "status_label": member.get_status_display(),
                        "checked_at": timezone.now(),
                    }
                ).data
            )
        response["Cache-Control"] = "no-store"  # the answer is about now, as the web page's
        return response
