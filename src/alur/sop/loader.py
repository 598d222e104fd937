"""Reading SOP definitions from YAML, with every problem reported as `FILE:LINE: message`.

The YAML is composed into nodes (which keep their line numbers) and read field by field, so a
problem can name the line it is on. Reading goes on after a problem: the author gets the whole
list at once, never one error per run. Messages are in Indonesian, for the secretariat staff who
write and review the definitions.
"""
from __future__ import annotations

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
    Identity,
    Marks,
    Role,
    SopDefinition,
    Step,
)

FORMAT = "alur-sop/1"
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True, order=True)
class Problem:
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
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise DefinitionError([Problem(source, (mark.line + 1) if mark else 1, f"YAML tidak dapat dibaca: {detail}")]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(source, 1, f"YAML tidak dapat dibaca: {exc}")]) from None
    if root is None:
        raise DefinitionError([Problem(source, 1, "berkas kosong: tidak ada definisi SOP")])
    definition = reader.read_definition(root)
    if reader.problems:
        raise DefinitionError(reader.problems)
    assert definition is not None
    return definition


# --- field readers -------------------------------------------------------------------------------

_IDENTITY_TEXT = ("nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh",
                  "nama", "peringatan", "pencatatan_pendataan", "catatan")
_IDENTITY_LISTS = ("instansi", "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan")
_MARK_FIELDS = ("inferred", "added", "reading")
_ROLE_FIELDS = ("key", "name", "description", "scope", "reports_to", *_MARK_FIELDS)
_DOCUMENT_FIELDS = ("key", "name", "description")
_STEP_FIELDS = ("key", "number", "source_number", "actor", "activity", "kelengkapan", "produces", "waktu",
                "output", "next", "decision", "keterangan", *_MARK_FIELDS)
_END_FIELDS = ("key", "name", "resubmittable", *_MARK_FIELDS)
_TOP_FIELDS = ("format", "key", "identitas", "roles", "documents", "intake", "start", "steps", "ends")
_ROLE_SCOPES = ("", "opd")


