"""DRF API: judges read their own assignments and submit scores; anyone reads released leaderboards.

A judge's queryset is always ``judge=request.user``: no endpoint returns another judge's scores."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from . import selectors, services
from .models import Criterion, Period, Result, Score
from .permissions import is_judge


class IsJudge(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and is_judge(request.user))


class SheetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    my_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.CharField(source="period.campaign.name")
    period = serializers.CharField(source="period.name")
    period_status = serializers.CharField(source="period.status")
    team = serializers.CharField(source="team.name")
    group = serializers.CharField(source="team.group.name")
    scored = serializers.SerializerMethodField()
    sheet = serializers.SerializerMethodField()

    def _own(self, obj) -> dict:
        return {s.criterion_id: s.value for s in obj.scores.all()}

    def get_scored(self, obj) -> int:
        return len(self._own(obj))

    @extend_schema_field(SheetLineSerializer(many=True))
    def get_sheet(self, obj) -> list:
        own = self._own(obj)
        lines = [
            {
                "id": c.pk,
                "code": c.code,
                "name": c.name,
                "weight": c.weight,
                "max_score": c.max_score,
                "my_score": own.get(c.pk),
            }
            for c in obj.period.campaign.criteria.all()
        ]
        return SheetLineSerializer(lines, many=True).data


class ScoresInSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text=_("criterion id -> score (blank: not scored yet)")
    )


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The requesting judge's own assignments, each with the score sheet and only their own scores."""

    serializer_class = AssignmentSerializer
    permission_classes = [IsJudge]

    def get_queryset(self):
        return selectors.judge_assignment_list(user=self.request.user).prefetch_related(
            Prefetch("scores", queryset=Score.objects.only("id", "assignment_id", "criterion_id", "value")),
            Prefetch("period__campaign__criteria", queryset=Criterion.objects.order_by("order", "id")),
        )

    @extend_schema(request=ScoresInSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        assignment = self.get_object()
        data = ScoresInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.scores_submit(by=request.user, assignment=assignment, values=data.validated_data["scores"])
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data)


class ResultSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    team_id = serializers.IntegerField()
    group = serializers.CharField(source="team.group.name")
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = [
            "rank",
            "group_rank",
            "team_id",
            "team",
            "group",
            "total",
            "bonus",
            "judge_count",
            "vetoed",
            "criteria",
        ]

    def get_criteria(self, obj) -> dict[str, str]:
        names = self.context["criterion_names"]
        return {names[k]: v for k, v in obj.means.items() if k in names}


class LeaderboardView(ListAPIView):
    """Released results of a campaign's period (the latest released one unless ``period`` is given)."""

    serializer_class = ResultSerializer
    permission_classes = [AllowAny]

    def _period(self) -> Period:
        from django.http import Http404

        campaign = selectors.public_campaign_get(pk=self.kwargs["pk"])
        periods = selectors.released_periods(campaign=campaign)
        wanted = self.request.query_params.get("period")
        period = periods.filter(pk=wanted).first() if wanted and wanted.isdigit() else periods.last()
        if period is None:
            raise Http404
        self._campaign = campaign
        return period

    def get_queryset(self):
        period = self._period()
        return Result.objects.filter(period=period).select_related("team", "team__group").order_by("rank")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        campaign = getattr(self, "_campaign", None)
        context["criterion_names"] = (
            {str(c.pk): c.name for c in campaign.criteria.all()} if campaign is not None else {}
        )
        return context

    @extend_schema(parameters=[OpenApiParameter("period", int, description="period id (default: latest released)")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
