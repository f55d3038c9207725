"""Read-only REST API of collective contracts and bargaining rounds, scoped like the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from union_portal.api.pagination import CountlessPagination

from .models import BargainingRound, CollectiveContract
from .selectors import contracts as selectors


class CollectiveContractSerializer(serializers.ModelSerializer):
    union = serializers.CharField(source="org.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, allow_null=True, default=None)
    vote_passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = CollectiveContract
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "status",
            "union",
            "enterprise",
            "enterprise_name",
            "union_party",
            "employer_party",
            "workers_covered",
            "starts_on",
            "ends_on",
            "wage_growth_pct",
            "minimum_wage",
            "weekly_hours",
            "delegates",
            "present",
            "in_favour",
            "vote_passed",
            "signed_on",
            "filing_due",
            "filed_on",
            "objection_ends",
            "answered_on",
            "publish_due",
            "published_on",
        ]


class BargainingRoundSerializer(serializers.ModelSerializer):
    union = serializers.CharField(source="org.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = BargainingRound
        fields = [
            "id",
            "subject",
            "kind",
            "status",
            "union",
            "enterprise",
            "enterprise_name",
            "requested_by",
            "received_on",
            "reply_due",
            "replied_on",
            "finish_due",
            "contract",
        ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="only contracts in this state"),
            OpenApiParameter("kind", str, description="only contracts of this kind"),
        ]
    )
)
class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    """Collective contracts of the staff user's area."""

    serializer_class = CollectiveContractSerializer
    pagination_class = CountlessPagination
    queryset = CollectiveContract.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.contract_list(
            user=self.request.user, status=params.get("status", ""), kind=params.get("kind", "")
        )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("open", bool, description="only rounds still running")])
)
class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Bargaining rounds of the staff user's area."""

    serializer_class = BargainingRoundSerializer
    pagination_class = CountlessPagination
    queryset = BargainingRound.objects.none()

    def get_queryset(self):
        open_only = self.request.query_params.get("open", "") in ("1", "true")
        return selectors.round_list(user=self.request.user, open_only=open_only)
