"""Forms of the web pages. They check the shape of the input (dates, required fields, file kinds)
and leave the rules of the SOP to the engine."""
from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.agreements.entry import check_implements, check_urusan, check_value, clean_text, same_number
from alur.agreements.models import URUSAN, Agreement, Partner
from alur.org.models import OrgUnit
from alur.sop.model import Step
from alur.workflow.errors import InvalidInput
from alur.workflow.services import Attachment
from alur.workflow.uploads import check_upload


def attachment_from(upload, kind: str) -> Attachment:
    """An uploaded file as the engine takes it; refused by content (not by name) when its kind
    or size is not accepted."""
    content = upload.read()
    content_type = check_upload(name=upload.name, content=content)
    return Attachment(kind=kind, name=upload.name, content=content, content_type=content_type)


# The decision outcomes as the pages say them (the SOP model's own labels are not translated).
DECISION_LABELS = {"setuju": _("Setuju"), "tidak_setuju": _("Tidak setuju")}


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Masukkan nama pengguna dan kata sandi yang benar. Perhatikan huruf besar dan kecil."),
    }


class BootstrapForm(forms.Form):
    """Gives every widget the Bootstrap class its kind needs, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        """Forms that add fields in their own __init__ call this again afterwards."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:
                widget.attrs["class"] = " ".join([*classes, css])

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class DocumentField(forms.FileField):
    """A file field whose clean() checks the bytes, naming the problem next to the field."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("help_text", _("PDF, DOCX, atau gambar."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.docx,image/*")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return attachment_from(upload, self.kind)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


def agreement_by_number(number: str, what: str) -> Agreement | None:
    """The agreement a form names by its register number (None for no number); a number the
    register does not hold is the field's error. Shared by the intake and the register's forms."""
    number = clean_text(number)
    if not number:
        return None
    found = same_number(number).first()
    if found is None:
        raise forms.ValidationError(_("%(what)s bernomor %(number)s tidak ada di register.") % {"what": what, "number": number})
    return found


def check_partner_choice(form: forms.Form, data: dict) -> None:
    """A form's partner: one from the directory (`partner`) or a new one (`new_partner_name` with
    `new_partner_kind`), never both, never neither; a new name not already in the directory.
    Shared by the intake and the register's entry form."""
    partner, name = data.get("partner"), " ".join((data.get("new_partner_name") or "").split())
    if partner and name:
        form.add_error("new_partner_name", _("Pilih pihak ketiga dari direktori atau isi pihak ketiga baru, bukan keduanya."))
    elif not partner and not name:
        form.add_error("partner", _("Pilih pihak ketiga dari direktori, atau isi nama pihak ketiga baru."))
    elif name:
        if not data.get("new_partner_kind"):
            form.add_error("new_partner_kind", _("Pilih jenis pihak ketiga baru."))
        if Partner.objects.filter(name__iexact=name).exists():
            form.add_error("new_partner_name", _("Pihak ketiga ini sudah ada di direktori; pilih dari daftar."))


