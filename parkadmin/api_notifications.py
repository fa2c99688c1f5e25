"""`/api/notifications/`: the caller's own notifications, newest first, and marking them read."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from parkadmin.models import Notification
from parkadmin.notifications import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="local_title", read_only=True)
    read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "created", "read"]


class NotificationList(generics.ListAPIView):
    """The caller's notifications (each user sees only their own), newest first; `?unread=1` for the unread only."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]  # one's own: no model permission needed

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation: no caller
            return Notification.objects.none()
        mine = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            mine = mine.filter(read_at__isnull=True)
        return mine


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="Omitted: every unread one."
    )


MARKED = {"type": "object", "properties": {"marked": {"type": "integer"}}, "required": ["marked"]}


class MarkRead(APIView):
    """Mark the caller's notifications read: the ids given, or every unread one; answers how many changed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=MarkReadSerializer, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}}
    )
    def post(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"marked": mark_read(request.user, body.validated_data.get("ids"))})
