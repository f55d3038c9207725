"""Read-only REST API of cadres' liaison assignments (scoped like the pages: district and township staff)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from union_portal.api.pagination import CountlessPagination

from .models import LiaisonAssignment
from .selectors import liaison as selectors


class LiaisonAssignmentSerializer(serializers.ModelSerializer):
    cadre = serializers.CharField(source="cadre.get_full_name")
    enterprise = serializers.CharField(source="enterprise.name")
    township = serializers.CharField(source="enterprise.township.name")
    last_visit = serializers.DateField(read_only=True, allow_null=True)
    open_issues = serializers.IntegerField(read_only=True)

    class Meta:
        model = LiaisonAssignment
        fields = ["id", "cadre", "enterprise", "township", "assigned_on", "ended_on", "last_visit", "open_issues"]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("mine", bool, description="only the caller's own firms")])
)
class LiaisonAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LiaisonAssignmentSerializer
    pagination_class = CountlessPagination
    queryset = LiaisonAssignment.objects.none()

    def get_queryset(self):
        qs = selectors.assignment_list(user=self.request.user, active_only=False)
        if self.request.query_params.get("mine") in ("1", "true"):
            qs = qs.filter(cadre=self.request.user)
        return qs
