"""API of hardship files: the staff list, scoped like the page (GET /api/v1/assistance/files/)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated

from union_portal.api.pagination import PortalPagination

from .models import Category, FileStatus, HardshipFile
from .permissions.files import can_see_files
from .selectors import files as selectors


class StaffFileSerializer(serializers.ModelSerializer):
    """A file in the staff list: the worker's name and union, the category and the dates; no health or income
    details beyond the per-capita income the category rests on."""

    worker = serializers.CharField(source="member.name", read_only=True)
    union = serializers.CharField(source="org.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    attention_display = serializers.SerializerMethodField()
    # "" while the file is open: a plain string in the schema, not the enum of the reasons
    close_reason = serializers.CharField(
        read_only=True, help_text="Empty while open; else recovered, retired, transferred_out, deceased, left, other."
    )

    class Meta:
        model = HardshipFile
        fields = [
            "id",
            "number",
            "worker",
            "union",
            "category",
            "category_display",
            "status",
            "status_display",
            "household_size",
            "per_capita_income",
            "poverty_line",
            "opened_on",
            "valid_until",
            "last_reviewed_on",
            "closed_on",
            "close_reason",
            "attention",
            "attention_display",
            "follow_up_on",
        ]
        read_only_fields = fields

    def get_attention_display(self, obj: HardshipFile) -> str:
        return obj.get_attention_display() if obj.attention else ""


@extend_schema(
    parameters=[
        OpenApiParameter("category", enum=Category.values, required=False),
        OpenApiParameter("status", enum=FileStatus.values, required=False),
        OpenApiParameter("township", int, required=False, description="A township's id: its files only."),
        OpenApiParameter("due", bool, required=False, description="Open files due for review."),
        OpenApiParameter("attention", bool, required=False, description="Open files flagged by the roll sweep."),
    ]
)
class StaffFileViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Hardship files in the staff member's area (handlers, township staff, the district), newest first."""

    permission_classes = [IsAuthenticated]
    pagination_class = PortalPagination
    serializer_class = StaffFileSerializer

    def get_queryset(self):
        if not can_see_files(self.request.user):
            raise PermissionDenied
        params = self.request.query_params
        township = params.get("township", "")
        filters = selectors.FileFilters(
            category=params.get("category", "") if params.get("category", "") in Category.values else "",
            status=params.get("status", "") if params.get("status", "") in FileStatus.values else "",
            township=int(township) if township.isdigit() else None,
            due=params.get("due") in ("1", "true"),
            attention=params.get("attention") in ("1", "true"),
        )
        return selectors.file_list(user=self.request.user, filters=filters)
