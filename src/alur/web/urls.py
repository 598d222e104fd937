from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from . import notification_views
from . import monitoring_views
from . import evaluation_views
from . import register_views
from . import rekap_views
from .forms import SignInForm

app_name = "web"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("masuk/", auth_views.LoginView.as_view(template_name="web/login.html", authentication_form=SignInForm,
                                                redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("draft/baru/", views.intake, name="intake"),
    path("perkara/<int:case_id>/", views.case_page, name="case"),
    path("perkara/<int:case_id>/ajukan-ulang/", views.resubmit, name="resubmit"),
    path("perkara/<int:case_id>/batalkan-perjanjian/", views.agreement_cancel, name="agreement_cancel"),
    path("perkara/<int:case_id>/dasar-hukum/", views.agreement_legal_basis, name="agreement_legal_basis"),
    path("tugas/<int:task_id>/", views.task_page, name="task"),
    path("tugas/<int:task_id>/ambil/", views.claim, name="claim"),
    path("tugas/<int:task_id>/lepas/", views.release, name="release"),
    path("tugas/<int:task_id>/unggah/", views.upload, name="upload"),
    path("dokumen/<int:document_id>/", views.download, name="download"),
    path("perjanjian/", views.agreements, name="agreements"),
    path("sop/", views.sop_list, name="sops"),
    path("sop/<slug:key>/", views.sop_document, name="sop"),
    path("sop/<slug:key>/unduh.<str:output>", views.sop_download, name="sop_download"),
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
    path("bahasa/", views.set_language, name="language"),
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
    path("rekapitulasi/berkas/<int:export_id>/", rekap_views.rekapitulasi_export, name="rekapitulasi_export"),
]
