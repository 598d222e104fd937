"""The SOP AP model: what an SOP definition says, as typed, immutable values.

Pure Python: nothing here knows of Django or of the database. The engine (alur.workflow) runs
these definitions; the renderers draw and print them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

DECISION_OUTCOMES = ("setuju", "tidak_setuju")
"""The outcomes every decision step has, in order; the first is the straight (main) path."""

OUTCOME_LABELS = {"setuju": "Setuju", "tidak_setuju": "Tidak setuju"}

DURATION_UNITS = {"menit": "menit", "jam": "jam", "hari": "hari kerja", "hari kerja": "hari kerja"}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(menit|jam|hari(?:\s+kerja)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    """A time standard (waktu) of the Mutu Baku: minutes, hours or working days.

    Always working time: the engine measures it against the office's working hours.
    """

    amount: int
    unit: str  # "menit", "jam" or "hari kerja"

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION_RE.match(text or "")
        if not match:
            raise ValueError(
                f"waktu {text!r} tidak dapat dibaca; tulis seperti '5 menit', '3 jam' atau '2 hari kerja'"
            )
        amount, unit = int(match.group(1)), " ".join(match.group(2).lower().split())
        if amount <= 0:
            raise ValueError(f"waktu {text!r} harus lebih dari nol")
        return cls(amount=amount, unit=DURATION_UNITS[unit])

    @property
    def minutes(self) -> int:
        """Working minutes for menit/jam; 0 for working days, which are counted apart."""
        return {"menit": self.amount, "jam": self.amount * 60}.get(self.unit, 0)

    @property
    def working_days(self) -> int:
        return self.amount if self.unit == "hari kerja" else 0

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class TimeTotal:
    """A sum of time standards: working minutes plus whole working days."""

    minutes: int = 0
    working_days: int = 0

    def __add__(self, other: Duration | TimeTotal) -> TimeTotal:
        return TimeTotal(self.minutes + other.minutes, self.working_days + other.working_days)

    def __str__(self) -> str:
        parts = []
        if self.working_days:
            parts.append(f"{self.working_days} hari kerja")
        if self.minutes or not parts:
            hours, minutes = divmod(self.minutes, 60)
            clock = " ".join(p for p in (f"{hours} jam" if hours else "", f"{minutes} menit" if minutes else "") if p)
            parts.append(f"{self.minutes} menit" + (f" ({clock})" if hours else ""))
        return " + ".join(parts)


@dataclass(frozen=True)
class Marks:
    """What our reading of the source added or inferred (see shared/SOP-READING.md)."""

    inferred: tuple[str, ...] = ()
    added: bool = False
    reading: str = ""

    def is_inferred(self, field_name: str) -> bool:
        return self.added or field_name in self.inferred


@dataclass(frozen=True)
class Identity:
    """The identity part (header) of an SOP AP. Empty source fields stay empty strings."""

    nama: str
    instansi: tuple[str, ...] = ()
    nomor: str = ""
    tanggal_pembuatan: str = ""
    tanggal_revisi: str = ""
    tanggal_efektif: str = ""
    disahkan_oleh: str = ""
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[str, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()
    peringatan: str = ""
    pencatatan_pendataan: str = ""
    catatan: str = ""


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    description: str = ""
    # "opd": the task goes to the holder of this role in the case's own OPD; "" = any holder.
    scope: str = ""
    reports_to: str | None = None
    marks: Marks = field(default_factory=Marks)


@dataclass(frozen=True)
class DocumentKind:
    key: str
    name: str
    description: str = ""


RECORD_TYPES = ("text", "lines", "date", "choice")
"""text: one line of text; lines: a list written one entry per line (the recipients of a
distribution); date: a calendar date; choice: one of the field's `choices`."""


@dataclass(frozen=True)
class RecordField:
    """Something a step records besides its decision: the forum's meeting date, who signs ...

    `when` limits the field to one decision outcome; `documents` names, per choice, documents
    that choice makes this step yield (a surat kuasa when the Kepala OPD signs)."""

    key: str
    label: str
    type: str = "text"
    required: bool = True
    when: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    documents: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def applies_to(self, outcome: str) -> bool:
        return not self.when or self.when == outcome

    @staticmethod
    def entries(value: str) -> tuple[str, ...]:
        """The entries of a `lines` value: each line with its spaces tidied, blank lines left out."""
        return tuple(" ".join(line.split()) for line in (value or "").splitlines() if line.strip())


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    actor: str
    activity: str
    waktu: Duration
    output: str = ""
    source_number: str = ""
    kelengkapan: tuple[str, ...] = ()
    # Documents this step itself yields: uploaded while the step's task is open.
    produces: tuple[str, ...] = ()
    next: str | None = None
    outcomes: tuple[tuple[str, str], ...] = ()  # (outcome, target) for a decision step
    record: tuple[RecordField, ...] = ()
    keterangan: str = ""
    marks: Marks = field(default_factory=Marks)

    @property
    def is_decision(self) -> bool:
        return bool(self.outcomes)

    def target(self, outcome: str | None = None) -> str:
        """The step or end this step leads to (for a decision, under the given outcome)."""
        if not self.is_decision:
            assert self.next is not None
            return self.next
        return dict(self.outcomes)[outcome]

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.outcomes) if self.is_decision else (self.next,)


