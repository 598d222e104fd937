"""Partners and agreements. An agreement points at the workflow case that carries it; the engine
never knows it is an agreement."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alur.org.models import OrgUnit
from alur.workflow.models import Case


class Partner(models.Model):
    """A third party (pihak ketiga) the province makes agreements with."""

    class Kind(models.TextChoices):
        BADAN_USAHA = "badan_usaha", _("Badan usaha")
        BUMN_BUMD = "bumn_bumd", _("BUMN / BUMD")
        PERGURUAN_TINGGI = "perguruan_tinggi", _("Perguruan tinggi")
        ORMAS = "ormas", _("Organisasi kemasyarakatan")
        PERORANGAN = "perorangan", _("Perorangan")
        LAINNYA = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=300, unique=True)
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    address = models.TextField(_("alamat"), blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telepon"), max_length=50, blank=True)
    contact_email = models.EmailField(_("surel"), blank=True)

    class Meta:
        verbose_name = _("pihak ketiga")
        verbose_name_plural = _("pihak ketiga")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A draft or signed agreement with what the intake records of its disposition."""

    class Kind(models.TextChoices):
        PKS = "pks", _("Perjanjian Kerja Sama (PKS)")
        MOU = "mou", _("Kesepakatan Bersama / Nota Kesepakatan (MoU)")
        ADDENDUM = "addendum", _("Addendum")

    class DispositionFrom(models.TextChoices):
        GUBERNUR = "gubernur", _("Gubernur")
        WAKIL_GUBERNUR = "wakil_gubernur", _("Wakil Gubernur")
        SEKDA = "sekda", _("Sekretaris Daerah")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="agreement", null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.PKS)
    title = models.CharField(_("judul"), max_length=500)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("Perangkat Daerah pengusul"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("pihak ketiga"))
    object = models.TextField(_("objek kerja sama"))
    scope = models.TextField(_("ruang lingkup"))
    duration_months = models.PositiveIntegerField(_("jangka waktu (bulan)"))
    disposition_number = models.CharField(_("nomor surat disposisi"), max_length=100)
    disposition_date = models.DateField(_("tanggal disposisi"))
    disposition_from = models.CharField(_("disposisi dari"), max_length=20, choices=DispositionFrom.choices)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("didaftarkan oleh"))
    registered_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("perjanjian")
        verbose_name_plural = _("perjanjian")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return self.title
