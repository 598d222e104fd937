"""Partners and agreements: the register of every cooperation agreement of the province.

An agreement drafted through Alur points at the workflow case that carries it (the engine never
knows it is an agreement); one signed before Alur, entered by hand or imported from the office's
spreadsheet, has no case. What the rekapitulasi shows is kept here: numbers, partner, the OPD
that carries it out, object and scope, urusan, value, signing, dates, the MoU it implements, its
addenda, distribution, archive and implementation reports.
"""
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

    class Meta:
        verbose_name = _("pihak ketiga")
        verbose_name_plural = _("pihak ketiga")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A contact person of a partner."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)

    class Meta:
        verbose_name = _("narahubung")
        verbose_name_plural = _("narahubung")
        ordering = ["partner", "id"]

    def __str__(self) -> str:
        return self.name


# Government affairs (urusan pemerintahan) of UU 23/2014: the field an agreement serves.
URUSAN = [
    ("pendidikan", _("Pendidikan")),
    ("kesehatan", _("Kesehatan")),
    ("pekerjaan_umum", _("Pekerjaan umum dan penataan ruang")),
    ("perumahan", _("Perumahan rakyat dan kawasan permukiman")),
    ("ketenteraman", _("Ketenteraman, ketertiban umum, dan pelindungan masyarakat")),
    ("sosial", _("Sosial")),
    ("tenaga_kerja", _("Tenaga kerja")),
    ("pemberdayaan_perempuan", _("Pemberdayaan perempuan dan pelindungan anak")),
    ("pangan", _("Pangan")),
    ("pertanahan", _("Pertanahan")),
    ("lingkungan_hidup", _("Lingkungan hidup")),
    ("adminduk", _("Administrasi kependudukan dan pencatatan sipil")),
    ("pemberdayaan_desa", _("Pemberdayaan masyarakat dan desa")),
    ("keluarga_berencana", _("Pengendalian penduduk dan keluarga berencana")),
    ("perhubungan", _("Perhubungan")),
    ("kominfo", _("Komunikasi dan informatika")),
    ("koperasi_ukm", _("Koperasi, usaha kecil, dan menengah")),
    ("penanaman_modal", _("Penanaman modal")),
    ("pemuda_olahraga", _("Kepemudaan dan olah raga")),
    ("statistik", _("Statistik")),
    ("persandian", _("Persandian")),
    ("kebudayaan", _("Kebudayaan")),
    ("perpustakaan", _("Perpustakaan")),
    ("kearsipan", _("Kearsipan")),
    ("kelautan_perikanan", _("Kelautan dan perikanan")),
    ("pariwisata", _("Pariwisata")),
    ("pertanian", _("Pertanian")),
    ("kehutanan", _("Kehutanan")),
    ("esdm", _("Energi dan sumber daya mineral")),
    ("perdagangan", _("Perdagangan")),
    ("perindustrian", _("Perindustrian")),
    ("transmigrasi", _("Transmigrasi")),
    ("pemerintahan_umum", _("Pemerintahan umum")),
]