@dataclass(frozen=True)
class End:
    key: str
    name: str
    # The proposer may send a corrected draft after this end: a new round of the same case.
    resubmittable: bool = False
    marks: Marks = field(default_factory=Marks)


@dataclass(frozen=True)
class Follows:
    """A case of this SOP may start from a case of another SOP that reached this end (an approved
    offer starts the MoU)."""

    sop: str
    end: str


SUBJECTS = ("agreement",)
"""What an SOP's case may carry besides its documents: `agreement`, an agreement with its partner
that the SOP's `register` end puts in the register."""

REGISTER_KINDS = ("mou", "pks", "addendum")

REGISTER_FIELDS = {
    "signer": "choice", "power_of_attorney": "text", "signed_on": "date", "signed_place": "text",
    "partner_number": "text", "starts_on": "date", "ends_on": "date", "legal_basis": "text",
    "distribution": "lines", "archive_place": "text",
}
"""The register's fields an SOP fills from what its steps record, with the record type each needs."""

REQUIRED_REGISTER_FIELDS = ("signed_on", "starts_on", "ends_on")
SIGNER_CHOICES = ("gubernur", "kepala_opd")


@dataclass(frozen=True)
class RegisterMapping:
    """Where the register takes an agreement's fields from: `fields` holds (register field, step
    key, record key); at the end `end` the agreement of kind `kind` gets its register number."""

    kind: str
    end: str
    fields: tuple[tuple[str, str, str], ...] = ()

    def source(self, name: str) -> tuple[str, str] | None:
        """(step key, record key) of a register field, or None when this SOP does not record it."""
        for field_name, step_key, record_key in self.fields:
            if field_name == name:
                return step_key, record_key
        return None

    def recorded_at(self, step_key: str) -> dict[str, str]:
        """The register fields a step records: register field -> record key."""
        return {name: record_key for name, step, record_key in self.fields if step == step_key}


@dataclass(frozen=True)
class SopDefinition:
    key: str
    identity: Identity
    roles: tuple[Role, ...]
    documents: tuple[DocumentKind, ...]
    steps: tuple[Step, ...]
    ends: tuple[End, ...]
    start: str
    intake_roles: tuple[str, ...] = ()
    intake_kelengkapan: tuple[str, ...] = ()
    # Whether a case names the proposing OPD (needed by roles scoped to the OPD, and by agreements).
    intake_org_unit: bool = False
    intake_subject: str = ""  # "" or one of SUBJECTS
    intake_follows: Follows | None = None
    intake_record: tuple[RecordField, ...] = ()  # what the intake form asks besides the title
    resubmit_roles: tuple[str, ...] = ()
    register: RegisterMapping | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_steps", {s.key: s for s in self.steps})
        object.__setattr__(self, "_ends", {e.key: e for e in self.ends})
        object.__setattr__(self, "_roles", {r.key: r for r in self.roles})
        object.__setattr__(self, "_documents", {d.key: d for d in self.documents})

    @property
    def name(self) -> str:
        return self.identity.nama

    def step(self, key: str) -> Step:
        return self._steps[key]

    def is_step(self, key: str) -> bool:
        return key in self._steps

    def end(self, key: str) -> End:
        return self._ends[key]

    def role(self, key: str) -> Role:
        return self._roles[key]

    def document(self, key: str) -> DocumentKind:
        return self._documents[key]

    @property
    def start_step(self) -> Step:
        return self.step(self.start)

    def straight_path(self) -> tuple[Step, ...]:
        """The main path: from the start, `next` or the first outcome (setuju), to an end."""
        path: list[Step] = []
        key = self.start
        while key in self._steps and len(path) <= len(self.steps):
            step = self._steps[key]
            path.append(step)
            key = step.target(DECISION_OUTCOMES[0]) if step.is_decision else step.next
        return tuple(path)

    def straight_path_time(self) -> TimeTotal:
        total = TimeTotal()
        for step in self.straight_path():
            total = total + step.waktu
        return total

    def may_start(self, role_key: str) -> bool:
        """Whether a holder of this role may register an incoming case (the intake)."""
        return role_key in self.intake_roles or role_key == self.start_step.actor

    @property
    def starting_roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.intake_roles, self.start_step.actor)))

    @property
    def resubmitting_roles(self) -> tuple[str, ...]:
        """Who may send a returned case back corrected: the `resubmit` roles and those who start."""
        return tuple(dict.fromkeys((*self.resubmit_roles, *self.starting_roles)))
