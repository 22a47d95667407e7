"""The exchange format for youth priorities between Medskapa servers: `medskapa-priorities`,
version 1, as JSON (JSON Schema: docs/medskapa-priorities.schema.json) or as CSV with the
same fields. One server exports, any coalition member's server imports; importing from this
server goes through the same records, so both ways give the same result."""
import json
import math
import re
from dataclasses import dataclass
from dataclasses import field as default
from datetime import datetime
from functools import cache

from sqlalchemy import select

from app.audit.services import record as audit
from app.config import ROOT
from app.consultations.models import Consultation
from app.core.spreadsheets import FORMULA_START, parse_decimal, read_csv, to_csv_text
from app.core.text import TextError, check_text
from app.core.time import utcnow
from app.extensions import db
from app.portfolio.models import PortfolioPriority
from app.results.models import Priority, PriorityStatus

FORMAT = "medskapa-priorities"
VERSION = 1
SCHEMA_PATH = ROOT / "docs" / "medskapa-priorities.schema.json"
FIGURES = ("participants", "ideas", "supporters", "agree", "disagree", "agreement")
CSV_REQUIRED = ("uuid", "revision", "position", "published_at", "organisation", "title_sv",
                "consultation_title_sv")
CSV_FIXED = ("uuid", "revision", "position", "published_at", "organisation",
             "consultation_closed_at", "challenge_areas", *FIGURES)
