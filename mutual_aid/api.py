"""Mutual-aid REST API: the public estimator, a member's own claims, the staff claims list."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.selectors import member_of_user
from union_portal.api.pagination import CountlessPagination, PortalPagination
from union_portal.api.serializers import NoFormulaSerializerMixin
from union_portal.money import ZERO
from union_portal.throttling import PortalScopedRateThrottle

from . import selectors, services
from .models import CLAIM_DOCUMENT_KINDS, Benefit, Claim, ClaimDocument, ClaimEvent
from .permissions import can_see_claims
from .rules import fmt


class Money(serializers.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)


# --- Estimator ------------------------------------------------------------------------------------------
class EstimateSerializer(serializers.Serializer):
    benefit = serializers.ChoiceField(choices=Benefit.Kind.choices)
    base = Money(required=False, min_value=ZERO)
    prior_base = Money(required=False, min_value=ZERO)
    prior_paid = Money(required=False, min_value=ZERO)
    disease = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs["benefit"] == Benefit.Kind.INPATIENT and attrs.get("base") is None:
            raise serializers.ValidationError({"base": gettext_lazy("Give the amount.")})
        if attrs["benefit"] != Benefit.Kind.INPATIENT and not attrs.get("disease"):
            raise serializers.ValidationError({"disease": gettext_lazy("Give a disease code from the scheme's list.")})
        return attrs


EstimateResponse = inline_serializer(
    "EstimateResponse",
    {
        "amount": serializers.CharField(),
        "lines": serializers.ListField(child=serializers.DictField()),
        "capped": serializers.BooleanField(),
        "prior_base": serializers.CharField(),
        "prior_paid": serializers.CharField(),
    },
)


class EstimateView(APIView):
    """Benefit estimator (试算). Anonymous allowed, rate-limited. A logged-in member's prior figures default
    to their own ledger for the current period."""

    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "estimate"

    @extend_schema(request=EstimateSerializer, responses={200: EstimateResponse, 404: None})
    def post(self, request):
        serializer = EstimateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member = member_of_user(user=request.user, holding_only=True)
        scheme = selectors.scheme_current()
        ledger = selectors.ledger_of(scheme=scheme, member=member) if member and scheme else None
        prior_base = data.get("prior_base", ledger.cumulative_base if ledger else ZERO)
        prior_paid = data.get("prior_paid", ledger.inpatient_paid if ledger else ZERO)
        try:
            result = selectors.estimate(
                kind=data["benefit"],
                base=data.get("base"),
                prior_base=prior_base,
                prior_paid=prior_paid,
                disease=data.get("disease", ""),
                used=ledger.lump_sums_used if ledger else [],
            )
        except ValidationError as exc:
            raise serializers.ValidationError({"disease": exc.messages}) from None
        if result is None:
            return Response(
                {"detail": _("No scheme offers this benefit now."), "code": "no_scheme"},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            {
                "amount": fmt(result.amount),
                "lines": result.lines,
                "capped": result.capped,
                "prior_base": fmt(prior_base),
                "prior_paid": fmt(prior_paid),
            }
        )


# --- Claims ---------------------------------------------------------------------------------------------
class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    ok = serializers.BooleanField()
    message = serializers.SerializerMethodField()

    def get_message(self, obj) -> str:
        return services.check_message(obj)


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The web page's link (a logged-in browser session).")
    download = serializers.SerializerMethodField(help_text="The file over the API (with the bearer token).")

    class Meta:
        model = ClaimDocument
        fields = ["id", "kind", "content_kind", "uploaded_at", "url", "download"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("mutual_aid:claim_document", args=[obj.claim_id, obj.pk])

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("mutual-aid-my-claim-document", args=[obj.claim_id, obj.pk])


class ClaimSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    benefit = serializers.CharField(source="benefit.kind")
    member_name = serializers.CharField(source="member.name")
    union = serializers.CharField(source="member.org.name")
    bank_account = serializers.CharField(source="bank_account_masked")
    total_amount = Money()
    self_paid_amount = Money()
    excluded_amount = Money()
    proposed_amount = Money(allow_null=True)
    approved_amount = Money(allow_null=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "status",
            "benefit",
            "member_name",
            "union",
            "hospital",
            "admission_date",
            "discharge_date",
            "total_amount",
            "self_paid_amount",
            "excluded_amount",
            "disease_code",
            "proposed_amount",
            "approved_amount",
            "bank_account",
            "submitted_at",
            "paid_at",
        ]
        read_only_fields = fields


class StaffClaimSerializer(ClaimSerializer):
    """A claim in the staff list: a name of its own in the schema, as its page has no count (CountlessPagination)
    and the member's page has one; both pages were one component, "PaginatedClaimList", without the count."""