class Agreement(models.Model):
    """A draft or signed agreement with what the intake records of its disposition."""

    class Kind(models.TextChoices):
        PKS = "pks", _("Perjanjian Kerja Sama (PKS)")
        MOU = "mou", _("Kesepakatan Bersama / Nota Kesepakatan (MoU)")
        ADDENDUM = "addendum", _("Addendum")

    class Signer(models.TextChoices):
        GUBERNUR = "gubernur", _("Gubernur")
        KEPALA_OPD = "kepala_opd", _("Kepala OPD dengan surat kuasa")

    class Source(models.TextChoices):
        ALUR = "alur", _("Disusun melalui Alur")
        MANUAL = "manual", _("Dicatat manual")
        IMPORT = "import", _("Diimpor dari daftar XLSX")

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
    # The intake's disposition; empty for agreements signed before Alur.
    disposition_number = models.CharField(_("nomor surat disposisi"), max_length=100, blank=True)
    disposition_date = models.DateField(_("tanggal disposisi"), null=True, blank=True)
    disposition_from = models.CharField(_("disposisi dari"), max_length=20, choices=DispositionFrom.choices, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("didaftarkan oleh"))
    registered_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)
    source = models.CharField(_("asal catatan"), max_length=10, choices=Source.choices, default=Source.ALUR)

    # The register (rekapitulasi). Our number is given at registration (register.py) and unique.
    number = models.CharField(_("nomor register"), max_length=120, unique=True, null=True, blank=True)
    partner_number = models.CharField(_("nomor pihak ketiga"), max_length=120, blank=True)
    urusan = models.CharField(_("urusan pemerintahan"), max_length=40, choices=URUSAN, blank=True)
    value = models.DecimalField(_("nilai (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True)
    signed_on = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    signed_place = models.CharField(_("tempat penandatanganan"), max_length=200, blank=True)
    signer = models.CharField(_("penandatangan"), max_length=20, choices=Signer.choices, blank=True)
    power_of_attorney = models.CharField(_("nomor surat kuasa"), max_length=120, blank=True)
    starts_on = models.DateField(_("tanggal mulai berlaku"), null=True, blank=True)
    ends_on = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    # A duration beyond five years, or an end before the start, stands only on a recorded legal basis.
    legal_basis = models.TextField(_("dasar hukum pengecualian jangka waktu"), blank=True)
    legal_basis_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("dasar hukum dicatat oleh"))
    implements = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="implementations",
                                   verbose_name=_("melaksanakan MoU"), limit_choices_to={"kind": "mou"})
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="addenda",
                               verbose_name=_("addendum atas"))
    registered_on = models.DateField(_("tanggal registrasi"), null=True, blank=True)
    archive_place = models.CharField(_("tempat arsip"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    # Expiry notices sent (90, 60, 30, 7, 0 days before the end): each once.
    expiry_notices = models.JSONField(_("pemberitahuan masa berlaku terkirim"), default=list, blank=True)

    class Meta:
        verbose_name = _("perjanjian")
        verbose_name_plural = _("perjanjian")
        ordering = ["-registered_at"]
        indexes = [models.Index(fields=["ends_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class RegisterCounter(models.Model):
    """The running number of the register, per year and kind: taken under the row's lock, in the
    registration's transaction, so it never repeats and never skips."""

    year = models.PositiveIntegerField(_("tahun"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Agreement.Kind.choices)
    last = models.PositiveIntegerField(_("nomor urut terakhir"), default=0)

    class Meta:
        verbose_name = _("nomor urut register")
        verbose_name_plural = _("nomor urut register")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.kind}: {self.last}"


class Distribution(models.Model):
    """To whom a signed agreement was distributed, and when."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="distributions")
    recipient = models.CharField(_("penerima"), max_length=300)
    sent_on = models.DateField(_("tanggal"))

    class Meta:
        verbose_name = _("distribusi")
        verbose_name_plural = _("distribusi")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.sent_on:%d-%m-%Y})"


def _report_path(report: "ImplementationReport", filename: str) -> str:
    return f"agreements/{report.agreement_id}/laporan/{filename}"


class ImplementationReport(models.Model):
    """A report on how an agreement is carried out (laporan pelaksanaan / monitoring)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("tanggal laporan"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pelapor"))
    progress = models.TextField(_("kemajuan"))
    obstacles = models.TextField(_("kendala"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    attachment = models.FileField(_("lampiran"), upload_to=_report_path, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan pelaksanaan")
        verbose_name_plural = _("laporan pelaksanaan")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.reported_on:%d-%m-%Y}"


def _export_path(export: "RekapExport", filename: str) -> str:
    return f"rekapitulasi/{filename}"


class RekapExport(models.Model):
    """A rekapitulasi XLSX too long to make while the person waits (exports.XLSX_IN_REQUEST_LIMIT):
    asked for on the page, made by the worker, downloaded by the person who asked for it, and only
    by them. One at a time per person."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu dibuat")
        BUILDING = "building", _("Sedang dibuat")
        READY = "ready", _("Siap diunduh")
        FAILED = "failed", _("Gagal dibuat")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("diminta oleh"))
    requested_at = models.DateTimeField(_("diminta pada"))
    # The list as the page showed it: its filters (exports.filters_as_data), order and heading.
    filters = models.JSONField(_("filter"))
    ordering = models.CharField(_("urutan"), max_length=20)
    filters_text = models.TextField(_("filter dalam kata"), blank=True)
    instansi = models.JSONField(_("kop instansi"), default=list, blank=True)
    # Claimed pending -> building by a conditional UPDATE, then ready (with its file) or failed.
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    claimed_at = models.DateTimeField(_("mulai dibuat pada"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to=_export_path, max_length=300, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        verbose_name = _("unduhan rekapitulasi")
        verbose_name_plural = _("unduhan rekapitulasi")
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["requested_by"], condition=models.Q(state__in=["pending", "building"]),
                                               name="rekap_export_one_waiting_per_person")]

    def __str__(self) -> str:
        return f"{self.requested_by} {self.requested_at:%Y-%m-%d %H:%M} ({self.state})"
