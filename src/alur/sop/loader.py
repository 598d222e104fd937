"""Reading SOP definitions from YAML, with every problem reported as `FILE:LINE: message`.

The YAML is composed into nodes (which keep their line numbers) and read field by field, so a
problem can name the line it is on. Reading goes on after a problem: the author gets the whole
list at once, never one error per run. Messages are in Indonesian, for the secretariat staff who
write and review the definitions.
"""
from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .model import (
    DECISION_OUTCOMES,
    DocumentKind,
    Duration,
    End,
    Follows,
    Identity,
    Marks,
    RECORD_TYPES,
    REGISTER_FIELDS,
    REGISTER_KINDS,
    REQUIRED_REGISTER_FIELDS,
    SIGNER_CHOICES,
    SUBJECTS,
    RecordField,
    RegisterMapping,
    Role,
    SopDefinition,
    Step,
)

FORMAT = "alur-sop/1"
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True, order=True)
class Problem:
    """One reason a definition cannot be used. Line 0 means the file as a whole (it cannot be read)."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class DefinitionError(Exception):
    """A definition that cannot be used; `problems` lists every reason, each with its line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def shipped_definition_paths() -> list[Path]:
    """The definitions that ship with the package (loaded by `alur migrate` and `alur demo`)."""
    folder = resources.files("alur.sop") / "definitions"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def load_definition_file(path: str | Path) -> SopDefinition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError([Problem(str(path), 0, "berkas tidak ditemukan")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(str(path), 0, f"berkas tidak dapat dibaca: {exc}")]) from None
    return load_definition_text(text, source=str(path))


