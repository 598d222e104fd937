from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    agreement_list_views, case_views, evaluation_views, inbox_views, intake_views, language_views, monitoring_views,
    notification_views, register_views, rekap_views, sop_views, task_views,
)
from .forms import SignInForm

app_name = "web"

urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("masuk/", auth_views.LoginView.as_view(template_name="web/login.html", authentication_form=SignInForm,
                                                redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("draft/baru/", intake_views.intake, name="intake"),
    path("perkara/<int:case_id>/", case_views.case_page, name="case"),
    path("perkara/<int:case_id>/ajukan-ulang/", case_views.resubmit, name="resubmit"),
    path("perkara/<int:case_id>/batalkan-perjanjian/", case_views.agreement_cancel, name="agreement_cancel"),
    path("perkara/<int:case_id>/dasar-hukum/", case_views.agreement_legal_basis, name="agreement_legal_basis"),
    path("tugas/<int:task_id>/", task_views.task_page, name="task"),
    path("tugas/<int:task_id>/ambil/", inbox_views.claim, name="claim"),
    path("tugas/<int:task_id>/lepas/", inbox_views.release, name="release"),
    path("tugas/<int:task_id>/unggah/", task_views.upload, name="upload"),
    path("dokumen/<int:document_id>/", case_views.download, name="download"),
    path("perjanjian/", agreement_list_views.agreements, name="agreements"),
    path("sop/", sop_views.sop_list, name="sops"),
    path("sop/<slug:key>/", sop_views.sop_document, name="sop"),
    path("sop/<slug:key>/unduh.<str:output>", sop_views.sop_download, name="sop_download"),
    path("sop/<slug:key>/monitoring/", monitoring_views.sop_monitoring_page, name="sop_monitoring"),
    path("sop/<slug:key>/formulir/", evaluation_views.sop_forms, name="sop_forms"),
    path("sop/<slug:key>/formulir/monitoring/baru/", evaluation_views.monitoring_new, name="monitoring_form_new"),
    path("sop/<slug:key>/formulir/monitoring/<int:form_id>/", evaluation_views.monitoring_page, name="monitoring_form"),
    path("sop/<slug:key>/formulir/monitoring/<int:form_id>/unduh.<str:output>", evaluation_views.monitoring_download,
         name="monitoring_form_download"),
    path("sop/<slug:key>/formulir/evaluasi/baru/", evaluation_views.evaluation_new, name="evaluation_new"),
    path("sop/<slug:key>/formulir/evaluasi/<int:evaluation_id>/", evaluation_views.evaluation_page, name="evaluation"),
    path("sop/<slug:key>/formulir/evaluasi/<int:evaluation_id>/unduh.<str:output>", evaluation_views.evaluation_download,
         name="evaluation_download"),
    path("notifikasi/", notification_views.notifications, name="notifications"),
    path("notifikasi/lonceng/", notification_views.bell, name="bell"),
    path("notifikasi/baca-semua/", notification_views.read_all, name="notifications_read_all"),
    path("notifikasi/<int:notification_id>/", notification_views.open_notification, name="notification"),
    path("bahasa/", language_views.set_language, name="language"),
    path("perjanjian/<int:agreement_id>/", register_views.agreement_page, name="agreement"),
    path("perjanjian/<int:agreement_id>/koreksi/", register_views.correct_agreement, name="agreement_correct"),
    path("perjanjian/<int:agreement_id>/laporan/", register_views.add_report, name="agreement_report"),
    path("perjanjian/<int:agreement_id>/distribusi/", register_views.add_distribution, name="agreement_distribution"),
    path("perjanjian/<int:agreement_id>/laporan/<int:report_id>/lampiran/", register_views.report_attachment, name="report_attachment"),
    path("perjanjian/catat/", register_views.record_agreement, name="agreement_record"),
    path("perjanjian/impor/", register_views.register_import, name="register_import"),
    path("perjanjian/impor/konfirmasi/", register_views.register_import_confirm, name="register_import_confirm"),
    path("perjanjian/impor/templat.xlsx", register_views.register_template, name="register_template"),
    path("rekapitulasi/", rekap_views.rekapitulasi, name="rekapitulasi"),
    path("rekapitulasi/unduh.<str:output>", rekap_views.rekapitulasi_download, name="rekapitulasi_download"),
]