MAX_PROBLEMS = 50
SOURCE_MAX = 200  # the schema's source.name, and what PortfolioPriority.source holds
LOCAL = "local"  # the source of priorities imported from this server


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. row: the priority's number in a JSON file, the line in a
    CSV file; field: where in the row; detail: what the message needs."""

    code: str
    row: int | None = None
    field: str | None = None
    detail: dict = default(default_factory=dict)


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class Outcome:
    created: list[PortfolioPriority] = default(default_factory=list)
    updated: list[tuple[PortfolioPriority, int]] = default(default_factory=list)  # (p, old rev)
    unchanged: list[PortfolioPriority] = default(default_factory=list)
    older: list[PortfolioPriority] = default(default_factory=list)  # we already have newer
    own: int = 0  # records of this server's priorities in a file, taken as this server has them
    own_unpublished: int = 0  # ... of priorities no longer published here, skipped


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validators():
    """The document's and one priority's validators. jsonschema is imported on the first
    import, not by every app process (it costs each of them 3 MB)."""
    from jsonschema import Draft202012Validator

    document = schema()
    item = dict(document["$defs"]["priority"], **{"$defs": document["$defs"]})
    return Draft202012Validator(document), Draft202012Validator(item)


# --- export -------------------------------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def ranks(consultation_ids: set[int]) -> dict[int, int]:
    """Each published priority's place (1, 2, …) among its consultation's published ones: the
    ranking the young people see, which a file calls `position` (drafts between them, which
    the stored position counts, are nobody's business but the youth leaders')."""
    placed: dict[int, int] = {}
    counted: dict[int, int] = {}
    if consultation_ids:
        for priority_id, consultation_id in db.session.execute(
                select(Priority.id, Priority.consultation_id)
                .where(Priority.consultation_id.in_(consultation_ids),
                       Priority.status == PriorityStatus.PUBLISHED)
                .order_by(Priority.consultation_id, Priority.position, Priority.id)):
            counted[consultation_id] = placed[priority_id] = counted.get(consultation_id, 0) + 1
    return placed


def record_for(priority: Priority, consultation: Consultation, rank: int) -> dict:
    closed = consultation.closed_at or (
        consultation.closes_at if consultation.closes_at and consultation.closes_at <= utcnow()
        else None)
    figures = {k: priority.figures.get(k) for k in FIGURES if k in priority.figures}
    if priority.figures.get("by_age"):
        figures["by_age"] = priority.figures["by_age"]
    return {
        "uuid": priority.uuid,
        "revision": priority.revision,
        "position": rank,
        "title": dict(priority.title),
        "summary": dict(priority.summary or {}),
        "published_at": _iso(priority.published_at),
        "consultation": {
            "title": dict(consultation.title) if consultation.title.get("sv")
            else {"sv": consultation.join_code},
            "organisation": consultation.organisation.name,
            "closed_at": _iso(closed),
            "challenge_areas": [a.key for a in consultation.challenge_areas],
        },
        "figures": figures,
    }


def published_records(consultation: Consultation) -> list[dict]:
    priorities = db.session.scalars(
        select(Priority).where(Priority.consultation_id == consultation.id,
                               Priority.status == PriorityStatus.PUBLISHED)
        .order_by(Priority.position, Priority.id))
    return [record_for(p, consultation, rank) for rank, p in enumerate(priorities, start=1)]


def document(records: list[dict], source_name: str, source_url: str = "") -> dict:
    source = {"name": source_name}
    if source_url:
        source["url"] = source_url
    return {"format": FORMAT, "version": VERSION, "exported_at": utcnow().isoformat(),
            "source": source, "priorities": records}


def to_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2)


def to_csv(doc: dict) -> bytes:
    """The same records as a CSV file for Excel (see app/core/spreadsheets.py: ";", decimal
    comma, a byte-order mark); the import reads it back, and a comma-separated one too."""
    records = doc["priorities"]
    languages = sorted({code for r in records for key in ("title", "summary")
                        for code in r.get(key, {})} | {"sv"}, key=lambda c: (c != "sv", c))
    columns = [*CSV_FIXED, "source"]
    for code in languages:
        columns += [f"title_{code}", f"summary_{code}", f"consultation_title_{code}"]
    rows = [columns]
    for r in records:
        c = r["consultation"]
        row = {
            "uuid": r["uuid"], "revision": r["revision"], "position": r["position"],
            "published_at": r["published_at"], "organisation": c["organisation"],
            "consultation_closed_at": c.get("closed_at") or "",
            "challenge_areas": ";".join(c.get("challenge_areas", [])),
            "source": doc["source"]["name"],
            **{k: "" if r.get("figures", {}).get(k) is None else r["figures"][k]
               for k in FIGURES},
        }
        for code in languages:
            row[f"title_{code}"] = r["title"].get(code, "")
            row[f"summary_{code}"] = r.get("summary", {}).get(code, "")
            row[f"consultation_title_{code}"] = c["title"].get(code, "")
        rows.append([row[col] for col in columns])
    return ("\ufeff" + to_csv_text(rows)).encode("utf-8")


# --- parse --------------------------------------------------------------------------------------

def parse(data: bytes, filename: str, max_bytes: int) -> tuple[str, list[dict]]:
    """The source name and the records of an uploaded file; ImportRefused lists every
    problem (nothing has been written)."""
    if len(data) > max_bytes:
        raise ImportRefused([Problem("too_large", detail={"limit": max_bytes})])
    if not data.strip():
        raise ImportRefused([Problem("empty")])
    if data.startswith(b"PK\x03\x04"):  # a zip: an Excel (or LibreOffice) workbook
        raise ImportRefused([Problem("workbook")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([Problem("encoding")]) from None
    if "\x00" in text:
        raise ImportRefused([Problem("encoding")])
    if filename.lower().endswith(".csv") or not text.lstrip().startswith(("{", "[")):
        source, records = _parse_csv(text, filename)
    else:
        source, records = _parse_json(text)
    if not _storable(source):
        raise ImportRefused([Problem("text", field="source")])
    if not records:  # a CSV with only its header, or "priorities": []: not "Import done"
        raise ImportRefused([Problem("no_priorities")])
    return source, records


def _parse_json(text: str) -> tuple[str, list[dict]]:
    try:
        # NaN and Infinity are not JSON: kept as the words, the schema then names the field.
        doc = json.loads(text, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise ImportRefused([Problem("invalid_json", detail={
            "line": exc.lineno, "column": exc.colno})]) from None
    except RecursionError:  # thousands of nested brackets: no priorities file looks so
        raise ImportRefused([Problem("wrong_format")]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused([Problem("wrong_format")])
    if doc.get("version") != VERSION:
        raise ImportRefused([Problem("unknown_version", detail={
            # Only shown in the message (a version is a small number): cut so that a huge
            # value does not fill the page.
            "version": str(doc.get("version"))[:20], "supported": VERSION})])
    validator, _ = _validators()
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        row = None
        if len(path) >= 2 and path[0] == "priorities" and isinstance(path[1], int):
            row, path = path[1] + 1, path[2:]
        problems.append(_problem(error, row, path))
    records = doc.get("priorities")
    rows = list(enumerate(records, start=1)) if isinstance(records, list) else []
    for row, record in rows:
        problems += _record_problems(record, row)
    problems += _duplicates(rows)
    if problems:
        raise ImportRefused(sorted(problems, key=_by_row)[:MAX_PROBLEMS])
    return doc["source"]["name"], records


def _csv_column(path: list) -> str:
    """The CSV column a field of a record comes from."""
    parts = [str(p) for p in path]
    if parts[:1] == ["consultation"]:
        rest = parts[1:]
        if rest[:1] == ["title"]:
            return "consultation_title_" + (rest[1] if len(rest) > 1 else "sv")
        if rest[:1] == ["closed_at"]:
            return "consultation_closed_at"
        return rest[0] if rest else "consultation"
    if parts[:1] == ["figures"]:
        return parts[1] if len(parts) > 1 else "figures"
    if parts[:1] in (["title"], ["summary"]) and len(parts) > 1:
        return f"{parts[0]}_{parts[1]}"
    return parts[0] if parts else ""


NUMBER = re.compile(r"-?\d+([.,]\d+)?")  # "-3" is a number to check, not a formula


def _parse_csv(text: str, filename: str) -> tuple[str, list[dict]]:
    reader = read_csv(text)  # ";" or ","
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [col for col in CSV_REQUIRED if col not in header]
    if missing and len(header) == 1 and "\t" in header[0]:
        # Saved as tab-separated text: one message, not one per column.
        raise ImportRefused([Problem("separator", row=1)])
    if missing:
        raise ImportRefused([Problem("missing_column", row=1, field=col,
                                     detail={"expected": ", ".join(CSV_REQUIRED)})
                             for col in missing])
    _, item_validator = _validators()
    problems: list[Problem] = []
    rows: list[tuple[int, dict]] = []
    source = ""
    for row in reader:
        line = reader.line_num
        if not any((cell or "").strip() for cells in row.values()
                   for cell in (cells if isinstance(cells, list) else [cells])):
            # ";;;;…": a row Excel keeps after its cells were emptied, not deleted. Skipped
            # like an empty line (it refused the whole file, six problems a row).
            continue
        if None in row:
            problems.append(Problem("extra_cells", row=line))
            continue
        cells, formula = {}, []
        for col, value in row.items():
            value = (value or "").strip()
            if value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
                formula.append(col)
            elif value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
                value = value[1:]  # written by our exporter to keep a spreadsheet from running it
            cells[col] = value
        row_problems = [Problem("formula", row=line, field=col) for col in formula]
        if len(cells.get("source", "")) > SOURCE_MAX:  # JSON: the schema says so
            row_problems.append(Problem("maxLength", row=line, field="source",
                                        detail={"limit": SOURCE_MAX}))
        if not formula:
            source = source or cells.get("source", "")
        record, cell_problems = _record_from_cells(cells, header, line)
        row_problems += cell_problems
        # The whole row is checked, also beside a formula or a cell that is no number (they
        # once hid the row's other problems, found one import at a time); a cell already
        # named for its formula or its number is not named again for what follows from it.
        named = {p.field for p in row_problems}
        problems += row_problems + [
            found for found in [*(_problem(error, line, list(error.absolute_path), csv=True)
                                  for error in item_validator.iter_errors(record)),
                                *_record_problems(record, line, csv=True)]
            if found.field not in named]
        rows.append((line, record))
        if len(problems) >= MAX_PROBLEMS:
            break
    problems += _duplicates(rows)
    if problems:
        raise ImportRefused(problems[:MAX_PROBLEMS])
    return source or filename, [record for _, record in rows]


def _record_from_cells(cells: dict, header: list[str], line: int) -> tuple[dict, list[Problem]]:
    problems = []

    def number(col: str, required: bool, real: bool = False):
        value = cells.get(col, "")
        if value == "":
            if required:
                problems.append(Problem("missing", row=line, field=col))
            return None
        try:
            parsed = parse_decimal(value) if real else int(value)
        except ValueError:
            parsed = None
        # float() also reads "nan" and "inf"
        if parsed is None or (real and not math.isfinite(parsed)):
            problems.append(Problem("number" if real else "integer", row=line, field=col))
            return None
        return parsed

    def texts(prefix: str) -> dict:
        return {h[len(prefix):]: cells[h] for h in header
                if h.startswith(prefix) and cells.get(h) and len(h) - len(prefix) in (2, 3)}

    figures = {k: number(k, False, real=(k == "agreement")) for k in FIGURES
               if cells.get(k, "") != ""}
    record = {
        "uuid": cells.get("uuid", ""),
        "revision": number("revision", True),
        "position": number("position", True),
        "title": texts("title_"),
        "summary": texts("summary_"),
        "published_at": cells.get("published_at", ""),
        "consultation": {
            "title": texts("consultation_title_"),
            "organisation": cells.get("organisation", ""),
            "closed_at": cells.get("consultation_closed_at") or None,
            "challenge_areas": [k.strip() for k in cells.get("challenge_areas", "").split(";")
                                if k.strip()],
        },
        "figures": figures,
    }
    return record, problems


def _problem(error, row: int | None, path: list, csv: bool = False) -> Problem:
    kind = error.validator
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        absent = [k for k in error.validator_value if k not in present]
        # One error per absent field, each naming it in its message ("'title' is a
        # required property"): the first absent one named every error alike.
        missing = next((k for k in absent if error.message.startswith(repr(k))),
                       absent[0] if absent else "")
        path = [*path, missing]
        kind = "missing"
    detail = {}
    if kind in ("maxLength", "minimum", "maximum", "maxItems"):
        detail["limit"] = error.validator_value
    if kind == "minLength":
        kind = "missing"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        # Only the message's list of unknown names, nothing imported: cut for the page.
        detail["names"] = ", ".join(map(str, extra))[:200]
    if kind == "type":
        detail["expected"] = error.validator_value
    if kind in ("pattern", "propertyNames"):
        detail["expected"] = _expected_format(path)
    where = _csv_column(path) if csv else ".".join(str(p) for p in path)
    return Problem(kind if kind in KNOWN else "invalid", row=row, field=where or None,
                   detail=detail)


KNOWN = {"missing", "type", "pattern", "propertyNames", "maxLength", "minimum", "maximum",
         "maxItems", "additionalProperties", "const", "enum"}


def _expected_format(path: list) -> str:
    last = str(path[-1]) if path else ""
    if last == "uuid":
        return "123e4567-e89b-12d3-a456-426614174000"
    if "challenge_areas" in map(str, path):
        return "health;safety"
    return "sv, en, ar"


def _record_problems(record, row: int, csv: bool = False) -> list[Problem]:
    """What the schema cannot say about a record: real dates, and texts a page can show.
    Checked on every record, also one with other problems, so the list is complete."""
    if not isinstance(record, dict):
        return []
    name = (lambda where: _csv_column(where.split("."))) if csv else (lambda where: where)
    consultation = record.get("consultation")
    consultation = consultation if isinstance(consultation, dict) else {}
    problems = [Problem("text", row=row, field=name(where))
                for where, value in _texts(record) if not _storable(value)]
    for key, value in (("published_at", record.get("published_at")),
                       ("consultation.closed_at", consultation.get("closed_at"))):
        if isinstance(value, str) and value and _datetime(value) is None:
            problems.append(Problem("date", row=row, field=name(key)))
    return problems


def _duplicates(rows: list[tuple[int, dict]]) -> list[Problem]:
    """Each UUID once in a file."""
    problems, seen = [], {}
    for row, record in rows:
        uuid = record.get("uuid") if isinstance(record, dict) else None
        if not isinstance(uuid, str) or not uuid:
            continue
        if uuid in seen:
            problems.append(Problem("duplicate", row=row, field="uuid",
                                    detail={"first": seen[uuid]}))
        seen.setdefault(uuid, row)
    return problems


def _by_row(problem: Problem) -> tuple:
    return (problem.row or 0, problem.field or "")


def _texts(record: dict):
    """(field, text) for every text of a record that a page will show."""
    consultation = record.get("consultation")
    consultation = consultation if isinstance(consultation, dict) else {}
    for key, texts in (("title", record.get("title")), ("summary", record.get("summary")),
                       ("consultation.title", consultation.get("title"))):
        for code, value in (texts.items() if isinstance(texts, dict) else ()):
            yield f"{key}.{code}", value
    yield "consultation.organisation", consultation.get("organisation", "")


def _storable(value) -> bool:
    """What our own forms refuse (control and direction characters, lone surrogates from a
    JSON escape) is refused here too: it would break a page, or the database would refuse
    it. Anything else is imported exactly as written."""
    try:
        check_text(value if isinstance(value, str) else "")
    except TextError:
        return False
    return True


def _datetime(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    from datetime import UTC

    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        # Stored in UTC: year 1 at +05:00 (or 9999-12-31 at -05:00) is outside what Python
        # holds there, and was a 500 when the import wrote it; now the field is named.
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


# --- import -------------------------------------------------------------------------------------

def apply(records: list[dict], *, source: str, user, filename: str | None = None) -> Outcome:
    """Create or update the portfolio's copies; the caller commits. Idempotent by UUID."""
    outcome = Outcome()
    own: set[str] = set()
    if source != LOCAL:
        records, own = _own_records(records, outcome)
    uuids = [r["uuid"] for r in records]
    existing = {p.uuid: p for p in db.session.scalars(
        select(PortfolioPriority).where(PortfolioPriority.uuid.in_(uuids)))} if uuids else {}
    local = dict(db.session.execute(
        select(Priority.uuid, Priority.id).where(Priority.uuid.in_(uuids))).all()) if uuids else {}
    now = utcnow()
    for record in records:
        found = existing.get(record["uuid"])
        if found is None:
            found = PortfolioPriority(uuid=record["uuid"], imported_at=now,
                                      imported_by_id=getattr(user, "id", None))
            _fill(found, record, LOCAL if record["uuid"] in own else source,
                  local.get(record["uuid"]), now)
            db.session.add(found)
            outcome.created.append(found)
        elif record["revision"] > found.revision:
            old = found.revision
            _fill(found, record, LOCAL if record["uuid"] in own else source,
                  local.get(record["uuid"]), now)
            outcome.updated.append((found, old))
        elif record["revision"] == found.revision:
            outcome.unchanged.append(found)
        else:
            outcome.older.append(found)
    db.session.flush()
    if not records and not outcome.own_unpublished:
        return outcome  # nothing was offered (Import pressed again): nothing to record
    audit("portfolio.imported", actor=user, object_type="portfolio_priorities",
          source=source, filename=filename,
          created=[p.uuid for p in outcome.created],
          updated=[f"{p.uuid} r{old}→r{p.revision}" for p, old in outcome.updated],
          unchanged=len(outcome.unchanged), older=len(outcome.older),
          own=outcome.own, own_unpublished=outcome.own_unpublished)
    return outcome


