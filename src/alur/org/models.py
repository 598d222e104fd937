"""Org units, roles and role assignments.

A role key (`karo`, `kepala_opd` ...) is the same word the SOP definitions use for their swimlanes,
so the engine can find who holds a step's role without a mapping table.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        PIMPINAN = "pimpinan", _("Pimpinan daerah")
        BIRO = "biro", _("Biro")
        OPD = "opd", _("Perangkat Daerah (OPD)")
        TIM = "tim", _("Tim / forum")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role as the SOP definitions name it; the key is the primary key so lookups need no join."""

    key = models.SlugField(_("kunci"), max_length=40, primary_key=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssignmentQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class RoleAssignment(models.Model):
    """A person holds a role in an org unit for a period, possibly as acting holder (Plt./Plh.)."""

    class Acting(models.TextChoices):
        DEFINITIVE = "", _("Definitif")
        PLT = "plt", _("Plt. (Pelaksana Tugas)")
        PLH = "plh", _("Plh. (Pelaksana Harian)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("pengguna"))
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("peran"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit organisasi"))
    valid_from = models.DateField(_("berlaku sejak"), default=timezone.localdate)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    acting = models.CharField(_("status jabatan"), max_length=3, choices=Acting.choices, blank=True, default="")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        indexes = [models.Index(fields=["user", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="assignment_period_ordered",
                violation_error_message=_("Tanggal berakhir tidak boleh sebelum tanggal mulai."),
            )
        ]

    def __str__(self) -> str:
        prefix = f"{self.get_acting_display().split(' ')[0]} " if self.acting else ""
        return f"{self.user} — {prefix}{self.role} ({self.org_unit})"