class _Reader:
    """Reads composed YAML nodes into the model, collecting problems with their lines."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.source, line, message))

    # Plain values ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} harus berupa pemetaan (kunci: nilai)")
            return None
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where}: nama kolom harus berupa teks")
                continue
            name = key_node.value
            if name in fields:
                first = fields[name][0].start_mark.line + 1
                self.problem(key_node, f"{where}: kolom '{name}' ditulis dua kali (pertama di baris {first})")
                continue
            if name not in allowed:
                self.problem(key_node, f"{where}: kolom '{name}' tidak dikenal; yang dikenal: {', '.join(allowed)}")
                continue
            fields[name] = (key_node, value_node)
        return fields

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            self.problem(node, f"nilai tidak dapat dibaca: {exc.problem}")
            return None

    def text(self, fields: dict, name: str, where: str, *, required: bool = False, default: str = "") -> str:
        if name not in fields:
            if required:
                self.problem(self._owner_node, f"{where}: kolom wajib '{name}' tidak ada")
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

    def text_list(self, fields: dict, name: str, where: str) -> tuple[str, ...]:
        if name not in fields:
            return ()
        node = fields[name][1]
        if isinstance(node, yaml.ScalarNode) and self.scalar(node) is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}: '{name}' harus berupa daftar")
            return ()
        items = []
        for item in node.value:
            value = self.scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                self.problem(item, f"{where}: setiap isi '{name}' harus berupa teks")
                continue
            items.append(str(value).strip())
        return tuple(items)

    def flag(self, fields: dict, name: str, where: str) -> bool:
        if name not in fields:
            return False
        node = fields[name][1]
        value = self.scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.problem(node, f"{where}: '{name}' harus true atau false")
            return False
        return value

    def key(self, fields: dict, where: str) -> str:
        value = self.text(fields, "key", where, required=True)
        if value and not set(value) <= KEY_CHARS:
            self.problem(fields["key"][1], f"{where}: kunci '{value}' hanya boleh berisi huruf kecil, angka, '_' dan '-'")
        return value

    def marks(self, fields: dict, where: str, markable: tuple[str, ...]) -> Marks:
        inferred = self.text_list(fields, "inferred", where)
        for name in inferred:
            if name not in markable:
                self.problem(fields["inferred"][1], f"{where}: 'inferred' menyebut kolom '{name}' yang tidak ada; yang bisa: {', '.join(markable)}")
        return Marks(
            inferred=inferred,
            added=self.flag(fields, "added", where),
            reading=" ".join(self.text(fields, "reading", where).split()),
        )

    # Sections ----------------------------------------------------------------------------------

    def read_definition(self, root: yaml.Node) -> SopDefinition | None:
        self._owner_node = root
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
        steps = self.read_list(top, "steps", "langkah", self.read_step)
        ends = self.read_list(top, "ends", "akhir", self.read_end)
        self._owner_node = root
        intake_roles, intake_docs = self.read_intake(top)

        role_keys = self.unique(roles, "peran")
        doc_keys = self.unique(documents, "jenis dokumen")
        step_keys = self.unique(steps, "langkah")
        end_keys = self.unique(ends, "akhir")
        for end, node in ends:
            if end.key in step_keys:
                self.problem(node, f"akhir '{end.key}' memakai kunci yang sama dengan sebuah langkah")
        numbers: dict[int, yaml.Node] = {}
        for step, node in steps:
            if step.number in numbers:
                self.problem(node, f"langkah '{step.key}': nomor {step.number} sudah dipakai langkah lain (baris {numbers[step.number].start_mark.line + 1})")
            numbers.setdefault(step.number, node)

        for role, node in roles:
            if role.reports_to and role.reports_to not in role_keys:
                self.problem(node, f"peran '{role.key}': reports_to menyebut peran '{role.reports_to}' yang tidak ada")
        for role_key in intake_roles:
            if role_key not in role_keys:
                self.problem(top.get("intake", (None, root))[1], f"intake: peran '{role_key}' tidak ada di daftar peran")
        for doc_key in intake_docs:
            if doc_key not in doc_keys:
                self.problem(top.get("intake", (None, root))[1], f"intake: jenis dokumen '{doc_key}' tidak ada di daftar dokumen")
        for step, node in steps:
            self.check_step_references(step, node, role_keys, doc_keys, step_keys | end_keys)

        start = self.text(top, "start", "definisi") or (steps[0][0].key if steps else "")
        if start and start not in step_keys:
            self.problem(top.get("start", (None, root))[1], f"start menyebut langkah '{start}' yang tidak ada")
        elif steps:
            self.check_paths(dict((s.key, (s, n)) for s, n in steps), start, end_keys)

        if not steps and "steps" in top:
            self.problem(top["steps"][1], "definisi harus punya setidaknya satu langkah")
        if not ends and "ends" in top:
            self.problem(top["ends"][1], "definisi harus punya setidaknya satu akhir")
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
            intake_roles=intake_roles,
            intake_kelengkapan=intake_docs,
        )

    def read_list(self, top: dict, name: str, label: str, read_item) -> list[tuple[Any, yaml.Node]]:
        if name not in top:
            self.problem(self._owner_node, f"definisi: kolom wajib '{name}' tidak ada")
            return []
        node = top[name][1]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"'{name}' harus berupa daftar {label}")
            return []
        items = []
        for item_node in node.value:
            self._owner_node = item_node
            item = read_item(item_node)
            if item is not None:
                items.append((item, item_node))
        return items

    def unique(self, items: list[tuple[Any, yaml.Node]], label: str) -> set[str]:
        seen: dict[str, yaml.Node] = {}
        for item, node in items:
            if item.key in seen:
                self.problem(node, f"{label} '{item.key}' ditulis dua kali (pertama di baris {seen[item.key].start_mark.line + 1})")
            seen.setdefault(item.key, node)
        return set(seen)

    def read_identity(self, top: dict) -> Identity | None:
        if "identitas" not in top:
            self.problem(self._owner_node, "definisi: kolom wajib 'identitas' tidak ada")
            return None
        node = top["identitas"][1]
        self._owner_node = node
        fields = self.mapping(node, "identitas", _IDENTITY_TEXT + _IDENTITY_LISTS)
        if fields is None:
            return None
        values: dict[str, Any] = {name: self.text(fields, name, "identitas", required=(name == "nama")) for name in _IDENTITY_TEXT}
        values.update({name: self.text_list(fields, name, "identitas") for name in _IDENTITY_LISTS})
        return Identity(**values)

    def read_role(self, node: yaml.Node) -> Role | None:
        fields = self.mapping(node, "peran", _ROLE_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "peran")
        where = f"peran '{key}'"
        scope = self.text(fields, "scope", where)
        if scope not in _ROLE_SCOPES:
            self.problem(fields["scope"][1], f"{where}: scope '{scope}' tidak dikenal; yang dikenal: opd")
        return Role(
            key=key,
            name=self.text(fields, "name", where, required=True),
            description=self.text(fields, "description", where),
            scope=scope,
            reports_to=self.text(fields, "reports_to", where) or None,
            marks=self.marks(fields, where, ("name", "description", "scope", "reports_to")),
        )

    def read_document(self, node: yaml.Node) -> DocumentKind | None:
        fields = self.mapping(node, "jenis dokumen", _DOCUMENT_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "jenis dokumen")
        where = f"jenis dokumen '{key}'"
        return DocumentKind(key=key, name=self.text(fields, "name", where, required=True),
                            description=self.text(fields, "description", where))

    def read_step(self, node: yaml.Node) -> Step | None:
        fields = self.mapping(node, "langkah", _STEP_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "langkah")
        where = f"langkah '{key}'"
        number = 0
        if "number" not in fields:
            self.problem(node, f"{where}: kolom wajib 'number' tidak ada")
        else:
            value = self.scalar(fields["number"][1]) if isinstance(fields["number"][1], yaml.ScalarNode) else None
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                self.problem(fields["number"][1], f"{where}: 'number' harus bilangan bulat positif")
            else:
                number = value
        waktu = Duration(1, "menit")
        waktu_text = self.text(fields, "waktu", where, required=True)
        if waktu_text:
            try:
                waktu = Duration.parse(waktu_text)
            except ValueError as exc:
                self.problem(fields["waktu"][1], f"{where}: {exc}")
        outcomes: tuple[tuple[str, str], ...] = ()
        next_step = self.text(fields, "next", where) or None
        if "decision" in fields:
            outcomes = self.read_decision(fields["decision"][1], where)
            if next_step:
                self.problem(fields["next"][1], f"{where}: langkah keputusan tidak boleh punya 'next'; tujuannya ditulis per hasil di 'decision'")
        elif not next_step:
            self.problem(node, f"{where}: tidak punya 'next' maupun 'decision'; tulis langkah atau akhir berikutnya")
        return Step(
            key=key,
            number=number,
            source_number=self.text(fields, "source_number", where),
            actor=self.text(fields, "actor", where, required=True),
            activity=" ".join(self.text(fields, "activity", where, required=True).split()),
            kelengkapan=self.text_list(fields, "kelengkapan", where),
            produces=self.text_list(fields, "produces", where),
            waktu=waktu,
            output=self.text(fields, "output", where),
            next=next_step,
            outcomes=outcomes,
            keterangan=self.text(fields, "keterangan", where),
            marks=self.marks(fields, where, ("number", "actor", "activity", "kelengkapan", "produces", "waktu", "output", "next", "decision")),
        )

    def read_decision(self, node: yaml.Node, where: str) -> tuple[tuple[str, str], ...]:
        fields = self.mapping(node, f"{where}: decision", DECISION_OUTCOMES)
        if fields is None:
            return ()
        for outcome in DECISION_OUTCOMES:
            if outcome not in fields:
                self.problem(node, f"{where}: keputusan tidak punya hasil '{outcome}'; tulis ke mana langkah berlanjut bila {outcome.replace('_', ' ')}")
        outcomes = []
        for outcome in DECISION_OUTCOMES:
            if outcome in fields:
                target = self.text(fields, outcome, f"{where}: decision", required=True)
                if target:
                    outcomes.append((outcome, target))
        return tuple(outcomes) if len(outcomes) == len(DECISION_OUTCOMES) else ()

    def read_end(self, node: yaml.Node) -> End | None:
        fields = self.mapping(node, "akhir", _END_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, "akhir")
        where = f"akhir '{key}'"
        return End(key=key, name=self.text(fields, "name", where, required=True),
                   resubmittable=self.flag(fields, "resubmittable", where),
                   marks=self.marks(fields, where, ("name", "resubmittable")))

    def read_intake(self, top: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if "intake" not in top:
            return (), ()
        fields = self.mapping(top["intake"][1], "intake", ("roles", "kelengkapan"))
        if fields is None:
            return (), ()
        return self.text_list(fields, "roles", "intake"), self.text_list(fields, "kelengkapan", "intake")

    # Cross-references and paths ---------------------------------------------------------------

    def check_step_references(self, step: Step, node: yaml.Node, roles: set[str], documents: set[str], targets: set[str]) -> None:
        where = f"langkah '{step.key}'"
        if step.actor and step.actor not in roles:
            self.problem(node, f"{where}: pelaksana '{step.actor}' tidak ada di daftar peran")
        for doc in (*step.kelengkapan, *step.produces):
            if doc not in documents:
                self.problem(node, f"{where}: jenis dokumen '{doc}' tidak ada di daftar dokumen")
        for target in step.targets:
            if target and target not in targets:
                self.problem(node, f"{where}: menuju '{target}', yang bukan langkah maupun akhir")

    def check_paths(self, steps: dict[str, tuple[Step, yaml.Node]], start: str, ends: set[str]) -> None:
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
        for key, (step, node) in steps.items():
            if key not in leads_to_end:
                self.problem(node, f"langkah '{key}' tidak punya jalan menuju akhir mana pun")
