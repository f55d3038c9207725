"""REST API of hardship applications: a worker's own application (create, documents, submit, status, history)
and the staff list, scoped like the pages. Health and income details are not in the staff list."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from union_portal.api.pagination import CountlessPagination, PortalPagination
from union_portal.api.serializers import NoFormulaSerializerMixin
from union_portal.membership import member_of_user

from .models import Application, ApplicationDocument, IncomeItem, SpendingItem
from .models.choices import Cause, Health, Relation, WorkStatus
from .permissions import applications as perms
from .selectors import applications as selectors
from .services import applications as services


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart request (binary in the schema)."""


class ApplicationPersonInSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    relation = serializers.ChoiceField(choices=Relation.choices)
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    age = serializers.IntegerField()
    health = serializers.ChoiceField(choices=Health.choices, default=Health.HEALTHY)
    health_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    work = serializers.ChoiceField(choices=WorkStatus.choices, default=WorkStatus.EMPLOYED)
    school = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ApplicationIncomeInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncomeItem.Source.choices)
    amount = serializers.CharField(max_length=20, help_text="Yuan over the last 12 months, e.g. 24000.00")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ApplicationSpendingInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SpendingItem.Kind.choices)
    amount = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ApplicationInSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    causes = serializers.ListField(child=serializers.ChoiceField(choices=Cause.choices))
    cause_note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    housing = serializers.ChoiceField(choices=Application.Housing.choices, required=False, allow_blank=True)
    housing_area = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    assets_note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    household = ApplicationPersonInSerializer(many=True)
    incomes = ApplicationIncomeInSerializer(many=True)
    spending = ApplicationSpendingInSerializer(many=True, required=False, default=list)


class ApplicationDocumentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationDocument.Kind.choices)
    file = UploadField()


class ApplicationSubmitSerializer(serializers.Serializer):
    consent_sensitive = serializers.BooleanField(
        help_text="PIPL art. 29: separate consent to the processing of health, income and family data"
    )
    consent_check = serializers.BooleanField(help_text="Authorisation for the union to check with other agencies")


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = ["id", "kind", "created_at"]


class MyApplicationSerializer(serializers.ModelSerializer):
    documents = ApplicationDocumentSerializer(many=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "channel",
            "causes",
            "category",
            "outcome_note",
            "submitted_at",
            "created_at",
            "documents",
        ]


class ApplicationHistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    what = serializers.CharField()
    comment = serializers.CharField()


class StaffApplicationSerializer(serializers.ModelSerializer):
    worker = serializers.CharField(source="member.name")
    union = serializers.CharField(source="org.name")

    class Meta:
        model = Application
        fields = ["id", "number", "worker", "union", "status", "category", "submitted_at"]


class IsMember(BasePermission):
    def has_permission(self, request, view):
        return member_of_user(user=request.user, holding_only=True) is not None


def _drf(exc: ValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


REFUSALS = {
    400: OpenApiResponse(description="Invalid input or not allowed now (code: invalid)."),
    404: OpenApiResponse(description="No such application of yours (code: not_found)."),
}


class MyApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The worker's own hardship applications: create a draft (household, incomes, spending, causes), add
    documents (multipart), submit with the two consents, read the status and the history."""

    permission_classes = [IsAuthenticated, IsMember]
    pagination_class = PortalPagination
    serializer_class = MyApplicationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return selectors.applications_of_user(user=self.request.user).prefetch_related("documents")

    @extend_schema(request=ApplicationInSerializer, responses={201: MyApplicationSerializer, **REFUSALS})
    def create(self, request):
        serializer = ApplicationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application = services.application_save(
                by=request.user,
                member=member_of_user(user=request.user, holding_only=True),
                data=services.ApplicationData(
                    causes=data["causes"],
                    cause_note=data["cause_note"],
                    housing=data.get("housing", ""),
                    housing_area=data["housing_area"],
                    assets_note=data["assets_note"],
                ),
                household=[services.PersonData(**row) for row in data["household"]],
                incomes=[services.AmountData(**row) for row in data["incomes"]],
                spending=[services.AmountData(**row) for row in data["spending"]],
            )
        except ValidationError as exc:
            raise _drf(exc) from None
        return Response(MyApplicationSerializer(self._fresh(application)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ApplicationDocumentInSerializer},
        responses={201: ApplicationDocumentSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        """Add a document (PDF, JPEG or PNG): income proof, medical records, the signed authorisation, ..."""
        application = self.get_object()
        serializer = ApplicationDocumentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.application_document_add(
                by=request.user,
                application=application,
                kind=serializer.validated_data["kind"],
                uploaded=serializer.validated_data["file"],
            )
        except ValidationError as exc:
            raise _drf(exc) from None
        return Response(ApplicationDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationSubmitSerializer, responses={200: MyApplicationSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (or resubmit after a return): both consents and the signed authorisation are needed."""
        application = self.get_object()
        serializer = ApplicationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.application_submit(by=request.user, application=application, **serializer.validated_data)
        except ValidationError as exc:
            raise _drf(exc) from None
        return Response(MyApplicationSerializer(self._fresh(application)).data)

    @extend_schema(responses={200: ApplicationHistorySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        application = self.get_object()
        return Response(
            ApplicationHistorySerializer(selectors.application_history(application=application), many=True).data
        )

    def _fresh(self, application: Application) -> Application:
        return self.get_queryset().get(pk=application.pk)


class StaffApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Applications in the staff member's area (as the list page), newest first; filter ?status=."""

    permission_classes = [IsAuthenticated]
    pagination_class = CountlessPagination
    serializer_class = StaffApplicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        if not perms.is_staff(self.request.user):
            raise PermissionDenied
        wanted = self.request.query_params.get("status", "")
        return selectors.application_list(
            user=self.request.user, status=wanted if wanted in Application.Status.values else ""
        )
