"""What Permenpan RB 35/2012 prescribes for monitoring and evaluating an SOP AP, in one place.

Source: Lampiran Peraturan Menteri PANRB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan SOP
Administrasi Pemerintahan, bab "Monitoring dan Evaluasi Penerapan SOP AP":

- Monitoring (regularly every six months) is documented in "Tabel 7 Monitoring Pelaksanaan SOP AP"
  (p. 54 of the Lampiran): columns 1 No., 2 Prosedur, 3 Penilaian terhadap penerapan (each row
  offers "Berjalan dengan baik" / "Tidak berjalan dengan baik"), 4 Catatan hasil penilaian,
  5 Tindakan yang harus diambil, 6 Paraf penilai.
- Evaluation asks of the SOP AP as applied whether it meets each criterion below, answered Ya or
  Tidak with a note (the evaluation table that follows the monitoring table; the criteria's
  wording is the one the issue cites from it).

The forms Alur prints follow these columns and this wording; change them here only with the
regulation in hand. The values stay Indonesian (the printed forms and the stored answers are in the
regulation's words); gettext_noop only marks them so that the pages can show them translated.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

MONITORING_TITLE = "Formulir Monitoring Pelaksanaan SOP AP"
EVALUATION_TITLE = "Formulir Evaluasi Penerapan SOP AP"
SOURCE = "Permenpan RB Nomor 35 Tahun 2012"

# Tabel 7's columns, numbered as the table numbers them.
MONITORING_COLUMNS = (
    "No.",
    "Prosedur",
    "Penilaian terhadap Penerapan",
    "Catatan Hasil Penilaian",
    "Tindakan yang Harus Diambil",
    "Paraf Penilai",
)

# The two assessments Tabel 7 offers for each procedure, and Alur's own third for a step that
# did not run in the period (nothing to observe, so neither box can honestly be ticked).
WELL = gettext_noop("Berjalan dengan baik")
NOT_WELL = gettext_noop("Tidak berjalan dengan baik")
NOT_RUN = gettext_noop("Belum dapat dinilai (tidak ada pelaksanaan)")


@dataclass(frozen=True)
class Criterion:
    key: str
    text: str


EVALUATION_CRITERIA: tuple[Criterion, ...] = (
    Criterion("mendorong_kinerja", gettext_noop("Mampu mendorong peningkatan kinerja")),
    Criterion("mudah_dipahami", gettext_noop("Mudah dipahami")),
    Criterion("mudah_dilaksanakan", gettext_noop("Mudah dilaksanakan")),
    Criterion("peran_masing_masing", gettext_noop("Semua orang dapat menjalankan perannya masing-masing")),
    Criterion("atasi_permasalahan", gettext_noop("Mampu mengatasi permasalahan yang berkaitan dengan proses")),
    Criterion("kebutuhan_kinerja", gettext_noop("Mampu menjawab kebutuhan peningkatan kinerja organisasi")),
    Criterion("sinergi", gettext_noop("Sinergi satu dengan lainnya")),
)

EVALUATION_COLUMNS = ("No.", "Penilaian terhadap Penerapan", "Ya", "Tidak", "Keterangan")


def criterion(key: str) -> Criterion:
    for item in EVALUATION_CRITERIA:
        if item.key == key:
            return item
    raise KeyError(key)
