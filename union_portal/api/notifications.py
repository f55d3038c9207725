"""REST API of the user's notification inbox (under /api/v1/notifications/)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal.models import Notification
from union_portal.notifications import mark_read
from union_portal.scoping import scope


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
