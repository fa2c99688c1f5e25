from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from parkadmin import api_auth, api_notifications, api_urls, views

SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

urlpatterns = [
    path("", include("dashboard.urls")),
    path("history/", views.history, name="history"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.open_notification, name="notification_open"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("reports/", include("reports.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, extra_context=views.lockout_policy()),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    # Switching language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("enterprises/", include("parks.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("projects/", include("projects.urls")),
    path("indicators/", include("indicators.urls")),
    path("imports/", include("parkadmin.imports.urls")),
    path("admin/", admin.site.urls),
    path("api/auth/token/", api_auth.ObtainTokenView.as_view(), name="api-token"),
    path("api/notifications/", api_notifications.NotificationList.as_view(), name="api-notifications"),
    path("api/notifications/read/", api_notifications.MarkRead.as_view(), name="api-notifications-read"),
    path("api/reminders/", api_notifications.ReminderList.as_view(), name="api-reminders"),
    path("api/schedules/", api_notifications.ScheduleList.as_view(), name="api-schedules"),
    path("api/", include(api_urls.router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs are a page for people: an anonymous visitor is sent to the login page, as everywhere else.
    # drf-spectacular's Swagger UI page has one inline <style>; this page allows exactly it, by hash.
    path(
        "api/docs/",
        login_required(
            csp_update({"style-src": [SWAGGER_UI_STYLE_HASH]})(SpectacularSwaggerSplitView.as_view(url_name="schema"))
        ),
        name="api-docs",
    ),
]

handler403 = "parkadmin.views.error_403"
handler404 = "parkadmin.views.error_404"
handler500 = "parkadmin.views.error_500"
