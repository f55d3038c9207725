"""REST API of the user's notification channels: their WeChat binding and subscription consents (for the
mini-program, docs/wechat.md) and their choice of SMS / WeChat. Every route acts on the requester only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal import channels
from union_portal.throttling import PortalScopedRateThrottle


class WechatStatusSerializer(serializers.Serializer):
    bound = serializers.BooleanField(help_text=_("Whether a WeChat account is bound"))
    openid = serializers.CharField(help_text=_("The bound openid, masked (its last four characters)"))
    bound_at = serializers.DateTimeField(allow_null=True)
    consents = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Subscription messages left, per template id")
    )
    templates = serializers.DictField(
        child=serializers.CharField(),
        help_text=_("The template id of each kind of message (for wx.requestSubscribeMessage)"),
    )


class WechatBindSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128, help_text=_("The code from wx.login in the mini-program"))


class WechatConsentSerializer(serializers.Serializer):
    template_ids = serializers.ListField(
        child=serializers.CharField(max_length=64),
        min_length=1,
        max_length=10,
        help_text=_("The template ids the user accepted in wx.requestSubscribeMessage"),
    )


class ChannelsSerializer(serializers.Serializer):
    sms = serializers.BooleanField(help_text=_("Notifications by SMS"))
    wechat = serializers.BooleanField(help_text=_("Notifications by WeChat subscription message"))


def _status(user) -> dict:
    return {**channels.wechat_status(user=user), "templates": channels.configured_template_ids()}


class WechatBindingView(APIView):
    """Your WeChat binding: see it, bind the account of a mini-program login code, or unbind."""

    throttle_scope = "wechat_bind"

    def get_throttles(self):
        throttles = super().get_throttles()
        # each bind asks WeChat: a tighter limit (no request while the schema is generated)
        if getattr(self.request, "method", None) == "POST":
            throttles.append(PortalScopedRateThrottle())
        return throttles

    @extend_schema(responses={200: WechatStatusSerializer})
    def get(self, request):
        return Response(WechatStatusSerializer(_status(request.user)).data)

    @extend_schema(request=WechatBindSerializer, responses={201: WechatStatusSerializer})
    def post(self, request):
        serializer = WechatBindSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channels.wechat_bind(user=request.user, code=serializer.validated_data["code"])
        return Response(WechatStatusSerializer(_status(request.user)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        channels.wechat_unbind(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WechatConsentView(APIView):
    """Record the subscription consents the user just gave in the mini-program: one more message each."""

    @extend_schema(request=WechatConsentSerializer, responses={200: WechatStatusSerializer})
    def post(self, request):
        serializer = WechatConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channels.wechat_consent_add(user=request.user, template_ids=serializer.validated_data["template_ids"])
        return Response(WechatStatusSerializer(_status(request.user)).data)


class NotificationChannelsView(APIView):
    """Your choice of channels for notifications (the inbox and e-mail are always on)."""

    @extend_schema(responses={200: ChannelsSerializer})
    def get(self, request):
        return Response(ChannelsSerializer(channels.notification_channels(user=request.user)).data)

    @extend_schema(request=ChannelsSerializer, responses={200: ChannelsSerializer})
    def put(self, request):
        serializer = ChannelsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = channels.notification_channels_set(user=request.user, **serializer.validated_data)
        return Response(ChannelsSerializer(chosen).data)
