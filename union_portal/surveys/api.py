"""REST API of surveys (under /api/v1/): member self-service. Paginated, throttled (REST_FRAMEWORK defaults),
errors as JSON in the request language (union_portal.api.errors)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from union_portal.api.serializers import NoFormulaSerializerMixin

from . import selectors, services
from .models import Survey, SurveyQuestion


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


class AnswerSerializer(NoFormulaSerializerMixin, serializers.Serializer):
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
