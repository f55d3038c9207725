"""Rights cases in the REST API: a worker's own cases (list, detail with history, create with documents) and the
staff list of the cases a user may see (subtree, never a confidential case of their own employer's union)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from members.models import Enterprise
from members.selectors import member_of_user
from union_portal.api.pagination import PortalPagination
from union_portal.api.serializers import NoFormulaSerializerMixin
from union_portal.roles import Role
from union_portal.scoping import has_role
from union_portal.tree import OrgUnit

from .models import CaseOutcome, CaseStep, CaseType, ContactPreference, RightsCase
from .permissions.cases import CASE_STAFF_ROLES
from .selectors import cases as selectors
from .services import cases as services


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStep
        fields = ["kind", "on", "notes"]
        read_only_fields = fields


class MyCaseSerializer(serializers.ModelSerializer):
    union = serializers.CharField(source="org.name", read_only=True)
    employer = serializers.CharField(source="employer_display", read_only=True)
    money_recovered = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, read_only=True)
    # blank until the case is closed (a read-only model field loses allow_blank: declared so the schema says so)
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RightsCase
        fields = [
            "id",
            "number",
            "case_type",
            "status",
            "outcome",
            "employer",
            "union",
            "received_on",
            "accept_due",
            "answer_due",
            "close_due",
            "accepted_on",
            "first_answer_on",
            "closed_on",
            "money_recovered",
            "confidential",
            "satisfaction",
        ]
        read_only_fields = fields


class MyCaseDetailSerializer(MyCaseSerializer):
    history = StepSerializer(source="steps", many=True, read_only=True)

    class Meta(MyCaseSerializer.Meta):
        fields = [*MyCaseSerializer.Meta.fields, "facts", "requests", "history"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart request (described as binary in the schema)."""


class CaseCreateSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    township = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP), required=False, allow_null=True
    )
    facts = serializers.CharField(max_length=5000)
    requests = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact_preference = serializers.ChoiceField(choices=ContactPreference.choices, default=ContactPreference.PHONE)
    confidential = serializers.BooleanField(default=True, help_text="Keep it from the employer (default).")
    worker_count = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    health_details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=UploadField(), required=False, help_text="PDF, JPEG or PNG, at most 10 files, as multipart files."
    )


class MyCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A worker's own rights cases: list, detail with history, and a new request (multipart with documents)."""

    permission_classes = [IsAuthenticated]
    pagination_class = PortalPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RightsCase.objects.none()
        qs = selectors.my_cases(user=self.request.user).select_related("enterprise")
        if self.action == "retrieve":
            qs = qs.prefetch_related("steps")
        return qs

    def get_serializer_class(self):
        if self.action == "create":
            return CaseCreateSerializer
        return MyCaseDetailSerializer if self.action == "retrieve" else MyCaseSerializer

    @extend_schema(request=CaseCreateSerializer, responses={201: MyCaseDetailSerializer, 400: None, 403: None})
    def create(self, request):
        member = member_of_user(user=request.user)
        if member is None:
            raise PermissionDenied
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["documents"] = request.FILES.getlist("documents")
        case = services.case_file(by=request.user, member=member, **data)
        return Response(MyCaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class StaffCaseSerializer(serializers.ModelSerializer):
    union = serializers.CharField(source="org.name", read_only=True)
    employer = serializers.CharField(source="employer_display", read_only=True)
    worker_name = serializers.CharField(read_only=True)
    worker_mobile = serializers.CharField(source="worker_mobile_masked", read_only=True)
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RightsCase
        fields = [
            "id",
            "number",
            "case_type",
            "source",
            "status",
            "outcome",
            "employer",
            "union",
            "worker_name",
            "worker_mobile",
            "worker_count",
            "is_group",
            "confidential",
            "received_on",
            "accept_due",
            "answer_due",
            "close_due",
            "escalated_on",
            "satisfaction",
        ]
        read_only_fields = fields


class StaffCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The rights cases the user may see: rights officers and admins their subtree, handlers the cases their
    enterprise may learn of, lawyers the cases assigned to them. Filters: status, case_type, overdue."""

    permission_classes = [IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = StaffCaseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RightsCase.objects.none()
        if not has_role(self.request.user, *CASE_STAFF_ROLES, Role.LAWYER):
            raise PermissionDenied
        params = self.request.query_params
        return selectors.case_list(
            user=self.request.user,
            today=timezone.localdate(),
            status=params.get("status", ""),
            case_type=params.get("case_type", ""),
            overdue=params.get("overdue") in ("1", "true"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, required=False),
            OpenApiParameter("case_type", str, required=False),
            OpenApiParameter("overdue", bool, required=False),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
