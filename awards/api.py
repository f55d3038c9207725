"""Read-only REST API: rounds and nominations (scoped like the pages), the public honour roll."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny

from union_portal.api.pagination import CountlessPagination

from . import selectors
from .models import AwardType, Nomination, Round


class AwardTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = ["id", "kind", "name", "level"]


class RoundSerializer(serializers.ModelSerializer):
    award_types = AwardTypeSerializer(many=True, read_only=True)
    # the period of the round's public notice (the core's notices), once it has started
    notice_starts = serializers.DateField(read_only=True, allow_null=True)
    notice_ends = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "year",
            "title",
            "status",
            "nominations_open",
            "nominations_close",
            "township_review_by",
            "district_review_by",
            "notice_starts",
            "notice_ends",
            "notice_working_days",
            "approved_on",
            "award_types",
        ]


class NominationSerializer(serializers.ModelSerializer):
    award_type = serializers.CharField(source="award_type.name")
    nominating_union = serializers.CharField(source="org.name")

    class Meta:
        model = Nomination
        # No ID number, phone or member number: the API shows what the list page shows.
        fields = [
            "id",
            "round",
            "award_type",
            "candidate_name",
            "unit_name",
            "nominating_union",
            "status",
            "deeds_summary",
            "past_honours",
            "competition_record",
            "submitted_at",
            "certificate_number",
        ]


class HonourSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    award_type = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    deeds = serializers.CharField()


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoundSerializer
    queryset = Round.objects.none()

    def get_queryset(self):
        return selectors.round_list(user=self.request.user).prefetch_related("award_types")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("round", int, description="only this round"),
            OpenApiParameter("status", str, description="only this stage"),
        ]
    )
)
class NominationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NominationSerializer
    pagination_class = CountlessPagination
    queryset = Nomination.objects.none()

    def get_queryset(self):
        qs = selectors.nomination_list(user=self.request.user, status=self.request.query_params.get("status", ""))
        round_id = self.request.query_params.get("round")
        if round_id and round_id.isdigit():
            qs = qs.filter(round_id=int(round_id))
        return qs


@extend_schema(parameters=[OpenApiParameter("year", int, description="the year (default: the latest)")])
class HonourViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public honour roll of one year: name, unit and deeds summary only."""

    serializer_class = HonourSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self):
        years = selectors.honour_years()
        year = self.request.query_params.get("year", "")
        year = int(year) if year.isdigit() else (years[0] if years else None)
        if year is None:
            return []
        return [
            {"year": y, "award_type": type_name, **entry}
            for y, groups in selectors.honour_roll(year=year)
            for type_name, entries in groups.items()
            for entry in entries
        ]
