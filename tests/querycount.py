"""Counting the SQL statements that a request (or a service call) sends, so that tests can
show a page's queries do not grow with the data (no lazy loads in loops)."""
import re
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import event, insert, select

from app.extensions import db
from app.moderate.models import Theme
from app.participate.models import Contribution, Participant, Vote


@contextmanager
def recorded():
    """Collects every statement sent to the database inside the block, with its parameters
    (needs an app context; the test client's requests share the same engine)."""
    sent: list[tuple[str, object]] = []

    def listener(_conn, _cursor, statement, parameters, _context, _executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def statements_of(call: Callable[[], object]) -> list[str]:
    with recorded() as sent:
        call()
    return [statement for statement, _parameters in sent]


def count(call: Callable[[], object]) -> int:
    return len(statements_of(call))


def _shape(statement: str) -> str:
    """The statement without its IN list, whose length follows the data."""
    return re.sub(r"IN \([^()]*\)", "IN (…)", statement)


def assert_flat(measure: Callable[[], object], grow: Callable[[], object]) -> int:
    """Measure `measure`, let `grow` add much more data, measure again: the second run may
    not send more statements than the first (and the first must send some). Returns how
    many the first sent."""
    few = statements_of(measure)
    grow()
    many = statements_of(measure)
    extra = Counter(map(_shape, many)) - Counter(map(_shape, few))
    assert len(many) <= len(few), (
        f"{len(few)} statements with little data, {len(many)} with more; sent more often:\n"
        + "\n".join(f"{n} × {statement}" for statement, n in extra.most_common(5)))
    assert few, "nothing was measured"
    return len(few)


# --- much more data, fast -------------------------------------------------------------------

def crowd(consultation, n: int, *, tag: str = "crowd") -> list[int]:
    """`n` more participants in `consultation` (a demo-like one: a question of each kind),
    each with an idea (published and themed, waiting with a flag, or hidden: one of each
    among the first three), a word and a vote on every question, inserted in bulk.
    Returns the new participants' ids."""
    questions = {q.kind: q for q in consultation.active_questions()}
    area_ids = [a.id for a in consultation.areas] or [None]
    bands = ["-12", "13-15", "16-19", "20-", None]
    ids = list(db.session.scalars(insert(Participant).returning(Participant.id), [
        {"device_hash": f"{tag}-{consultation.id}-{i}", "consultation_id": consultation.id,
         "language": "sv", "consent_version": "test", "age_band": bands[i % len(bands)],
         "area_id": area_ids[i % len(area_ids)]} for i in range(n)]))
    themes = list(db.session.scalars(insert(Theme).returning(Theme.id), [
        {"consultation_id": consultation.id, "name": f"{tag} {k}"}
        for k in range(max(1, n // 4))]))
    texts = []
    for i, pid in enumerate(ids):
        if "idea" in questions:
            status = {1: "pending", 2: "hidden"}.get(i % 5, "approved")
            texts.append({
                "participant_id": pid, "question_id": questions["idea"].id,
                "text": f"Idé nummer {i} om skolgården", "language": "sv",
                "client_key": f"{tag}-idea-{i}", "status": status,
                "hidden_reason": "off_topic" if status == "hidden" else None,
                "flags": [{"category": "personal", "kind": "phone", "excerpt": "07"}]
                if status == "pending" else [],
                "theme_id": themes[i % len(themes)] if status == "approved" else None})
        if "word" in questions:
            texts.append({"participant_id": pid, "question_id": questions["word"].id,
                          "text": f"ord{i % 7}", "language": "sv",
                          "client_key": f"{tag}-word-{i}", "status": "approved",
                          "hidden_reason": None, "flags": [], "theme_id": None})
    if texts:
        db.session.execute(insert(Contribution), texts)
    ideas = list(db.session.scalars(select(Contribution.id).where(
        Contribution.question_id == questions["idea"].id,
        Contribution.status == "approved"))) if "idea" in questions else []
    votes = []
    for i, pid in enumerate(ids):
        for kind in ("statement", "rank", "choice"):
            question = questions.get(kind)
            if question is None:
                continue
            options = [o.id for o in question.options if o.archived_at is None]
            picked = options[:3] if kind == "rank" else options[i % len(options):][:2]
            for place, option_id in enumerate(picked, start=1):
                value = place if kind == "rank" else 1 if kind == "choice" else (i % 3) - 1
                votes.append({"participant_id": pid, "question_id": question.id,
                              "option_id": option_id, "contribution_id": None,
                              "value": value})
        if "statement" in questions:
            for idea_id in ideas[i % max(1, len(ideas)):][:3]:
                votes.append({"participant_id": pid, "question_id": questions["statement"].id,
                              "option_id": None, "contribution_id": idea_id,
                              "value": 1 - i % 3})
        if "scale" in questions:
            votes.append({"participant_id": pid, "question_id": questions["scale"].id,
                          "option_id": None, "contribution_id": None, "value": 1 + i % 5})
    if votes:
        db.session.execute(insert(Vote), votes)
    db.session.commit()
    return ids