def load_definition_text(text: str, *, source: str = "<definisi>") -> SopDefinition:
    """Parse and validate a definition; raise DefinitionError listing every problem found."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise DefinitionError([Problem(source, _yaml_error_line(exc), f"YAML tidak dapat dibaca: {_yaml_error_detail(exc)}")]) from None
    except yaml.reader.ReaderError as exc:
        # Raised for a control character (pasted from a PDF, say); it carries no line, only a position.
        line = text.count("\n", 0, exc.position) + 1
        raise DefinitionError([Problem(source, line, f"YAML tidak dapat dibaca: karakter kendali #x{exc.character:04x} tidak boleh ada")]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(source, 1, f"YAML tidak dapat dibaca: {exc}")]) from None
    if root is None:
        raise DefinitionError([Problem(source, 1, "berkas kosong: tidak ada definisi SOP")])
    reader = _Reader(source)
    definition = reader.read_definition(root)
    if reader.problems:
        raise DefinitionError(reader.problems)
    assert definition is not None
    return definition


def _yaml_error_line(exc: yaml.MarkedYAMLError) -> int:
    # An unclosed quote or bracket is only noticed lines later (often at the end of the file);
    # the line where it was opened is the one the author has to fix.
    opened_earlier = exc.context and exc.context.startswith(("while scanning a", "while parsing a flow"))
    mark = exc.context_mark if opened_earlier and exc.context_mark else exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 1


def _yaml_error_detail(exc: yaml.MarkedYAMLError) -> str:
    return "; ".join(str(part) for part in (exc.context, exc.problem) if part)


# --- field readers -------------------------------------------------------------------------------

_IDENTITY_TEXT = ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh",
                  "nama", "peringatan", "pencatatan_pendataan", "catatan")
_IDENTITY_LISTS = ("instansi", "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan")
_MARK_FIELDS = ("inferred", "added", "reading")
_ROLE_FIELDS = ("key", "name", "description", "scope", "reports_to", *_MARK_FIELDS)
_DOCUMENT_FIELDS = ("key", "name", "description")
_STEP_FIELDS = ("key", "number", "source_number", "actor", "activity", "kelengkapan", "produces", "waktu",
                "output", "next", "decision", "record", "keterangan", *_MARK_FIELDS)
_RECORD_FIELDS = ("key", "label", "type", "required", "when", "choices", "documents")
_END_FIELDS = ("key", "name", "resubmittable", *_MARK_FIELDS)
_TOP_FIELDS = ("format", "key", "identitas", "roles", "documents", "intake", "resubmit", "register", "start", "steps",
               "ends")
_INTAKE_FIELDS = ("roles", "kelengkapan", "org_unit", "subject", "follows", "record")
_ROLE_SCOPES = ("", "opd")


class _Fields(dict):
    """The known fields of one YAML mapping, name -> (key node, value node).

    `owner` is the node a missing field is reported on: the entry's first line, or the line of
    the key that holds the mapping (`identitas:`, `decision:`), so the author sees where to add it.
    """

    def __init__(self, owner: yaml.Node):
        super().__init__()
        self.owner = owner

    def value_node(self, name: str) -> yaml.Node:
        return self[name][1] if name in self else self.owner


@dataclass(frozen=True)
class _Reference:
    """A key one entry names in another list; checked once every list has been read."""

    kind: str  # "role", "document" or "target" (a step or an end)
    key: str
    node: yaml.Node
    message: str  # reported when the key does not exist


class _Reader:
    """Reads composed YAML nodes into the model, collecting problems with their lines."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.references: list[_Reference] = []
        self._constructor = SafeConstructor()

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.source, node.start_mark.line + 1, message))

    def refer(self, kind: str, key: str, node: yaml.Node, message: str) -> None:
        self.references.append(_Reference(kind, key, node, message))

    # Plain values ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...], *,
                owner: yaml.Node | None = None, word: str = "kolom") -> _Fields | None:
        """The fields of a mapping; `word` names what its keys are ("kolom", or "hasil" of a decision)."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} harus berupa pemetaan (kunci: nilai)")
            return None
        fields = _Fields(owner if owner is not None else node)
        seen_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where}: nama {word} harus berupa teks")
                continue
            name = key_node.value
            if name in seen_lines:
                self.problem(key_node, f"{where}: {word} '{name}' ditulis dua kali (pertama di baris {seen_lines[name]})")
                continue
            seen_lines[name] = key_node.start_mark.line + 1
            if name not in allowed:
                guess = difflib.get_close_matches(name, allowed, n=1)
                hint = f" (maksudnya '{guess[0]}'?)" if guess else ""
                self.problem(key_node, f"{where}: {word} '{name}' tidak dikenal{hint}; yang dikenal: {', '.join(allowed)}")
                continue
            fields[name] = (key_node, value_node)
        return fields

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            self.problem(node, f"nilai tidak dapat dibaca: {exc.problem}")
            return None

    def text(self, fields: _Fields, name: str, where: str, *, required: bool = False, default: str = "") -> str:
        if name not in fields:
            if required:
                self.problem(fields.owner, f"{where}: kolom wajib '{name}' tidak ada")
            return default
        node = fields[name][1]
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{where}: '{name}' harus berupa teks")
            return default
        value = self.scalar(node)
        if value is None:
            if required:
                self.problem(node, f"{where}: '{name}' tidak boleh kosong")
            return default
        if isinstance(value, bool):
            self.problem(node, f"{where}: '{name}' harus berupa teks, bukan ya/tidak")
            return default
        value = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
        if required and not value:
            self.problem(node, f"{where}: '{name}' tidak boleh kosong")
        return value

    def text_items(self, fields: _Fields, name: str, where: str) -> list[tuple[str, yaml.Node]]:
        """A list of texts, each with its own node so a later check can name the item's line."""
        if name not in fields:
            return []
        node = fields[name][1]
        if isinstance(node, yaml.ScalarNode) and self.scalar(node) is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}: '{name}' harus berupa daftar")
            return []
        items = []
        for item in node.value:
            value = self.scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                self.problem(item, f"{where}: setiap isi '{name}' harus berupa teks")
                continue
            items.append((str(value).strip(), item))
        return items

    def text_list(self, fields: _Fields, name: str, where: str) -> tuple[str, ...]:
        return tuple(value for value, _ in self.text_items(fields, name, where))

    def flag(self, fields: _Fields, name: str, where: str) -> bool:
        if name not in fields:
            return False
        node = fields[name][1]
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.problem(node, f"{where}: '{name}' harus true atau false")
            return False
        return value

    def key(self, fields: _Fields, where: str) -> str:
        value = self.text(fields, "key", where, required=True)
        if value and not set(value) <= KEY_CHARS:
            self.problem(fields["key"][1], f"{where}: kunci '{value}' hanya boleh berisi huruf kecil, angka, '_' dan '-'")
        return value

    def marks(self, fields: _Fields, where: str, markable: tuple[str, ...]) -> Marks:
        inferred = self.text_items(fields, "inferred", where)
        for name, node in inferred:
            if name not in markable:
                self.problem(node, f"{where}: 'inferred' menyebut kolom '{name}' yang tidak ada; yang bisa: {', '.join(markable)}")
        return Marks(
            inferred=tuple(name for name, _ in inferred),
            added=self.flag(fields, "added", where),
            reading=" ".join(self.text(fields, "reading", where).split()),
        )

    # Sections ----------------------------------------------------------------------------------

    def read_definition(self, root: yaml.Node) -> SopDefinition | None:
        top = self.mapping(root, "definisi", _TOP_FIELDS)
        if top is None:
            return None
        fmt = self.text(top, "format", "definisi", required=True)
        if fmt and fmt != FORMAT:
            self.problem(top["format"][1], f"format '{fmt}' tidak dikenal; yang didukung: {FORMAT}")
        key = self.key(top, "definisi")
        identity = self.read_identity(top)
        roles = self.read_list(top, "roles", "peran", self.read_role)
        documents = self.read_list(top, "documents", "jenis dokumen", self.read_document)
        steps = self.read_list(top, "steps", "langkah", self.read_step, at_least_one=True)
        ends = self.read_list(top, "ends", "akhir", self.read_end, at_least_one=True)
        intake = self.read_intake(top)
        resubmit_roles = self.read_roles_section(top, "resubmit")
        register = self.read_register(top)

        role_keys = self.unique(roles, "peran")
        doc_keys = self.unique(documents, "jenis dokumen")
        step_keys = self.unique(steps, "langkah")
        end_keys = self.unique(ends, "akhir")
        for end, node in ends:
            if end.key in step_keys:
                self.problem(node, f"akhir '{end.key}' memakai kunci yang sama dengan sebuah langkah")
        numbers: dict[int, yaml.Node] = {}
        for step, node in steps:
            # Number 0 means the number was missing or unreadable, which is reported already.
            if step.number and step.number in numbers:
                self.problem(node, f"langkah '{step.key}': nomor {step.number} sudah dipakai langkah lain (baris {numbers[step.number].start_mark.line + 1})")
            numbers.setdefault(step.number, node)

        known = {"role": role_keys, "document": doc_keys, "target": step_keys | end_keys}
        broken = [ref for ref in self.references if ref.key not in known[ref.kind]]
        for ref in broken:
            self.problem(ref.node, ref.message)

        start = self.text(top, "start", "definisi") or (steps[0][0].key if steps else "")
        # Paths are judged only on a complete graph: one mistyped or missing target would make
        # every step before it look trapped and every step after it unreachable, burying the one
        # real mistake under a page of consequences. Those show once the target is fixed.
        routed = all(step.key and None not in step.targets for step, _ in steps)
        if steps and start and start not in step_keys:
            self.problem(top.value_node("start"), f"start menyebut langkah '{start}' yang tidak ada")
        elif steps and start and routed and not any(ref.kind == "target" for ref in broken):
            self.check_paths(steps, start, end_keys)

        self.check_case_parts(top, intake, register, roles, steps, ends)

        if self.problems or identity is None:
            return None
        return SopDefinition(
            key=key,
            identity=identity,
            roles=tuple(r for r, _ in roles),
            documents=tuple(d for d, _ in documents),
            steps=tuple(s for s, _ in steps),
            ends=tuple(e for e, _ in ends),
            start=start,
            intake_roles=intake["roles"],
            intake_kelengkapan=intake["kelengkapan"],
            intake_org_unit=intake["org_unit"],
            intake_subject=intake["subject"],
            intake_follows=intake["follows"],
            intake_record=intake["record"],
            resubmit_roles=resubmit_roles,
            register=register[0] if register else None,
        )

    def read_list(self, top: _Fields, name: str, label: str, read_item, *, at_least_one: bool = False) -> list[tuple[Any, yaml.Node]]:
        if name not in top:
            self.problem(top.owner, f"definisi: kolom wajib '{name}' tidak ada")
            return []
        node = top[name][1]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{name}' harus berupa daftar {label}")
            return []
        if at_least_one and not node.value:
            self.problem(node, f"definisi harus punya setidaknya satu {label}")
        items = []
        for item_node in node.value:
            item = read_item(item_node)
            if item is not None:
                items.append((item, item_node))
        return items

    def unique(self, items: list[tuple[Any, yaml.Node]], label: str) -> set[str]:
        seen: dict[str, yaml.Node] = {}
        for item, node in items:
            if not item.key:
                continue  # the missing key is reported already
            if item.key in seen:
                self.problem(node, f"{label} '{item.key}' ditulis dua kali (pertama di baris {seen[item.key].start_mark.line + 1})")
            seen.setdefault(item.key, node)
        return set(seen)

    def read_identity(self, top: _Fields) -> Identity | None:
        if "identitas" not in top:
            self.problem(top.owner, "definisi: kolom wajib 'identitas' tidak ada")
            return None
        key_node, node = top["identitas"]
        fields = self.mapping(node, "identitas", _IDENTITY_TEXT + _IDENTITY_LISTS, owner=key_node)
        if fields is None:
            return None
        values: dict[str, Any] = {name: self.text(fields, name, "identitas", required=(name == "nama")) for name in _IDENTITY_TEXT}
        values.update({name: self.text_list(fields, name, "identitas") for name in _IDENTITY_LISTS})
        return Identity(**values)

    def read_role(self, node: yaml.Node) -> Role | None:
        where = _where("peran", _peek_key(node))
        fields = self.mapping(node, where, _ROLE_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "peran")
        scope = self.text(fields, "scope", where)
        if scope not in _ROLE_SCOPES:
            self.problem(fields["scope"][1], f"{where}: scope '{scope}' tidak dikenal; yang dikenal: opd")
        reports_to = self.text(fields, "reports_to", where)
        if reports_to:
            self.refer("role", reports_to, fields["reports_to"][1], f"{where}: reports_to menyebut peran '{reports_to}' yang tidak ada")
        return Role(
            key=key,
            name=self.text(fields, "name", where, required=True),
            description=self.text(fields, "description", where),
            scope=scope,
            reports_to=reports_to or None,
            marks=self.marks(fields, where, ("name", "description", "scope", "reports_to")),
        )

    def read_document(self, node: yaml.Node) -> DocumentKind | None:
        where = _where("jenis dokumen", _peek_key(node))
        fields = self.mapping(node, where, _DOCUMENT_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "jenis dokumen")
        return DocumentKind(key=key, name=self.text(fields, "name", where, required=True),
                            description=self.text(fields, "description", where))

    def read_step(self, node: yaml.Node) -> Step | None:
        where = _where("langkah", _peek_key(node))
        fields = self.mapping(node, where, _STEP_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "langkah")
        number = 0
        if "number" not in fields:
            self.problem(node, f"{where}: kolom wajib 'number' tidak ada")
        else:
            value = self.scalar(fields["number"][1]) if isinstance(fields["number"][1], yaml.ScalarNode) else None
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                self.problem(fields["number"][1], f"{where}: 'number' harus bilangan bulat positif")
            else:
                number = value
        actor = self.text(fields, "actor", where, required=True)
        if actor:
            self.refer("role", actor, fields["actor"][1], f"{where}: pelaksana '{actor}' tidak ada di daftar peran")
        documents: dict[str, tuple[str, ...]] = {}
        for name in ("kelengkapan", "produces"):
            items = self.text_items(fields, name, where)
            for doc, item_node in items:
                self.refer("document", doc, item_node, f"{where}: jenis dokumen '{doc}' di '{name}' tidak ada di daftar dokumen")
            documents[name] = tuple(doc for doc, _ in items)
        waktu = Duration(1, "menit")  # stands in for an unreadable one; the definition is refused then
        waktu_text = self.text(fields, "waktu", where, required=True)
        if waktu_text:
            try:
                waktu = Duration.parse(waktu_text)
            except ValueError as exc:
                self.problem(fields["waktu"][1], f"{where}: {exc}")
        outcomes: tuple[tuple[str, str], ...] = ()
        next_step = self.text(fields, "next", where) or None
        if "decision" in fields:
            outcomes = self.read_decision(fields, where)
            if next_step:
                self.problem(fields["next"][1], f"{where}: langkah keputusan tidak boleh punya 'next'; tujuannya ditulis per hasil di 'decision'")
                next_step = None
        elif next_step:
            self.refer("target", next_step, fields["next"][1], f"{where}: 'next' menuju '{next_step}', yang bukan langkah maupun akhir")
        else:
            self.problem(node, f"{where}: tidak punya 'next' maupun 'decision'; tulis langkah atau akhir berikutnya")
        return Step(
            key=key,
            number=number,
            source_number=self.text(fields, "source_number", where),
            actor=actor,
            activity=" ".join(self.text(fields, "activity", where, required=True).split()),
            kelengkapan=documents["kelengkapan"],
            produces=documents["produces"],
            waktu=waktu,
            output=self.text(fields, "output", where),
            next=next_step,
            outcomes=outcomes,
            record=self.read_record(fields, where, decision="decision" in fields),
            keterangan=self.text(fields, "keterangan", where),
            marks=self.marks(fields, where, ("number", "actor", "activity", "kelengkapan", "produces", "waktu", "output", "next", "decision", "record")),
        )

    def read_record(self, step_fields: _Fields, where: str, *, decision: bool) -> tuple[RecordField, ...]:
        if "record" not in step_fields:
            return ()
        node = step_fields["record"][1]
        if isinstance(node, yaml.ScalarNode) and self.scalar(node) is None:
            return ()  # `record:` left empty, as `kelengkapan:` may be
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}: 'record' harus berupa daftar isian")
            return ()
        fields_read, seen = [], {}
        for item in node.value:
            item_where = _where(f"{where}: isian", _peek_key(item))
            fields = self.mapping(item, item_where, _RECORD_FIELDS)
            if fields is None:
                continue
            key = self.key(fields, item_where)
            if key and key in seen:  # a missing key is reported already, and is no duplicate
                self.problem(item, f"{item_where} ditulis dua kali (pertama di baris {seen[key]})")
            if key:
                seen.setdefault(key, item.start_mark.line + 1)
            kind = self.text(fields, "type", item_where) or "text"
            if kind not in RECORD_TYPES:
                self.problem(fields["type"][1], f"{item_where}: jenis '{kind}' tidak dikenal; yang dikenal: {', '.join(RECORD_TYPES)}")
            when = self.text(fields, "when", item_where)
            if when and not decision:
                self.problem(fields["when"][1], f"{item_where}: 'when' hanya untuk langkah keputusan; langkah ini tidak punya 'decision'")
            elif when and when not in DECISION_OUTCOMES:
                self.problem(fields["when"][1], f"{item_where}: 'when' berisi '{when}'; yang dikenal: {', '.join(DECISION_OUTCOMES)}")
            choices = self.read_labels(fields, "choices", item_where)
            if kind == "choice" and "choices" not in fields:
                self.problem(fields.owner, f"{item_where}: isian pilihan (type: choice) harus punya 'choices'")
            for name in ("choices", "documents"):
                if name in fields and kind in RECORD_TYPES and kind != "choice":
                    self.problem(fields[name][0], f"{item_where}: '{name}' hanya untuk isian pilihan (type: choice), bukan {kind}")
            documents = []
            if "documents" in fields and kind == "choice" and choices:  # unreadable choices are reported already
                by_choice = self.mapping(fields["documents"][1], f"{item_where}: documents", tuple(v for v, _ in choices), word="pilihan")
                for value, (_, docs_node) in (by_choice or {}).items():
                    documents.append((value, self.doc_items(docs_node, item_where)))
            fields_read.append(RecordField(
                key=key, label=self.text(fields, "label", item_where, required=True), type=kind,
                required=self.flag(fields, "required", item_where) if "required" in fields else True,
                when=when, choices=choices, documents=tuple(documents),
            ))
        return tuple(fields_read)

    def read_labels(self, fields: _Fields, name: str, where: str) -> tuple[tuple[str, str], ...]:
        """A mapping of value -> label, in the order written. Values are keys as written (so
        `ya` stays 'ya' and is not read as YAML's true)."""
        if name not in fields:
            return ()
        node = fields[name][1]
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.problem(node, f"{where}: '{name}' harus berupa pemetaan nilai: label, setidaknya satu")
            return ()
        labels, seen = [], {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
                self.problem(key_node, f"{where}: nilai pilihan harus berupa teks")
                continue
            value = key_node.value.strip()
            if not set(value) <= KEY_CHARS:
                self.problem(key_node, f"{where}: nilai pilihan '{value}' hanya boleh berisi huruf kecil, angka, '_' dan '-'")
                continue
            if value in seen:
                self.problem(key_node, f"{where}: pilihan '{value}' ditulis dua kali (pertama di baris {seen[value]})")
                continue
            seen[value] = key_node.start_mark.line + 1
            label = self.scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if not isinstance(label, str) or not label.strip():
                self.problem(value_node, f"{where}: label pilihan '{value}' harus berupa teks")
                continue
            labels.append((value, " ".join(label.split())))
        return tuple(labels)

    def doc_items(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}: dokumen per pilihan harus berupa daftar jenis dokumen")
            return ()
        docs = []
        for item in node.value:
            doc = self.scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(doc, str):
                self.problem(item, f"{where}: setiap jenis dokumen harus berupa teks")
                continue
            self.refer("document", doc, item, f"{where}: jenis dokumen '{doc}' tidak ada di daftar dokumen")
            docs.append(doc)
        return tuple(docs)

    def read_decision(self, step_fields: _Fields, where: str) -> tuple[tuple[str, str], ...]:
        """The (outcome, target) pairs, or () when an outcome is missing (reported here)."""
        key_node, node = step_fields["decision"]
        fields = self.mapping(node, f"{where}: decision", DECISION_OUTCOMES, owner=key_node, word="hasil")
        if fields is None:
            return ()
        for outcome in DECISION_OUTCOMES:
            if outcome not in fields:
                self.problem(key_node, f"{where}: keputusan tidak punya hasil '{outcome}'; tulis ke mana langkah berlanjut bila {outcome.replace('_', ' ')}")
        outcomes = []
        for outcome in DECISION_OUTCOMES:
            if outcome in fields:
                target = self.text(fields, outcome, f"{where}: decision", required=True)
                if target:
                    self.refer("target", target, fields[outcome][1], f"{where}: bila {outcome.replace('_', ' ')} menuju '{target}', yang bukan langkah maupun akhir")
                    outcomes.append((outcome, target))
        return tuple(outcomes) if len(outcomes) == len(DECISION_OUTCOMES) else ()

    def read_end(self, node: yaml.Node) -> End | None:
        where = _where("akhir", _peek_key(node))
        fields = self.mapping(node, where, _END_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "akhir")
        return End(key=key, name=self.text(fields, "name", where, required=True),
                   resubmittable=self.flag(fields, "resubmittable", where),
                   marks=self.marks(fields, where, ("name", "resubmittable")))

    def read_intake(self, top: _Fields) -> dict[str, Any]:
        intake: dict[str, Any] = {"roles": (), "kelengkapan": (), "org_unit": None, "subject": "", "follows": None,
                                  "record": (), "fields": None}
        if "intake" not in top:
            return intake
        key_node, node = top["intake"]
        fields = self.mapping(node, "intake", _INTAKE_FIELDS, owner=key_node)
        if fields is None:
            return intake
        intake["fields"] = fields
        roles = self.text_items(fields, "roles", "intake")
        for role, item_node in roles:
            self.refer("role", role, item_node, f"intake: peran '{role}' tidak ada di daftar peran")
        documents = self.text_items(fields, "kelengkapan", "intake")
        for doc, item_node in documents:
            self.refer("document", doc, item_node, f"intake: jenis dokumen '{doc}' tidak ada di daftar dokumen")
        intake["roles"], intake["kelengkapan"] = tuple(r for r, _ in roles), tuple(d for d, _ in documents)
        if "org_unit" in fields:
            intake["org_unit"] = self.flag(fields, "org_unit", "intake")
        subject = self.text(fields, "subject", "intake")
        if subject and subject not in SUBJECTS:
            self.problem(fields["subject"][1], f"intake: subject '{subject}' tidak dikenal; yang dikenal: {', '.join(SUBJECTS)}")
        intake["subject"] = subject if subject in SUBJECTS else ""
        if "follows" in fields:
            follows = self.mapping(fields["follows"][1], "intake: follows", ("sop", "end"), owner=fields["follows"][0])
            if follows is not None:
                sop = self.text(follows, "sop", "intake: follows", required=True)
                end = self.text(follows, "end", "intake: follows", required=True)
                if sop and end:
                    intake["follows"] = Follows(sop=sop, end=end)
        intake["record"] = self.read_record(fields, "intake", decision=False)
        return intake

    def read_roles_section(self, top: _Fields, name: str) -> tuple[str, ...]:
        """A section holding only `roles:` (resubmit: who may send a returned case back)."""
        if name not in top:
            return ()
        key_node, node = top[name]
        fields = self.mapping(node, name, ("roles",), owner=key_node)
        if fields is None:
            return ()
        roles = self.text_items(fields, "roles", name)
        for role, item_node in roles:
            self.refer("role", role, item_node, f"{name}: peran '{role}' tidak ada di daftar peran")
        return tuple(r for r, _ in roles)

    def read_register(self, top: _Fields) -> tuple[RegisterMapping, _Fields, list[tuple[str, str, str, yaml.Node]]] | None:
        """The register section as written; its references to steps are checked once steps are read."""
        if "register" not in top:
            return None
        key_node, node = top["register"]
        fields = self.mapping(node, "register", ("kind", "end", "fields"), owner=key_node)
        if fields is None:
            return None
        kind = self.text(fields, "kind", "register", required=True)
        if kind and kind not in REGISTER_KINDS:
            self.problem(fields["kind"][1], f"register: jenis '{kind}' tidak dikenal; yang dikenal: {', '.join(REGISTER_KINDS)}")
        end = self.text(fields, "end", "register", required=True)
        mapped: list[tuple[str, str, str, yaml.Node]] = []
        if "fields" not in fields:
            self.problem(fields.owner, "register: kolom wajib 'fields' tidak ada")
        else:
            by_name = self.mapping(fields["fields"][1], "register: fields", tuple(REGISTER_FIELDS), owner=fields["fields"][0])
            for name, (_, value_node) in (by_name or {}).items():
                source = self.text(by_name, name, "register: fields", required=True)
                step_key, dot, record_key = source.partition(".")
                if source and not (dot and step_key and record_key):
                    self.problem(value_node, f"register: fields: '{name}' harus ditulis LANGKAH.ISIAN "
                                             f"(misalnya penandatanganan.tanggal_tanda_tangan), bukan '{source}'")
                elif source:
                    mapped.append((name, step_key, record_key, value_node))
            for name in REQUIRED_REGISTER_FIELDS:
                if by_name is not None and name not in by_name:
                    self.problem(fields["fields"][0], f"register: fields: kolom wajib '{name}' tidak ada")
        mapping = RegisterMapping(kind=kind, end=end, fields=tuple((n, s, r) for n, s, r, _ in mapped))
        return mapping, fields, mapped

    def check_case_parts(self, top: _Fields, intake: dict[str, Any], register, roles, steps, ends) -> None:
        """What the intake, resubmission and register sections say about the rest of the definition."""
        scoped = [role for role, _ in roles if role.scope == "opd"]
        intake_fields = intake["fields"]
        if intake["org_unit"] is False:
            for role in scoped:
                self.problem(intake_fields["org_unit"][1], f"intake: org_unit false, padahal peran '{role.key}' "
                                                           "dijalankan oleh OPD perkara (scope: opd)")
            if intake["subject"]:
                self.problem(intake_fields["org_unit"][1], "intake: perkara dengan perjanjian (subject: agreement) "
                                                           "selalu menyebut Perangkat Daerahnya; hapus org_unit: false")
        # Unless the definition says so, a case names its OPD when something in it needs one.
        intake["org_unit"] = bool(intake["org_unit"] or (intake["org_unit"] is None and (scoped or intake["subject"])))
        step_by_key = {step.key: step for step, _ in steps}
        end_by_key = {end.key: end for end, _ in ends}
        if "resubmit" in top and not any(end.resubmittable for end in end_by_key.values()):
            self.problem(top["resubmit"][0], "resubmit: tidak ada akhir yang resubmittable; perkara tidak pernah dapat diajukan ulang")
        if intake["subject"] == "agreement" and register is None:
            self.problem(intake_fields["subject"][1], "intake: subject agreement memerlukan bagian 'register' "
                                                      "(akhir yang meregistrasi perjanjian dan isian yang dicatat)")
        if register is None:
            return
        mapping, fields, mapped = register
        if intake["subject"] != "agreement":
            self.problem(top["register"][0], "register: perjanjian hanya diregistrasi dari perkara yang membawanya; "
                                             "tulis 'subject: agreement' di bagian intake")
        end_ok = mapping.end in end_by_key and not end_by_key[mapping.end].resubmittable
        if mapping.end and mapping.end not in end_by_key:
            self.problem(fields.value_node("end"), f"register: end menyebut akhir '{mapping.end}' yang tidak ada")
        elif mapping.end and end_by_key[mapping.end].resubmittable:
            self.problem(fields.value_node("end"), f"register: akhir '{mapping.end}' adalah pengembalian (resubmittable); "
                                                   "perjanjian diregistrasi pada akhir yang menyelesaikan perkara")
        for name, step_key, record_key, node in mapped:
            step = step_by_key.get(step_key)
            if step is None:
                self.problem(node, f"register: fields: '{name}' menyebut langkah '{step_key}' yang tidak ada")
                continue
            record = next((field for field in step.record if field.key == record_key), None)
            if record is None:
                known = ", ".join(field.key for field in step.record) or "tidak ada"
                self.problem(node, f"register: fields: '{name}' menyebut isian '{record_key}' yang tidak dicatat "
                                   f"langkah '{step_key}' (isiannya: {known})")
                continue
            needed = REGISTER_FIELDS[name]
            if name == "distribution" and end_ok and mapping.end not in step.targets:
                # The recipients are dated the day of registration and written then, from the
                # record of the completion that reaches the register's end.
                self.problem(node, f"register: fields: 'distribution' harus dicatat langkah yang berlanjut ke akhir "
                                   f"'{mapping.end}'; langkah '{step_key}' tidak")
            elif record.type != needed:
                self.problem(node, f"register: fields: '{name}' perlu isian berjenis {needed}, "
                                   f"sedangkan '{step_key}.{record_key}' berjenis {record.type}")
            elif name == "signer" and not {value for value, _ in record.choices} <= set(SIGNER_CHOICES):
                self.problem(node, f"register: fields: pilihan '{step_key}.{record_key}' untuk penandatangan "
                                   f"hanya boleh: {', '.join(SIGNER_CHOICES)}")

    # Paths -------------------------------------------------------------------------------------

    def check_paths(self, entries: list[tuple[Step, yaml.Node]], start: str, ends: set[str]) -> None:
        steps: dict[str, tuple[Step, yaml.Node]] = {}
        for step, node in entries:
            steps.setdefault(step.key, (step, node))  # a second step with the same key is reported already
        reached = {start}
        queue = deque([start])
        while queue:
            for target in steps[queue.popleft()][0].targets:
                if target in steps and target not in reached:
                    reached.add(target)
                    queue.append(target)
        for key, (step, node) in steps.items():
            if key not in reached:
                self.problem(node, f"langkah '{key}' tidak dapat dicapai dari langkah awal '{start}'")

        # Walk backwards from the ends: a step that never gets there would trap a case forever.
        leads_to_end = set(ends)
        changed = True
        while changed:
            changed = False
            for key, (step, _) in steps.items():
                if key not in leads_to_end and any(t in leads_to_end for t in step.targets):
                    leads_to_end.add(key)
                    changed = True
        trapped = [(key, node) for key, (_, node) in steps.items() if key not in leads_to_end]
        for key, node in trapped:
            self.problem(node, f"langkah '{key}' tidak punya jalan menuju akhir mana pun")
        if trapped:
            return  # a trapped loop on the main path is reported above; once is enough

        # The main path (setuju at every decision) is the SOP's own flow and carries its total time
        # standard; a case may leave a loop through tidak setuju, but the main path must end.
        on_main_path: set[str] = set()
        key = start
        while key in steps and key not in on_main_path:
            on_main_path.add(key)
            step, node = steps[key]
            following = step.target(DECISION_OUTCOMES[0]) if step.is_decision else step.next
            if following in on_main_path:
                self.problem(node, f"langkah '{key}': jalan utama (setuju di setiap keputusan) kembali ke langkah '{following}' dan tidak pernah sampai ke akhir")
            key = following


def _where(label: str, key: str) -> str:
    """How messages name an entry: "langkah 'periksa_karo'", or just "langkah" when its key is missing."""
    return f"{label} '{key}'" if key else label


def _peek_key(node: yaml.Node) -> str:
    """An entry's key, read before its fields so that even a problem in the field list names the entry."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "key" and isinstance(value_node, yaml.ScalarNode):
                return value_node.value.strip()
    return ""
