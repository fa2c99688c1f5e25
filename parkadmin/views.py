"""Pages of the project itself: home, recent changes, language, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parkadmin.forms import StyledForm, StyledPasswordChangeForm, safe_next
from parkadmin.generic import PER_PAGE_CHOICES
from parkadmin.history import change_index, changes_of, readable_models
from parkadmin.models import Notification, NotificationSetting
from parkadmin.notifications import kind_labels, mark_read, unread_count
from parkadmin.people import display_name

DEFAULT_PER_PAGE = 50


def history_filter_form(request, models):
    from django import forms

    users = get_user_model().objects.filter(is_active=True).order_by("username")

    class HistoryFilterForm(StyledForm):
        user = forms.ModelChoiceField(queryset=users, required=False, label=_("User"), empty_label=_("All"))

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["user"].label_from_instance = display_name

        model = forms.ChoiceField(
            choices=[("", _("All"))] + [(m._meta.label_lower, m._meta.verbose_name) for m in models],
            required=False,
            label=_("Record type"),
        )
        since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
        until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    return HistoryFilterForm(request.GET or None)


@require_GET
def history(request):
    """Changes across every record the user may read, filterable by user, record type and date, newest first, a
    page at a time with the total, as on every list page."""
    readable = readable_models(request.user)
    if not readable:
        raise PermissionDenied
    form = history_filter_form(request, readable)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("model"):
        readable = [m for m in readable if m._meta.label_lower == filters["model"]]
    index = change_index(
        readable,
        user_id=filters["user"].pk if filters.get("user") else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(index, per_page(request)).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "entries": changes_of(list(page.object_list), readable),
        "per_page_choices": PER_PAGE_CHOICES,
    }
    return render(request, "history.html", context)


def per_page(request) -> int:
    """The page size asked for, when it is one of the list pages' sizes; else theirs by default."""
    wanted = request.GET.get("per_page", "")
    return int(wanted) if wanted.isdigit() and int(wanted) in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in user changes their own password; they stay signed in (Django updates the session's hash) and
    land on My work with a message."""

    form_class = StyledPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("my_work")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def lockout_policy() -> dict:
    """The lockout rule as the login and lockout pages state it."""
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    """What django-axes shows once a user name is locked out from this address."""
    return render(request, "registration/locked_out.html", lockout_policy(), status=429)


@login_not_required
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    return render(request, "errors/500.html", status=500)


@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's own notifications, newest first, a page at a time; POST marks every unread one read."""
    if request.method == "POST":
        marked = mark_read(request.user)
        messages.success(
            request, ngettext("%(count)s marked read.", "%(count)s marked read.", marked) % {"count": marked}
        )
        return redirect("notifications")
    page = Paginator(Notification.objects.filter(user=request.user), per_page(request)).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications.html", {"page_obj": page, "unread": unread_count(request.user)})


@require_POST
def open_notification(request, pk: int):
    """Mark one of the user's notifications read and go to its record (another user's answers 404)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(request.user, [notification.pk])
    return redirect(safe_next(request, notification.url, reverse("notifications")))


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which kinds of notification the user wants mailed (the app keeps every one); every kind is mailed by default."""
    kinds = kind_labels()
    if request.method == "POST":
        mailed = set(request.POST.getlist("email"))
        for kind in kinds:
            NotificationSetting.objects.update_or_create(
                user=request.user, kind=kind, defaults={"email": kind in mailed}
            )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    off = set(NotificationSetting.objects.filter(user=request.user, email=False).values_list("kind", flat=True))
    rows = [{"kind": kind, "label": label, "email": kind not in off} for kind, label in kinds.items()]
    return render(request, "notification_settings.html", {"rows": rows, "address": request.user.email})
