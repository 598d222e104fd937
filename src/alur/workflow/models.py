"""The engine's tables: SOP versions, cases, tasks, documents and the audit trail.

Nothing here knows what a case is about (an agreement, a letter ...): other apps point at a case,
never the other way round, so any loaded SOP runs on the same tables.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alur.org.models import OrgUnit


class Sop(models.Model):
    key = models.SlugField(_("kunci"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=300)

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class SopVersion(models.Model):
    """One loaded text of an SOP definition. Cases pin the version they started on."""

    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("versi"))
    source_name = models.CharField(_("berkas sumber"), max_length=500)
    source_text = models.TextField(_("teks definisi"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("dimuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("versi SOP")
        verbose_name_plural = _("versi SOP")
        constraints = [models.UniqueConstraint(fields=["sop", "version"], name="sop_version_unique")]
        ordering = ["sop", "-version"]

    def __str__(self) -> str:
        return f"{self.sop.key} v{self.version}"


class Case(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        RETURNED = "returned", _("Dikembalikan")
        COMPLETED = "completed", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    sop_version = models.ForeignKey(SopVersion, on_delete=models.PROTECT, related_name="cases", verbose_name=_("versi SOP"))
    title = models.CharField(_("judul"), max_length=500)
    # Only for an SOP whose definition asks for the proposing OPD (intake: org_unit).
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                                 verbose_name=_("Perangkat Daerah pengusul"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    end_key = models.CharField(_("akhir"), max_length=80, blank=True)
    round = models.PositiveIntegerField(_("putaran"), default=1)
    # What the intake recorded (its definition's intake `record`: a letter's number, sender ...).
    data = models.JSONField(_("isian pendaftaran"), default=dict, blank=True)
    # The case this one was started from (an approved offer starts the MoU: intake `follows`).
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by",
                                verbose_name=_("berasal dari perkara"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("didaftarkan oleh"))
    started_at = models.DateTimeField(_("didaftarkan pada"))
    ended_at = models.DateTimeField(_("berakhir pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("perkara")
        verbose_name_plural = _("perkara")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Task(models.Model):
    """One activation of a step: who must act, who took it, when it was done and how."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    round = models.PositiveIntegerField(_("putaran"))
    step_key = models.CharField(_("langkah"), max_length=80)
    role_key = models.CharField(_("peran"), max_length=40)
    # Set when the step's role is resolved within a unit (kepala_opd: the case's own OPD).
    # Indexes on a task are only those the inbox, the timeline and monitoring use: every index more
    # is another page written by each completion (see `make bench`).
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_tasks", verbose_name=_("dipegang oleh"), db_index=False)
    created_at = models.DateTimeField(_("mulai"))
    claimed_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("diselesaikan oleh"), db_index=False)
    outcome = models.CharField(_("keputusan"), max_length=20, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # What the step records besides its decision (its definition's `record` fields).
    data = models.JSONField(_("isian"), default=dict, blank=True)
    # Working-time deadlines, set when the task opens (workflow/deadlines.py): the holder is
    # reminded at remind_at, the task is late after due_at, the role above hears of it after
    # escalate_at. The worker's sweep marks each notice it sent, so each goes out once.
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    remind_at = models.DateTimeField(_("waktu pengingat"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("waktu eskalasi"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("pengingat terkirim"), null=True, blank=True)
    overdue_noticed_at = models.DateTimeField(_("pemberitahuan terlambat terkirim"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("eskalasi terkirim"), null=True, blank=True)
    # Working minutes from opening to completion, kept so that monitoring sums stored figures.
    working_minutes = models.PositiveIntegerField(_("waktu kerja (menit)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "role_key"]),
            # Monitoring's index of done tasks by completion time is made on PostgreSQL only, by
            # migration 0005 (why: see there).
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.step_key} ({self.get_status_display()})"


def _document_path(document: "Document", filename: str) -> str:
    # Named by content hash: a re-upload of the same bytes never overwrites a different file.
    return f"cases/{document.case_id}/{document.kind}/{document.sha256[:16]}-{filename}"


class Document(models.Model):
    """A file of a case. A new upload of a kind is a new version; nothing is overwritten."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    round = models.PositiveIntegerField(_("putaran"))
    kind = models.CharField(_("jenis"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    file = models.FileField(_("berkas"), upload_to=_document_path, max_length=500)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diunggah oleh"))
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["case", "kind", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({self.original_name})"


class ChainPositionField(models.BigIntegerField):
    """A 64-bit key that SQLite stores as the row id itself (its column type must read exactly
    `integer` for that), so each audit append writes one B-tree, not a table and an index."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Jejak audit hanya boleh ditambah, tidak diubah.")

    def delete(self):
        raise PermissionError("Jejak audit hanya boleh ditambah, tidak dihapus.")


class AuditEvent(models.Model):
    """One row of the append-only audit trail, chained by hash to the row before it."""

    # The place in the chain is the key: no second index to write on every append.
    seq = ChainPositionField(primary_key=True)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    actor_name = models.CharField(_("pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=60)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    task_id_ref = models.BigIntegerField(_("tugas"), null=True, blank=True)
    data = models.JSONField(_("rincian"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Jejak audit hanya boleh ditambah, tidak diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Jejak audit hanya boleh ditambah, tidak dihapus.")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """How long the chain is (a single row). Locking it serialises appends; comparing it with the
    last event shows when events were removed from the end of the chain."""

    seq = models.PositiveBigIntegerField(default=0)