class RecordFieldsMixin:
    """Form fields for a definition's `record` (a step's or the intake's), named record_KEY. They
    only check the shape of a value: the engine checks the rest (required, dates, choices) and its
    refusal comes back to the form."""

    def add_record_fields(self, record_fields) -> None:
        for field in record_fields:
            name = f"record_{field.key}"
            if field.type == "date":
                self.fields[name] = forms.DateField(label=field.label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
            elif field.type == "choice":
                self.fields[name] = forms.ChoiceField(label=field.label, required=False, choices=[("", "—"), *field.choices])
            elif field.type == "lines":
                self.fields[name] = forms.CharField(label=field.label, required=False, help_text=_("Satu per baris."),
                                                    widget=forms.Textarea(attrs={"rows": 3}))
            else:
                self.fields[name] = forms.CharField(label=field.label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[name].record_field = field

    @property
    def record_fields(self) -> list:
        """The bound record fields, in the definition's order (for templates)."""
        return [self[name] for name in self.fields if name.startswith("record_")]

    @property
    def record(self) -> dict[str, str]:
        values = {}
        for name, field in self.fields.items():
            if name.startswith("record_"):
                value = self.cleaned_data.get(name)
                if value not in (None, ""):
                    values[name.removeprefix("record_")] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return values


class CaseIntakeParts(RecordFieldsMixin):
    """What every SOP's intake may ask besides its own fields, as its definition says: the case it
    follows (an approved offer for the MoU) and the intake's `record` fields."""

    def add_definition_fields(self, definition, followable) -> None:
        if definition.intake_follows is not None:
            self.fields["follows"] = forms.ModelChoiceField(
                label=_("Berasal dari perkara"), queryset=followable, required=False, empty_label="—",
                help_text=_("Perkara yang mendahului perkara ini, bila ada."))
        self.add_record_fields(definition.intake_record)


class IntakeForm(CaseIntakeParts, BootstrapForm):
    """The intake of an SOP whose cases carry an agreement (the PKS, the MoU)."""

    title = forms.CharField(label=_("Judul perjanjian"), max_length=500)
    org_unit = forms.ModelChoiceField(label=_("Perangkat Daerah pengusul"), queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD),
                                      empty_label=_("— pilih OPD —"))
    disposition_number = forms.CharField(label=_("Nomor surat disposisi"), max_length=100)
    disposition_date = forms.DateField(label=_("Tanggal disposisi"), widget=forms.DateInput(attrs={"type": "date"}))
    disposition_from = forms.ChoiceField(label=_("Disposisi dari"), choices=Agreement.DispositionFrom.choices)
    partner = forms.ModelChoiceField(label=_("Pihak ketiga (dari direktori)"), queryset=Partner.objects.all(), required=False,
                                     empty_label=_("— pihak ketiga baru —"))
    new_partner_name = forms.CharField(label=_("Nama pihak ketiga baru"), max_length=300, required=False)
    new_partner_kind = forms.ChoiceField(label=_("Jenis pihak ketiga"), choices=[("", "—"), *Partner.Kind.choices], required=False)
    new_partner_address = forms.CharField(label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_partner_contact = forms.CharField(label=_("Narahubung"), max_length=200, required=False)
    new_partner_phone = forms.CharField(label=_("Telepon"), max_length=50, required=False)
    new_partner_email = forms.EmailField(label=_("Surel"), required=False)
    object = forms.CharField(label=_("Objek kerja sama"), widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.CharField(label=_("Ruang lingkup"), widget=forms.Textarea(attrs={"rows": 3}))
    duration_months = forms.IntegerField(label=_("Jangka waktu (bulan)"), min_value=1, max_value=60)
    # Optional register fields known from the draft, checked as a manual entry checks them.
    urusan = forms.ChoiceField(label=_("Urusan pemerintahan"), choices=[("", "—"), *URUSAN], required=False)
    value = forms.DecimalField(label=_("Nilai (Rp)"), required=False, max_digits=18, decimal_places=2)
    implements_number = forms.CharField(label=_("Nomor MoU yang dilaksanakan"), max_length=120, required=False,
                                        help_text=_("Untuk PKS yang melaksanakan MoU: nomor register MoU-nya."))
    draft = DocumentField(kind="draft_pks", label=_("Berkas draft PKS"))
    soft_file = DocumentField(kind="soft_file", label=_("Soft file draft (DOCX)"), required=False)
    disposition_scan = DocumentField(kind="disposisi", label=_("Pindaian lembar disposisi"), required=False)

    def __init__(self, *args, definition, followable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = definition.register.kind
        # The draft is the document the intake requires; the soft file and the disposition's scan
        # are offered where the definition knows those kinds.
        draft_kind = definition.intake_kelengkapan[0] if definition.intake_kelengkapan else "draft_pks"
        name = definition.document(draft_kind).name
        self.fields["draft"] = DocumentField(kind=draft_kind, label=_("Berkas %(document)s") % {"document": name[:1].lower() + name[1:]})
        known = {document.key for document in definition.documents}
        for name in ("soft_file", "disposition_scan"):
            if self.fields[name].kind not in known:
                del self.fields[name]
        if self.kind != Agreement.Kind.PKS:
            del self.fields["implements_number"]  # only a PKS carries out an MoU
        self.add_definition_fields(definition, followable)
        self.style_widgets()

    def clean_disposition_date(self):
        value = self.cleaned_data["disposition_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal disposisi tidak boleh di masa depan."))
        return value

    def clean_urusan(self):
        return self._checked(check_urusan, self.cleaned_data["urusan"])

    def clean_value(self):
        return self._checked(check_value, self.cleaned_data["value"])

    def clean_implements_number(self):
        """The MoU the PKS carries out, found by its register number (cleaned_data["implements"])."""
        mou = agreement_by_number(self.cleaned_data["implements_number"], _("MoU"))
        self._checked(check_implements, self.kind, mou)
        self.cleaned_data["implements"] = mou
        return clean_text(self.cleaned_data["implements_number"])

    @staticmethod
    def _checked(check, *args):
        """A rule of the register's entries, its refusal said next to the field."""
        try:
            return check(*args)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        check_partner_choice(self, data)
        return data


class CaseIntakeForm(CaseIntakeParts, BootstrapForm):
    """The intake of an SOP whose cases carry no agreement (a letter): the title, the OPD where the
    definition asks for it, its own fields, and the documents its intake requires."""

    title = forms.CharField(label=_("Judul perkara"), max_length=500)

    def __init__(self, *args, definition, followable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if definition.intake_org_unit:
            self.fields["org_unit"] = forms.ModelChoiceField(
                label=_("Perangkat Daerah pengusul"), queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD),
                empty_label=_("— pilih OPD —"))
        self.add_definition_fields(definition, followable)
        for kind in definition.intake_kelengkapan:
            self.fields[f"document_{kind}"] = DocumentField(kind=kind, label=definition.document(kind).name)
        self.style_widgets()

    @property
    def attachments(self) -> list[Attachment]:
        return [value for name, value in self.cleaned_data.items() if name.startswith("document_") and value]


class ResubmitForm(BootstrapForm):
    """A returned case sent back corrected: a new version of each document its intake requires."""

    note = forms.CharField(label=_("Catatan perbaikan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in definition.intake_kelengkapan:
            self.fields[f"document_{kind}"] = DocumentField(
                kind=kind, label=_("%(document)s yang telah diperbaiki") % {"document": definition.document(kind).name})
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])
        self.style_widgets()

    @property
    def attachments(self) -> list[Attachment]:
        return [value for name, value in self.cleaned_data.items() if name.startswith("document_") and value]


class CancelAgreementForm(BootstrapForm):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Tuliskan alasan pembatalan.")})


class LegalBasisForm(BootstrapForm):
    legal_basis = forms.CharField(
        label=_("Dasar hukum pengecualian jangka waktu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Masa berlaku lebih dari lima tahun, atau berakhir sebelum mulai, diterima pada penandatanganan "
                    "(langkah 12) bila dasar hukumnya dicatat di sini."),
        error_messages={"required": _("Tuliskan dasar hukum pengecualian jangka waktu.")})


class CompletionForm(RecordFieldsMixin, BootstrapForm):
    """Completing one step: its decision and note, what it records, and any files sent with it."""

    def __init__(self, *args, step: Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if step.is_decision:
            self.fields["decision"] = forms.ChoiceField(
                label=_("Keputusan"), widget=forms.RadioSelect,
                choices=[(outcome, DECISION_LABELS[outcome]) for outcome, _target in step.outcomes])
        self.fields["note"] = forms.CharField(
            label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Wajib diisi bila tidak setuju.") if step.is_decision else "")
        self.add_record_fields(step.record)
        self.style_widgets()

    def clean(self):
        data = super().clean()
        if self.step.is_decision and data.get("decision") == "tidak_setuju" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tuliskan alasan bila tidak setuju."))
        return data


