"""Counted results are reused for a while, so the results page costs the same at 100 000
participants as at 1 000.

Counting a consultation takes about a second of database time at 100 000 participants (the
tallies of 600 000 votes), a few tens of milliseconds at 1 000. A count that took t seconds is
reused for up to RESULTS_REUSE_FACTOR × t seconds (20), never longer than
RESULTS_CACHE_SECONDS (30): a small consultation's results stay live, a large one's are at
most half a minute behind its newest answers, and counting never takes more than about 1/20
of a process's time.

Answers do not end the reuse (they come by the thousand); what staff change does at once:
moderating an idea, editing the consultation (its areas too), its questions, options or
themes, and deleting answers or participants raise `Consultation.results_version` in the same
transaction, and a count is only reused for the version it was made for. The version is in
the database, so every process and server sees it; the counted pages are kept per process
(bounded by MAX_ENTRIES). The participant pages' copy of the questions
(app/participate/cache.py) follows the same version.
"""
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Update, event, select
from sqlalchemy.orm import Session

from app.consultations.models import Consultation, Option, Question
from app.core.time import utcnow
from app.moderate.models import Theme
from app.participate.models import Contribution, Participant, Vote

MAX_ENTRIES = 64
_clock = time.monotonic


@dataclass(frozen=True)
class Counted:
    value: Any  # what count() returned: plain data or rendered HTML, never ORM objects
    at: datetime  # when it was counted (UTC)
    reused_for: float  # seconds


_entries: dict[tuple, tuple[float, Counted]] = {}  # key → (monotonic expiry, counted)
_entries_lock = threading.Lock()
# Threads of one process that want the same count wait for the first instead of each
# counting (and each holding the votes in memory); a few locks shared by hash are enough.
_counting = [threading.Lock() for _ in range(16)]


def counted(consultation, locale: str, count: Callable[[], Any], longest: float,
            factor: float) -> Counted:
    """What count() gives for this consultation and language, counted now or reused for up
    to `factor` times as long as counting took, at most `longest` seconds."""
    if longest <= 0:
        return Counted(count(), utcnow(), 0.0)
    key = (consultation.id, consultation.results_version, locale)
    if found := _fresh(key):
        return found
    with _counting[hash(key) % len(_counting)]:
        if found := _fresh(key):  # another thread has just counted it
            return found
        started = _clock()
        value = count()
        took = _clock() - started
        result = Counted(value, utcnow(), min(longest, factor * took))
        _keep(key, result)
        return result


def _fresh(key: tuple) -> Counted | None:
    entry = _entries.get(key)
    return entry[1] if entry and entry[0] > _clock() else None


def _keep(key: tuple, result: Counted) -> None:
    now = _clock()
    with _entries_lock:
        for old in [k for k, (expiry, _) in _entries.items()
                    if expiry <= now or (k[0] == key[0] and k[1] != key[1])]:
            del _entries[old]
        while len(_entries) >= MAX_ENTRIES:
            del _entries[min(_entries, key=lambda k: _entries[k][0])]
        _entries[key] = (now + result.reused_for, result)


def forget_all() -> None:
    with _entries_lock:
        _entries.clear()


# --- what staff change -------------------------------------------------------------------------

def _changed_by_staff(session: Session) -> tuple[set[int], set[int]]:
    """The consultations and the questions whose results or content this flush changed,
    other than by new or changed answers."""
    consultations: set[int] = set()
    questions: set[int] = set()
    # A consultation's areas are a collection; the other objects' collections are not theirs
    # to change (a question's options are rows of their own).
    changed = [o for o in session.dirty
               if session.is_modified(o, include_collections=isinstance(o, Consultation))]
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, Consultation) and obj not in session.new:
            consultations.add(obj.id)
        elif isinstance(obj, Question | Theme):
            consultations.add(obj.consultation_id)
        elif isinstance(obj, Option):
            questions.add(obj.question_id)
    for obj in changed:
        if isinstance(obj, Contribution):  # moderated: published, hidden, merged, themed…
            questions.add(obj.question_id)
    for obj in session.deleted:
        if isinstance(obj, Contribution | Vote):
            questions.add(obj.question_id)
        elif isinstance(obj, Participant):
            consultations.add(obj.consultation_id)
    consultations.discard(None)
    questions.discard(None)
    return consultations, questions


def results_changed(where) -> Update:
    """The statement that ends every reused count of the consultations `where` selects. The
    flush listener below sends it for what the ORM changes; a bulk delete, which the listener
    does not see, sends it itself."""
    table = Consultation.__table__
    return table.update().where(where).values(results_version=table.c.results_version + 1)


@event.listens_for(Session, "after_flush")
def _raise_results_version(session: Session, _flush_context) -> None:
    consultations, questions = _changed_by_staff(session)
    if not consultations and not questions:
        return
    ids = Consultation.id.in_(consultations)
    if questions:
        ids = ids | Consultation.id.in_(select(Question.consultation_id)
                                        .where(Question.id.in_(questions)))
    session.connection().execute(results_changed(ids))
