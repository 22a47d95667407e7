"""Participant pages reuse a consultation's questions, options and areas between requests.

Every question page and every answer needs the consultation with its questions, options and
areas. Loading them as ORM objects costs four queries and about 4 ms per request, more than
half of an answer's time, and they change only when staff edit them. Each process keeps a
loaded copy per consultation and checks, with one small query, that the consultation's
version is still the one the copy was made for: staff edits (the consultation, its questions,
options and areas, moderation) raise `Consultation.results_version` in the same transaction
(app/results/cache.py), so an edit shows on the next request in every process and on every
server. A copy is never used for longer than LONGEST seconds, for the changes a version
cannot tell (a database restored from a backup, where the ids and versions start over).

The kept copy is detached and never handed out: each request gets its own objects in its own
session (`Session.merge(load=False)`, which copies without querying), so nothing is shared
between threads but the read-only copy.
"""
import threading
import time

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from app.consultations.models import Consultation, Question
from app.consultations.models import Status as ConsultationStatus
from app.extensions import db

MAX_ENTRIES = 64
LONGEST = 60.0  # seconds
_clock = time.monotonic

_entries: dict[int, tuple[int, float, Consultation]] = {}  # id → (version, expiry, copy)
_lock = threading.Lock()


_table = Consultation.__table__
# Built once: building a statement and its cache key costs SQLAlchemy more than sending it
# to SQLite (50–75 µs a statement, bench/profile_pages.py), so the statements every
# participant page sends are built once, here and in app/participate/services.py, with
# bindparam() for what changes.
_VERSION = select(_table.c.results_version).where(
    _table.c.id == bindparam("id"), _table.c.status != ConsultationStatus.DRAFT)


def load(consultation_id: int, version: int | None = None) -> Consultation | None:
    """The consultation (not a draft) with its questions, options and areas loaded, as
    objects of this request's session; None when there is none. `version`: its
    results_version, when the caller has just read it (with the id, by join code)."""
    if version is None:
        version = db.session.execute(_VERSION, {"id": consultation_id}).scalar()
        if version is None:
            return None
    entry = _entries.get(consultation_id)
    if entry and entry[0] == version and entry[1] > _clock():
        return db.session.merge(entry[2], load=False)
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.id == consultation_id,
                                   Consultation.status != ConsultationStatus.DRAFT)
        .options(selectinload(Consultation.questions).selectinload(Question.options),
                 selectinload(Consultation.areas))
    )
    if consultation is not None and consultation.results_version == version \
            and not db.session.is_modified(consultation):
        _keep(consultation)
    return consultation


def _keep(consultation: Consultation) -> None:
    holder = Session()  # copies without a connection: merge(load=False) sends no SQL
    copy = holder.merge(consultation, load=False)
    holder.expunge_all()
    now = _clock()
    with _lock:
        for old in [k for k, (_, expiry, _) in _entries.items() if expiry <= now]:
            del _entries[old]
        while len(_entries) >= MAX_ENTRIES:
            del _entries[min(_entries, key=lambda k: _entries[k][1])]
        _entries[consultation.id] = (consultation.results_version, now + LONGEST, copy)


def forget_all() -> None:
    with _lock:
        _entries.clear()
