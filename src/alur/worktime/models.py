"""The office's working hours and the dates that differ from the national calendar.

National holidays and cuti bersama come from the `holidays` package; `CalendarDay` is the table
an administrator edits when the yearly decree adds a day off or moves one back to a working day.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import WEEKDAY_NAMES


class WorkingPeriod(models.Model):
    """One stretch of working hours on a weekday (a day with a break has two)."""

    class Weekday(models.IntegerChoices):
        SENIN = 0, WEEKDAY_NAMES[0]
        SELASA = 1, WEEKDAY_NAMES[1]
        RABU = 2, WEEKDAY_NAMES[2]
        KAMIS = 3, WEEKDAY_NAMES[3]
        JUMAT = 4, WEEKDAY_NAMES[4]
        SABTU = 5, WEEKDAY_NAMES[5]
        MINGGU = 6, WEEKDAY_NAMES[6]

    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    starts = models.TimeField(_("mulai"))
    ends = models.TimeField(_("selesai"))

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        ordering = ["weekday", "starts"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"

    def clean(self) -> None:
        if self.starts is None or self.ends is None or self.weekday is None:
            return
        if self.ends <= self.starts:
            raise ValidationError({"ends": _("Jam selesai harus sesudah jam mulai.")})
        overlapping = (WorkingPeriod.objects.filter(weekday=self.weekday, starts__lt=self.ends, ends__gt=self.starts)
                       .exclude(pk=self.pk).first())
        if overlapping:
            raise ValidationError(_("Bertumpang tindih dengan %(other)s.") % {"other": overlapping})


class CalendarDay(models.Model):
    """A date the office's calendar differs from the package's: an extra day off, or a
    national holiday or cuti bersama that the decree moved back to a working day."""

    class Kind(models.TextChoices):
        LIBUR = "libur", _("Libur (tambahan hari libur atau cuti bersama)")
        MASUK = "masuk", _("Masuk kerja (hari libur yang dibatalkan atau dipindah)")

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("keterangan"), max_length=200, help_text=_("Misalnya: Cuti bersama Idulfitri (SKB 3 Menteri 2026)."))

    class Meta:
        verbose_name = _("hari khusus")
        verbose_name_plural = _("hari khusus (tambah/hapus hari libur)")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_kind_display()}: {self.name}"
