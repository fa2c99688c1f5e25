"""`/api/notifications/`: the caller's own notifications, newest first, and marking them read; for administrators,
`/api/reminders/` and `/api/schedules/`."""

from django_q.models import Schedule
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from parkadmin.models import Notification
from parkadmin.notifications import REMINDERS, mark_read


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


class ViewSchedules(permissions.BasePermission):
    """Reminders and schedules are the administrators' (the permission to view django-q2's schedules)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("django_q.view_schedule"))


class ReminderSerializer(serializers.Serializer):
    name = serializers.CharField()
    kinds = serializers.DictField(child=serializers.CharField(), help_text="Each kind it sends, with its label.")


class ReminderList(APIView):
    """The reminders `run_reminders` runs, with the kinds of notification each sends."""

    permission_classes = [permissions.IsAuthenticated, ViewSchedules]

    @extend_schema(responses={200: ReminderSerializer(many=True)})
    def get(self, request):
        rows = [
            {"name": reminder.name, "kinds": {kind: str(label) for kind, label in reminder.labels.items()}}
            for reminder in REMINDERS.values()
        ]
        return Response(ReminderSerializer(rows, many=True).data)


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Schedule
        fields = ["id", "name", "func", "args", "schedule_type", "minutes", "cron", "repeats", "next_run"]


class ScheduleList(generics.ListAPIView):
    """The background jobs' schedules (changed in the admin)."""

    serializer_class = ScheduleSerializer
    permission_classes = [permissions.IsAuthenticated, ViewSchedules]
    queryset = Schedule.objects.order_by("name")
