"""URL map: the web application for the roles, and the Django admin for units, users and roles."""
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Alur — administrasi"
admin.site.site_title = "Alur"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("alur.web.urls")),
]

handler403 = "alur.web.errors.forbidden"
handler404 = "alur.web.errors.not_found"