class ClaimDetailSerializer(ClaimSerializer):
    checks = CheckSerializer(source="auto_checks", many=True)
    documents = DocumentSerializer(many=True)
    invoices = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    missing_documents = serializers.ListField(child=serializers.CharField())
    can_appeal = serializers.SerializerMethodField()
    account_awaits_confirmation = serializers.SerializerMethodField(
        help_text="A staff person entered a new payee account: the member confirms it (confirm-account)."
    )

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields,
            "checks",
            "working",
            "approved_working",
            "documents",
            "invoices",
            "missing_documents",
            "return_note",
            "adjust_reason",
            "rejection_reason",
            "appeal_reason",
            "consent_version",
            "can_appeal",
            "account_awaits_confirmation",
        ]
        read_only_fields = fields

    def get_can_appeal(self, obj) -> bool:
        return services.can_appeal(obj)

    def get_account_awaits_confirmation(self, obj) -> bool:
        return obj.payee_change_by_id is not None and obj.status == Claim.Status.APPROVED


class EventSerializer(serializers.ModelSerializer):
    amount = Money(allow_null=True)

    class Meta:
        model = ClaimEvent
        fields = ["action", "from_status", "to_status", "note", "amount", "at"]


class ClaimCreateSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    benefit = serializers.ChoiceField(choices=Benefit.Kind.choices)
    hospital = serializers.CharField(max_length=100)
    admission_date = serializers.DateField()
    discharge_date = serializers.DateField()
    total_amount = serializers.CharField()
    self_paid_amount = serializers.CharField()
    excluded_amount = serializers.CharField(required=False, default="0")
    disease_code = serializers.CharField(required=False, allow_blank=True, default="")
    invoice_numbers = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    bank_account = serializers.CharField(required=False, allow_blank=True, default="")
    bank_name = serializers.CharField(required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(help_text="PIPL art. 29 separate consent to processing medical data")


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart request. Without COMPONENT_SPLIT_REQUEST drf-spectacular describes a FileField
    by its response form (a URL); this says "binary", so that generated clients send a file, not a string."""


# One multipart file list per document kind: doc_invoice, doc_settlement, ...
for _kind in CLAIM_DOCUMENT_KINDS:
    ClaimCreateSerializer._declared_fields[f"doc_{_kind}"] = serializers.ListField(child=UploadField(), required=False)


class AppealSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    documents = serializers.ListField(
        child=UploadField(),
        required=False,
        help_text="Documents for the appeal (PDF, JPEG or PNG, at most 10 MB each), as multipart files.",
    )


class ResubmitSerializer(serializers.Serializer):
    """One multipart file list per missing document kind (``doc_<kind>``, as when filing)."""


for _kind in CLAIM_DOCUMENT_KINDS:
    ResubmitSerializer._declared_fields[f"doc_{_kind}"] = serializers.ListField(child=UploadField(), required=False)


class AccountSerializer(NoFormulaSerializerMixin, serializers.Serializer):
    account_holder = serializers.CharField(max_length=50, help_text="The member's own name.")
    bank_account = serializers.CharField(max_length=40)
    bank_name = serializers.CharField(max_length=50)


def _documents_sent(request) -> list[tuple[str, object]]:
    """(kind, file) for each file of the multipart lists ``doc_<kind>`` (filing, and the documents asked for)."""
    return [(kind, upload) for kind in CLAIM_DOCUMENT_KINDS for upload in request.FILES.getlist(f"doc_{kind}")]


def _refusals(**extra) -> dict:
    """The error answers of a worker's claim action: refused input or a step the claim's state does not allow
    (400), not a member (403), not their claim (404)."""
    return {
        400: OpenApiResponse(description="Invalid input or not allowed now (code: invalid)."),
        403: OpenApiResponse(description="Not a member (code: permission_denied)."),
        404: OpenApiResponse(description="No such claim of yours (code: not_found)."),
        **extra,
    }


class IsMember(BasePermission):
    def has_permission(self, request, view):
        return member_of_user(user=request.user, holding_only=True) is not None


class MyClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A member's own claims: list, detail, file (multipart with documents), status history, documents, appeal
    (with documents), the missing documents after a return, a new account after a failed payment and the
    confirmation of an account a staff person entered: the steps the worker's claim page offers. A filed claim
    cannot be withdrawn (the web offers no such step)."""

    permission_classes = [IsAuthenticated, IsMember]
    pagination_class = PortalPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    DETAIL_PREFETCH = ("documents", "invoices")  # what ClaimDetailSerializer reads

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Claim.objects.none()
        qs = selectors.claim_list_own(user=self.request.user).select_related("member__org")
        if self.action == "retrieve":
            qs = qs.prefetch_related(*self.DETAIL_PREFETCH)
        return qs

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    # Only multipart in the schema: documents cannot travel in JSON or a urlencoded form, and a generated client
    # given three request types of one model sends the last one listed (openapi-python-client: JSON).
    @extend_schema(request={"multipart/form-data": ClaimCreateSerializer}, responses={201: ClaimDetailSerializer})
    def create(self, request):
        serializer = ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        documents = _documents_sent(request)
        claim = services.claim_submit(
            by=request.user,
            member=member_of_user(user=request.user, holding_only=True),
            benefit_kind=data["benefit"],
            hospital=data["hospital"],
            admission_date=data["admission_date"],
            discharge_date=data["discharge_date"],
            total_amount=data["total_amount"],
            self_paid_amount=data["self_paid_amount"],
            excluded_amount=data["excluded_amount"],
            disease_code=data["disease_code"],
            invoice_numbers=data["invoice_numbers"],
            documents=documents,
            bank_account=data["bank_account"],
            bank_name=data["bank_name"],
            consent=data["consent"],
        )
        return Response(ClaimDetailSerializer(claim).data, status=status.HTTP_201_CREATED)

    # The history is one plain list (never paged): pagination_class=None says so in the schema too.
    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        claim = self.get_object()
        return Response(EventSerializer(selectors.claim_history(claim=claim), many=True).data)

    @extend_schema(
        request={"multipart/form-data": AppealSerializer}, responses={200: ClaimDetailSerializer, **_refusals()}
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """Appeal a rejection once, within 30 days, optionally with documents (multipart ``documents``)."""
        claim = self.get_object()
        serializer = AppealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_appeal(
            by=request.user,
            claim=claim,
            reason=serializer.validated_data["reason"],
            documents=request.FILES.getlist("documents"),
        )
        return Response(ClaimDetailSerializer(self._fresh(claim)).data)

    @extend_schema(
        request={"multipart/form-data": ResubmitSerializer}, responses={200: ClaimDetailSerializer, **_refusals()}
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Add the documents the reviewer asked for (``missing_documents``, each as multipart ``doc_<kind>``);
        the claim is reviewed again."""
        claim = self.get_object()
        documents = _documents_sent(request)
        claim = services.claim_resubmit(by=request.user, claim=claim, documents=documents)
        return Response(ClaimDetailSerializer(self._fresh(claim)).data)

    @extend_schema(request=AccountSerializer, responses={200: ClaimDetailSerializer, **_refusals()})
    @action(detail=True, methods=["post"])
    def account(self, request, pk=None):
        """After a failed payment: the account to pay instead, in the member's own name."""
        claim = self.get_object()
        serializer = AccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_correct_account(by=request.user, claim=claim, **serializer.validated_data)
        return Response(ClaimDetailSerializer(self._fresh(claim)).data)

    @extend_schema(request=None, responses={200: ClaimDetailSerializer, **_refusals()})
    @action(detail=True, methods=["post"], url_path="confirm-account")
    def confirm_account(self, request, pk=None):
        """Confirm the payee account a staff person entered for the member (``account_awaits_confirmation``)."""
        claim = self.get_object()
        claim = services.claim_confirm_account(by=request.user, claim=claim)
        return Response(ClaimDetailSerializer(self._fresh(claim)).data)

    @extend_schema(
        responses={
            # the file as uploaded: the content types the upload checks let in (union_portal.uploads)
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such document of yours (code: not_found)."),
        }
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<doc_pk>\d+)", url_name="document")
    def document(self, request, pk=None, doc_pk=None):
        """One document of the claim (PDF, JPEG or PNG), never cached."""
        from union_portal.uploads import serve_protected

        claim = self.get_object()
        document = get_object_or_404(claim.documents, pk=doc_pk)
        return serve_protected(document.file, download_name=document.download_name())

    def _fresh(self, claim: Claim) -> Claim:
        """The claim as the detail answer reads it (documents and invoices loaded anew after the change)."""
        return self.get_queryset().prefetch_related(*self.DETAIL_PREFETCH).get(pk=claim.pk)


class StaffClaimViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Claims in the staff member's area (as the claims page), newest first; filters ?status= &benefit=."""

    permission_classes = [IsAuthenticated]
    pagination_class = CountlessPagination
    serializer_class = StaffClaimSerializer

    def get_queryset(self):
        if not can_see_claims(self.request.user):
            raise PermissionDenied
        params = self.request.query_params
        return selectors.claim_list(
            user=self.request.user, status=params.get("status", ""), benefit=params.get("benefit", "")
        )
