"""REST API of the dashboard (under /api/v1/): figures for the user's scope, member self-service for
satisfaction surveys, the user's notification inbox. Paginated, throttled (REST_FRAMEWORK defaults), errors
as JSON in the request language (union_portal.api.errors)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal.models import Notification
from union_portal.notifications import mark_read
from union_portal.scoping import has_role, scope

from . import selectors, services
from .models import FigureSnapshot, Survey, SurveyQuestion
from .registry import all_metrics

# --- figures ---------------------------------------------------------------------------------------------


class MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    section = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    breakdown = serializers.CharField(help_text=_("Label of the breakdown key; empty when only totals exist."))
    headline = serializers.BooleanField()


class DashboardAccess:
    def check_dashboard(self, request):
        if not has_role(request.user, *selectors.DASHBOARD_ROLES):
            raise exceptions.PermissionDenied(_("Only district and city admins and township staff see figures."))


class MetricList(DashboardAccess, generics.ListAPIView):
    """Every figure the portal computes (the registry)."""

    serializer_class = MetricSerializer

    def get_queryset(self):
        self.check_dashboard(self.request)
        return all_metrics()


class FigureSerializer(serializers.ModelSerializer):
    node_code = serializers.CharField(source="node.code")
    node_name = serializers.CharField(source="node.name")
    node_depth = serializers.IntegerField(source="node.depth")

    class Meta:
        model = FigureSnapshot
        fields = [
            "node",
            "node_code",
            "node_name",
            "node_depth",
            "metric",
            "period",
            "key",
            "value",
            "numerator",
            "denominator",
            "computed_at",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("node", OpenApiTypes.INT, description=_("Unit id; default: the top of your scope")),
        OpenApiParameter("period", OpenApiTypes.STR, description=_("Year, e.g. 2026; default: this year")),
        OpenApiParameter("metric", OpenApiTypes.STR, description=_("Only this figure (a registry key)")),
    ]
)
class FigureList(DashboardAccess, generics.ListAPIView):
    """The figures of a unit and of each unit one level below it (drill down with ``node``), from the
    summary table. Scoped: admins their subtree, township staff their township."""

    serializer_class = FigureSerializer

    def get_queryset(self):
        self.check_dashboard(self.request)
        params = self.request.query_params
        try:
            pk = int(params["node"]) if params.get("node") else None
        except ValueError:
            raise exceptions.ValidationError({"node": [_("Give a unit id.")]}) from None
        node = selectors.dashboard_node(user=self.request.user, pk=pk)
        period = params.get("period") or selectors.default_period()
        qs = FigureSnapshot.objects.filter(
            Q(node=node) | Q(node__path__startswith=node.path, node__depth=node.depth + 1), period=period
        )
        if params.get("metric"):
            qs = qs.filter(metric=params["metric"])
        return qs.select_related("node").order_by("node__path", "metric", "key")


# --- surveys (member self-service) -----------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "position", "text", "kind"]


class SurveySerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    answered = serializers.BooleanField(read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "service", "intro", "closes_on", "answered", "questions"]


class MySurveyList(generics.ListAPIView):
    """Open satisfaction surveys for the member, with ``answered`` (each member answers once)."""

    serializer_class = SurveySerializer

    def get_queryset(self):
        return selectors.surveys_for_member(user=self.request.user).prefetch_related("questions")


class AnswerSerializer(serializers.Serializer):
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), help_text=_("{question id: rating 1–5}")
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000),
        required=False,
        help_text=_("{question id: text}"),
    )


class SurveyAnswerView(APIView):
    """Answer a survey once. The answers are stored without any link to you."""

    @extend_schema(
        request=AnswerSerializer,
        responses={201: inline_serializer("SurveyAnswered", {"detail": serializers.CharField()})},
    )
    def post(self, request, pk: int):
        survey = get_object_or_404(selectors.surveys_for_member(user=request.user), pk=pk)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ratings = {int(k): v for k, v in serializer.validated_data["ratings"].items()}
            comments = {int(k): v for k, v in serializer.validated_data.get("comments", {}).items()}
        except ValueError:
            raise exceptions.ValidationError({"ratings": [_("Question ids are numbers.")]}) from None
        try:
            services.survey_answer(user=request.user, survey=survey, ratings=ratings, comments=comments)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or None) from None
        return Response(
            {"detail": str(_("Thank you! Your answers were recorded anonymously."))}, status.HTTP_201_CREATED
        )


# --- notifications ---------------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "created_at", "read_at"]


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description=_("Only unread messages"))])
class NotificationList(generics.ListAPIView):
    """The user's own inbox, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = scope(Notification.objects.all(), self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs


class NotificationReadView(APIView):
    """Mark one of your messages read (``pk``) or all of them (``/read-all/``)."""

    @extend_schema(request=None, responses={200: inline_serializer("Marked", {"marked": serializers.IntegerField()})})
    def post(self, request, pk: int | None = None):
        if pk is not None:
            get_object_or_404(scope(Notification.objects.all(), request.user), pk=pk)
            marked = mark_read(user=request.user, notification_ids=[pk])
        else:
            marked = mark_read(user=request.user)
        return Response({"marked": marked})
