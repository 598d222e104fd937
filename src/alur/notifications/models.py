"""A notice to one person, shown in the app and, when the person has an address, sent by e-mail.

Generic on purpose: the engine's deadline sweep writes them, and so can any other part (agreement
expiry). What a notice is about is its subject: a kind (Subject) and an id, never a foreign key
(a notice outlives what it tells of, and this app knows no other). Which page shows a subject is
the web's to say (links.py), so no layer below the web stores or builds an address.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Subject(models.TextChoices):
        TASK = "task", _("Tugas")
        CASE = "case", _("Perkara")
        AGREEMENT = "agreement", _("Perjanjian")
        EXPORT = "export", _("Berkas rekapitulasi")

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        NONE = "none", _("Tidak dikirim (tanpa alamat surel)")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("penerima"), db_index=False)
    # What makes the notice the same notice ("task:12:reminder"): stored at most once per person,
    # whoever writes it and however often, so racing writers cannot send it twice.
    key = models.CharField(_("kunci"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"))
    subject_kind = models.CharField(_("perihal"), max_length=20, choices=Subject.choices, blank=True)
    subject_id = models.PositiveBigIntegerField(_("nomor perihal"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"))
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    # The e-mail outbox (services.send_pending_emails): a row is claimed pending -> sending by a
    # conditional UPDATE, then marked sent, or pending again (a retry), or failed at the limit.
    email_state = models.CharField(_("status surel"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    email_claimed_at = models.DateTimeField(_("terakhir dicoba pada"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("surel terkirim pada"), null=True, blank=True)
    email_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient")]
        indexes = [
            # The bell's count and the list page; the unique constraint serves lookups by key.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The outbox reads only rows still to send: a small partial index, whatever the history.
            models.Index(fields=["email_state", "email_claimed_at"], name="notification_outbox",
                         condition=Q(email_state__in=["pending", "sending"])),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.title}"

    @property
    def unread(self) -> bool:
        return self.read_at is None