def _own_records(records: list[dict], outcome: Outcome) -> tuple[list[dict], set[str]]:
    """A file may carry priorities of this server (a youth leader's export, or one passed
    around and edited): this server's published version counts, not the file's, which could
    carry a revision or a text this server never had. One no longer published here is
    skipped, as importing from this server would."""
    uuids = [r["uuid"] for r in records]
    mine = {p.uuid: p for p in db.session.scalars(
        select(Priority).where(Priority.uuid.in_(uuids)))} if uuids else {}
    if not mine:
        return records, set()
    published = [p for p in mine.values() if p.status == PriorityStatus.PUBLISHED]
    fresh = {r["uuid"]: r for r in _records_of(published)}
    kept = []
    for record in records:
        if record["uuid"] not in mine:
            kept.append(record)
        elif record["uuid"] in fresh:
            kept.append(fresh[record["uuid"]])
            outcome.own += 1
        else:
            outcome.own_unpublished += 1
    return kept, set(fresh)


def _fill(target: PortfolioPriority, record: dict, source: str, local_id: int | None,
          now: datetime) -> None:
    consultation = record["consultation"]
    target.revision = record["revision"]
    target.position = record["position"]
    target.title = record["title"]
    target.summary = record.get("summary") or {}
    target.consultation_title = consultation["title"]
    target.organisation = consultation["organisation"]
    target.challenge_areas = consultation.get("challenge_areas") or []
    target.figures = record.get("figures") or {}
    target.published_at = _datetime(record["published_at"])
    target.consultation_closed_at = _datetime(consultation.get("closed_at") or "")
    target.source = source  # at most SOURCE_MAX: the file's (checked) or its name (cut)
    target.priority_id = local_id
    target.updated_at = now


