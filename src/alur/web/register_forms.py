"""Forms of the register pages: entering a signed agreement (and correcting one), a report on its
implementation, and the XLSX upload of the import. They check the shape of the input; the rules
of the register are the services'."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.agreements.entry import Contact, PartnerDetails
from alur.agreements.models import URUSAN, Agreement, Partner
from alur.org.models import OrgUnit

from .forms import BootstrapForm, DocumentField, agreement_by_number, check_partner_choice

# A date input reads and writes yyyy-mm-dd whatever the language, hence the explicit format.
DATE = {"type": "date"}
CONTACT_SLOTS = 2


class AgreementForm(BootstrapForm):
    """An agreement signed outside Alur, as the register keeps it; prefilled for a correction."""

    kind = forms.ChoiceField(label=_("Jenis perjanjian"), choices=Agreement.Kind.choices)
    number = forms.CharField(label=_("Nomor register"), max_length=120,
                             help_text=_("Nomor yang diberikan register pada naskah perjanjian."))
    partner_number = forms.CharField(label=_("Nomor pihak ketiga"), max_length=120, required=False)
    title = forms.CharField(label=_("Judul perjanjian"), max_length=500)
    org_unit = forms.ModelChoiceField(label=_("OPD pelaksana"), queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD),
                                      empty_label=_("— pilih OPD —"))
    object = forms.CharField(label=_("Objek kerja sama"), widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.CharField(label=_("Ruang lingkup"), widget=forms.Textarea(attrs={"rows": 3}))
    urusan = forms.ChoiceField(label=_("Urusan pemerintahan"), choices=[("", "—"), *URUSAN], required=False)
    value = forms.DecimalField(label=_("Nilai (Rp)"), required=False, min_value=0, max_digits=18, decimal_places=2)
    signed_on = forms.DateField(label=_("Tanggal penandatanganan"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    signed_place = forms.CharField(label=_("Tempat penandatanganan"), max_length=200, required=False)
    signer = forms.ChoiceField(label=_("Penandatangan"), choices=[("", "—"), *Agreement.Signer.choices], required=False)
    power_of_attorney = forms.CharField(label=_("Nomor surat kuasa"), max_length=120, required=False,
                                        help_text=_("Wajib bila Kepala OPD yang menandatangani."))
    starts_on = forms.DateField(label=_("Tanggal mulai berlaku"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    ends_on = forms.DateField(label=_("Tanggal berakhir"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    legal_basis = forms.CharField(label=_("Dasar hukum pengecualian jangka waktu"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Hanya bila jangka waktu lebih dari lima tahun; dicatat oleh Karo Pemerintahan."))
    implements_number = forms.CharField(label=_("Nomor MoU yang dilaksanakan"), max_length=120, required=False,
                                        help_text=_("Untuk PKS yang melaksanakan MoU: nomor register MoU-nya."))
    amends_number = forms.CharField(label=_("Addendum atas (nomor perjanjian)"), max_length=120, required=False,
                                    help_text=_("Untuk addendum: nomor register perjanjian yang diubahnya."))
    registered_on = forms.DateField(label=_("Tanggal registrasi"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    archive_place = forms.CharField(label=_("Tempat arsip"), max_length=300, required=False)
    partner = forms.ModelChoiceField(label=_("Pihak ketiga (dari direktori)"), queryset=Partner.objects.all(), required=False,
                                     empty_label=_("— pihak ketiga baru —"))
    new_partner_name = forms.CharField(label=_("Nama pihak ketiga baru"), max_length=300, required=False)
    new_partner_kind = forms.ChoiceField(label=_("Jenis pihak ketiga"), choices=[("", "—"), *Partner.Kind.choices], required=False)
    new_partner_address = forms.CharField(label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, may_record_legal_basis: bool = False, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        for slot in range(1, CONTACT_SLOTS + 1):
            self.fields[f"contact_name_{slot}"] = forms.CharField(label=_("Narahubung %(n)s: nama") % {"n": slot},
                                                                  max_length=200, required=False)
            self.fields[f"contact_position_{slot}"] = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
            self.fields[f"contact_phone_{slot}"] = forms.CharField(label=_("Telepon"), max_length=50, required=False)
            self.fields[f"contact_email_{slot}"] = forms.EmailField(label=_("Surel"), required=False)
        if not may_record_legal_basis:
            self.fields["legal_basis"].disabled = True
        if correcting:
            # A correction changes the agreement's partner only by choosing another from the directory.
            self.fields["partner"].required = True
            self.fields["partner"].empty_label = None
            for name in [n for n in self.fields if n.startswith(("new_partner_", "contact_"))]:
                del self.fields[name]
        self.style_widgets()

    @property
    def contact_slots(self):
        return [[self[f"contact_{part}_{slot}"] for part in ("name", "position", "phone", "email")]
                for slot in range(1, CONTACT_SLOTS + 1) if f"contact_name_{slot}" in self.fields]

    def _agreement_by_number(self, field: str, what: str):
        try:
            return agreement_by_number(self.cleaned_data.get(field), what)
        except forms.ValidationError as error:
            self.add_error(field, error)
            return None

    def clean(self):
        data = super().clean()
        data["implements"] = self._agreement_by_number("implements_number", _("MoU"))
        data["amends"] = self._agreement_by_number("amends_number", _("Perjanjian"))
        if not self.correcting:
            check_partner_choice(self, data)
        return data

    def partner_choice(self) -> Partner | PartnerDetails:
        data = self.cleaned_data
        if data.get("partner"):
            return data["partner"]
        contacts = tuple(Contact(data.get(f"contact_name_{slot}", ""), data.get(f"contact_position_{slot}", ""),
                                 data.get(f"contact_phone_{slot}", ""), data.get(f"contact_email_{slot}", ""))
                         for slot in range(1, CONTACT_SLOTS + 1))
        return PartnerDetails(name=data["new_partner_name"], kind=data["new_partner_kind"],
                              address=data.get("new_partner_address", ""), contacts=contacts)

    def register_values(self) -> dict:
        """The cleaned values as the services take them."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in (
            "kind", "number", "partner_number", "title", "org_unit", "object", "scope", "urusan", "value", "signed_on",
            "signed_place", "signer", "power_of_attorney", "starts_on", "ends_on", "implements", "amends",
            "registered_on", "archive_place")}
        for name in ("partner_number", "urusan", "signed_place", "signer", "power_of_attorney", "archive_place"):
            values[name] = values[name] or ""
        if not self.fields["legal_basis"].disabled:
            values["legal_basis"] = data.get("legal_basis") or ""
        return values

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in (
            "kind", "number", "partner_number", "title", "object", "scope", "urusan", "value", "signed_on", "signed_place",
            "signer", "power_of_attorney", "starts_on", "ends_on", "legal_basis", "registered_on", "archive_place")}
        initial |= {"org_unit": agreement.org_unit_id, "partner": agreement.partner_id,
                    "implements_number": agreement.implements.number if agreement.implements_id else "",
                    "amends_number": agreement.amends.number if agreement.amends_id else ""}
        return initial


class ReportForm(BootstrapForm):
    reported_on = forms.DateField(label=_("Tanggal laporan"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE), initial=timezone.localdate)
    progress = forms.CharField(label=_("Kemajuan pelaksanaan"), widget=forms.Textarea(attrs={"rows": 3}))
    obstacles = forms.CharField(label=_("Kendala"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Tindak lanjut"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = DocumentField(kind="laporan", label=_("Lampiran"), required=False)

    def clean_reported_on(self):
        value = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal laporan tidak boleh di masa depan."))
        return value


class DistributionForm(BootstrapForm):
    recipient = forms.CharField(label=_("Penerima"), max_length=300)
    sent_on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE), initial=timezone.localdate)


class ImportUploadForm(BootstrapForm):
    file = forms.FileField(label=_("Berkas register (.xlsx)"),
                           help_text=_("Buku kerja Excel dengan judul kolom seperti pada templat."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
