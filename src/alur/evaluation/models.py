"""Stored monitoring forms and evaluations of an SOP.

A monitoring form is filled once from the engine's figures for its period and then belongs to its
penilai: the figures and assessments stay as they were on that day (what was signed), the notes
and actions are theirs to edit. Each form keeps the SOP version whose identity and step texts it
printed, so a later revision of the SOP does not change a form already signed.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.org.models import OrgUnit
from alur.workflow.models import Sop, SopVersion

from . import permenpan


class MonitoringForm(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="monitoring_forms", verbose_name=_("SOP"))
    sop_version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("versi SOP"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    # None: the cases of every OPD.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("Perangkat Daerah"))
    penilai = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("penilai"))
    # The share of runs within the standard a step needed to be assessed "berjalan dengan baik"
    # when the form was filled: kept so that the printed note stays true if the rule changes.
    threshold_percent = models.PositiveSmallIntegerField(_("ambang (%)"))
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah pada"), default=timezone.now)

    class Meta:
        verbose_name = _("formulir monitoring")
        verbose_name_plural = _("formulir monitoring")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="monitoring_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{permenpan.MONITORING_TITLE} {self.sop.key} {self.period_start}–{self.period_end}"


class MonitoringFormRow(models.Model):
    class Penilaian(models.TextChoices):
        # The regulation's words (permenpan.py), shown translated on the pages.
        WELL = "baik", _(permenpan.WELL)
        NOT_WELL = "tidak_baik", _(permenpan.NOT_WELL)
        NOT_RUN = "belum", _(permenpan.NOT_RUN)

    form = models.ForeignKey(MonitoringForm, on_delete=models.CASCADE, related_name="rows")
    step_key = models.CharField(_("langkah"), max_length=80)
    number = models.PositiveIntegerField(_("no."))
    prosedur = models.TextField(_("prosedur"))
    penilaian = models.CharField(_("penilaian"), max_length=20, choices=Penilaian.choices)
    catatan = models.TextField(_("catatan hasil penilaian"), blank=True)
    tindakan = models.TextField(_("tindakan yang harus diambil"), blank=True)
    # The figures the assessment was made from (workflow.monitoring's StepFigures and
    # DecisionFigures as JSON), so the form can show why it says what it says.
    figures = models.JSONField(_("angka"), default=dict)

    class Meta:
        verbose_name = _("baris formulir monitoring")
        verbose_name_plural = _("baris formulir monitoring")
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "step_key"], name="monitoring_row_step_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.prosedur[:60]}"


class SopEvaluation(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("SOP"))
    sop_version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("versi SOP"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluator"))
    catatan = models.TextField(_("catatan"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi"), blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah pada"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluasi SOP")
        verbose_name_plural = _("evaluasi SOP")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="evaluation_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{permenpan.EVALUATION_TITLE} {self.sop.key} {self.period_start}–{self.period_end}"


class EvaluationAnswer(models.Model):
    """One criterion answered. The criterion's text is kept as it was asked."""

    evaluation = models.ForeignKey(SopEvaluation, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(_("kriteria"), max_length=40)
    number = models.PositiveSmallIntegerField(_("no."))
    text = models.CharField(_("bunyi kriteria"), max_length=300)
    answer = models.BooleanField(_("jawaban (ya)"))
    keterangan = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("jawaban evaluasi")
        verbose_name_plural = _("jawaban evaluasi")
        ordering = ["evaluation", "number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_answer_unique")]

    def __str__(self) -> str:
        return f"{self.text}: {'Ya' if self.answer else 'Tidak'}"
