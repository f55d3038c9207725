"""REST API of the dashboard (under /api/v1/): figures for the user's scope. Paginated, throttled (REST_FRAMEWORK defaults), errors
as JSON in the request language (union_portal.api.errors)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers

from union_portal import tree

from . import selectors
from .models import FigureSnapshot
from .permissions import can_see_dashboard
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
        if not can_see_dashboard(request.user):
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
        qs = FigureSnapshot.objects.filter(Q(node=node) | tree.children_q(node, field="node"), period=period)
        if params.get("metric"):
            qs = qs.filter(metric=params["metric"])
        return qs.select_related("node").order_by("node__path", "metric", "key")
