"""Forms of the monitoring and evaluation pages: the period and OPD of a new monitoring form, the
penilai's notes per step, and the evaluation's answers. They check the shape of the input; the
services check it again and decide."""
from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alur.evaluation.permenpan import EVALUATION_CRITERIA
from alur.evaluation.selectors import opds
from alur.evaluation.services import Answer, RowEdit

from .forms import BootstrapForm

ANSWER_CHOICES = [("ya", _("Ya")), ("tidak", _("Tidak"))]


def half_year_start(day: datetime.date) -> datetime.date:
    """Permenpan RB 35/2012 asks for monitoring every six months: a new form proposes the current half-year."""
    return day.replace(month=1 if day.month <= 6 else 7, day=1)


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (YYYY-MM-DD) whatever the page language formats dates as."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodForm(BootstrapForm):
    start = forms.DateField(label=_("Awal periode"), widget=DateInput(),
                            error_messages={"required": _("Isi awal periode."), "invalid": _("Awal periode bukan tanggal yang sah.")})
    end = forms.DateField(label=_("Akhir periode"), widget=DateInput(),
                          error_messages={"required": _("Isi akhir periode."), "invalid": _("Akhir periode bukan tanggal yang sah.")})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and start > timezone.localdate():
            self.add_error("start", _("Awal periode tidak boleh di masa depan."))
        if start and end and end < start:
            self.add_error("end", _("Akhir periode tidak boleh sebelum awalnya."))
        return data


class NewMonitoringForm(PeriodForm):
    org_unit = forms.ModelChoiceField(
        label=_("Perangkat Daerah"), queryset=opds(), required=False, empty_label=_("Semua Perangkat Daerah"),
        to_field_name="code", error_messages={"invalid_choice": _("Perangkat Daerah yang dipilih tidak dikenal.")},
        help_text=_("Perkara satu OPD saja, atau semua."))


class MonitoringRowsForm(BootstrapForm):
    """The penilai's note and action for each row of a monitoring form."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"catatan_{row.step_key}"] = forms.CharField(
                label=_("Catatan hasil penilaian"), required=False, max_length=2000, initial=row.catatan,
                widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"tindakan_{row.step_key}"] = forms.CharField(
                label=_("Tindakan yang harus diambil"), required=False, max_length=2000, initial=row.tindakan,
                widget=forms.Textarea(attrs={"rows": 3}))
        self.style_widgets()

    def row_fields(self):
        """(row, its note field, its action field) for the template."""
        return [(row, self[f"catatan_{row.step_key}"], self[f"tindakan_{row.step_key}"]) for row in self.rows]

    @property
    def edits(self) -> dict[str, RowEdit]:
        return {row.step_key: RowEdit(catatan=self.cleaned_data[f"catatan_{row.step_key}"],
                                      tindakan=self.cleaned_data[f"tindakan_{row.step_key}"]) for row in self.rows}


class EvaluationForm(PeriodForm):
    """Every criterion of the evaluation form answered Ya or Tidak, each with an optional note."""

    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    rekomendasi = forms.CharField(label=_("Rekomendasi"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, criterion in enumerate(EVALUATION_CRITERIA, 1):
            self.fields[f"answer_{criterion.key}"] = forms.ChoiceField(
                label=format_lazy("{}. {}", number, _(criterion.text)), choices=ANSWER_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": _("Pilih Ya atau Tidak."), "invalid_choice": _("Pilih Ya atau Tidak.")})
            self.fields[f"keterangan_{criterion.key}"] = forms.CharField(
                label=_("Keterangan"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
        self.style_widgets()

    @classmethod
    def initial_from(cls, evaluation) -> dict:
        initial = {"start": evaluation.period_start, "end": evaluation.period_end,
                   "catatan": evaluation.catatan, "rekomendasi": evaluation.rekomendasi}
        for answer in evaluation.answers.all():
            initial[f"answer_{answer.criterion}"] = "ya" if answer.answer else "tidak"
            initial[f"keterangan_{answer.criterion}"] = answer.keterangan
        return initial

    def criterion_fields(self):
        return [(c, self[f"answer_{c.key}"], self[f"keterangan_{c.key}"]) for c in EVALUATION_CRITERIA]

    def clean(self):
        data = super().clean()
        missing = [_(c.text) for c in EVALUATION_CRITERIA if f"answer_{c.key}" in self.errors]
        if missing:
            names = ", ".join(f"“{text}”" for text in missing)
            self.add_error(None, _("Evaluasi belum lengkap: pilih Ya atau Tidak untuk kriteria %(names)s.") % {"names": names})
        return data

    @property
    def answers(self) -> dict[str, Answer]:
        return {c.key: Answer(answer=self.cleaned_data[f"answer_{c.key}"] == "ya",
                              keterangan=self.cleaned_data.get(f"keterangan_{c.key}", ""))
                for c in EVALUATION_CRITERIA}