def importable_here() -> list[tuple[Priority, PortfolioPriority | None]]:
    """Published priorities of this server not imported yet, or with a newer revision."""
    rows = db.session.execute(
        select(Priority, PortfolioPriority)
        .outerjoin(PortfolioPriority, PortfolioPriority.uuid == Priority.uuid)
        .where(Priority.status == PriorityStatus.PUBLISHED)
        .where((PortfolioPriority.id.is_(None))
               | (PortfolioPriority.revision < Priority.revision))
        .order_by(Priority.published_at, Priority.consultation_id, Priority.position)).all()
    return [(p, pp) for p, pp in rows]


def consultations_of(priorities: list[Priority]) -> dict[int, Consultation]:
    """The consultations (with their organisations) the priorities come from, by id: the
    import list says where each one is from (two schools may both ask for "Läxhjälp")."""
    from sqlalchemy.orm import selectinload

    ids = {p.consultation_id for p in priorities}
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(
        select(Consultation).where(Consultation.id.in_(ids))
        .options(selectinload(Consultation.organisation)))}


def import_here(user, priority_ids: list[int] | None) -> Outcome:
    """Import published priorities of this server (the given ones, or all available)."""
    available = [p for p, _ in importable_here()]
    already: set[int] = set()
    if priority_ids is not None:
        wanted = set(priority_ids)
        available = [p for p in available if p.id in wanted]
        already = wanted - {p.id for p in available}
    outcome = apply(_records_of(available), source=LOCAL, user=user)
    if already:
        # Chosen on a page shown before they were imported (a second tab, Import pressed
        # twice): they are in the portfolio, unchanged, and the outcome says so.
        outcome.unchanged += db.session.scalars(
            select(PortfolioPriority).join(Priority, Priority.uuid == PortfolioPriority.uuid)
            .where(Priority.id.in_(already), Priority.status == PriorityStatus.PUBLISHED)
            .order_by(PortfolioPriority.id)).all()
    return outcome


def _records_of(priorities: list[Priority]) -> list[dict]:
    """The exchange records of published priorities of this server."""
    from sqlalchemy.orm import selectinload

    if not priorities:
        return []
    consultations = {c.id: c for c in db.session.scalars(
        select(Consultation).where(Consultation.id.in_({p.consultation_id for p in priorities}))
        .options(selectinload(Consultation.organisation),
                 selectinload(Consultation.challenge_areas)))}
    placed = ranks(set(consultations))
    return [record_for(p, consultations[p.consultation_id], placed[p.id]) for p in priorities]
