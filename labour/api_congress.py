"""Read-only REST API of workers' congresses and open factory affairs (scoped like the pages)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from union_portal.api.pagination import CountlessPagination

from .models import CongressResolution, CongressSession
from .selectors import congress as selectors


class CongressResolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CongressResolution
        fields = ["id", "title", "votes_for", "votes_against", "abstentions", "passed"]


class CongressSessionSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    union = serializers.CharField(source="org.name")
    resolutions = CongressResolutionSerializer(many=True, read_only=True)

    class Meta:
        model = CongressSession
        fields = ["id", "enterprise", "union", "held_on", "delegates", "present", "agenda", "resolutions"]


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("year", int, description="only this year")]))
class CongressSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Congress sessions of the caller's area (grassroots handlers: their union; staff: their subtree)."""

    serializer_class = CongressSessionSerializer
    pagination_class = CountlessPagination
    queryset = CongressSession.objects.none()

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        wanted = int(year) if year.isascii() and year.isdigit() and 1990 <= int(year) <= 2100 else None
        qs = selectors.session_list(user=self.request.user, year=wanted)
        return selectors.sessions_with_resolutions(qs)
