"""Taking part: joining, answering, and a participant's own contributions.

Plain arguments in, values out; the caller commits."""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import BigInteger, bindparam, case, cast, delete, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.consultations import codes
from app.consultations.models import Consultation, Moderation, Option, Question, QuestionKind
from app.consultations.models import Status as ConsultationStatus
from app.core.errors import DomainError
from app.core.text import TextError, clean_text, whole_number
from app.core.time import utcnow
from app.extensions import db
from app.moderate import services as moderation
from app.participate import cache as kept_consultations
from app.participate.models import AgeBand, Contribution, ContributionStatus, Participant, Vote
from app.results.cache import results_changed

CONSENT_VERSION = "2026-11"
IDEA_MAX = 500
WORD_MAX = 40
STATEMENTS_PER_SCREEN = 20
STATEMENT_VALUES = {"agree": 1, "disagree": -1, "pass": 0}


class ConsultationClosed(DomainError):
    pass


class AnswerInvalid(DomainError):
    """errors: field name → (code, params) for the view to put into words."""

    def __init__(self, errors: dict[str, tuple[str, dict]]):
        super().__init__("invalid answer")
        self.errors = errors


# --- devices and joining -------------------------------------------------------------------

def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class CodeLookup:
    consultation: Consultation | None
    closed: bool = False


def find_by_code(raw_code: str, now: datetime | None = None) -> CodeLookup:
    """The open consultation with this code; a closed one is reported so the young person
    gets a kind 'this has ended' instead of 'wrong code'."""
    code = codes.normalise(raw_code)
    if len(code) != codes.LENGTH:
        return CodeLookup(None)
    found = db.session.execute(_BY_CODE, {"code": code}).all()
    consultation = kept_consultations.load(*found[-1]) if found else None  # open sorts last
    if consultation is None:
        return CodeLookup(None)
    return CodeLookup(consultation, closed=not accepts_answers(consultation, now))


# The id and version of the consultations with a code; the join page then shows the kept
# copy (app/participate/cache.py), with its areas, instead of loading it.
_BY_CODE = (select(Consultation.id, Consultation.results_version)
            .where(Consultation.join_code == bindparam("code"),
                   Consultation.status != ConsultationStatus.DRAFT)
            .order_by(Consultation.status == ConsultationStatus.OPEN, Consultation.id))


def not_yet_open(consultation: Consultation, now: datetime | None = None) -> bool:
    """Open, but its start time has not come: the phone is told when, not that it ended."""
    return (consultation.status == ConsultationStatus.OPEN and consultation.opens_at is not None
            and (now or utcnow()) < consultation.opens_at)


def accepts_answers(consultation: Consultation, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if consultation.status != ConsultationStatus.OPEN:
        return False
    if consultation.opens_at and now < consultation.opens_at:
        return False
    return not (consultation.closes_at and now >= consultation.closes_at)


def participant_for(device_token: str | None, consultation_id: int) -> Participant | None:
    if not device_token:
        return None
    return db.session.scalar(_PARTICIPANT, {"device_hash": device_hash(device_token),
                                            "consultation_id": consultation_id})


# Built once (app/participate/cache.py says why): every participant page sends it.
_PARTICIPANT = select(Participant).where(
    Participant.device_hash == bindparam("device_hash"),
    Participant.consultation_id == bindparam("consultation_id"))


def join(consultation: Consultation, device_token: str, *, language: str,
         age_band: str | None, area_id: int | None) -> Participant:
    """Record consent and the optional profile; joining again updates them."""
    if not accepts_answers(consultation):
        raise ConsultationClosed()
    if age_band not in {band.value for band in AgeBand}:
        age_band = None
    if area_id not in {area.id for area in consultation.areas}:
        area_id = None
    profile = {"language": language, "age_band": age_band, "area_id": area_id,
               "consent_version": CONSENT_VERSION, "consented_at": utcnow()}
    participant = participant_for(device_token, consultation.id)
    if participant is None:
        participant = Participant(device_hash=device_hash(device_token),
                                  consultation_id=consultation.id, **profile)
        try:
            with db.session.begin_nested():
                db.session.add(participant)
            return participant
        except IntegrityError:
            # The same phone joined at the same moment: a second tap on "I understand –
            # start" while the first was on its way (slow wifi, the page's script not loaded
            # yet). It was a 500, often the page the child then saw.
            participant = participant_for(device_token, consultation.id)
    for name, value in profile.items():
        setattr(participant, name, value)
    db.session.flush()
    return participant


def load_consultation(consultation_id: int) -> Consultation | None:
    """The consultation (not a draft) with its questions, options and areas loaded; each
    process reuses them while staff change nothing (app/participate/cache.py)."""
    return kept_consultations.load(consultation_id)


# --- what a question shows -------------------------------------------------------------------

@dataclass
class StatementItem:
    key: str  # "o12" for a staff statement, "c34" for a participant's idea
    text: dict | str  # multilingual dict (staff) or the participant's own text
    language: str | None  # the language a participant's idea was written in
    vote: int | None = None
    translations: dict = field(default_factory=dict)  # moderators' translations of an idea


@dataclass
class QuestionState:
    """What a question page needs: the participant's current answer and, for statements,
    the items to vote on."""

    question: Question
    options: list[Option]
    votes: dict = field(default_factory=dict)  # item key → value
    statements: list[StatementItem] = field(default_factory=list)
    own_texts: list[Contribution] = field(default_factory=list)


def active_options(question: Question) -> list[Option]:
    return [o for o in question.options if o.archived_at is None]


def question_state(participant: Participant | None, question: Question) -> QuestionState:
    state = QuestionState(question=question, options=active_options(question))
    if participant is not None:
        mine = {"participant_id": participant.id, "question_id": question.id}
        for vote in db.session.scalars(_MY_VOTES, mine):
            state.votes[_vote_key(vote)] = vote.value
        if question.kind in (QuestionKind.IDEA, QuestionKind.WORD):
            state.own_texts = list(db.session.scalars(_MY_TEXTS, mine))
    if question.kind == QuestionKind.STATEMENT:
        state.statements = _statements(participant, question, state.votes)
    return state


# A participant's votes and texts on a question (built once: app/participate/cache.py).
_MY_VOTES = select(Vote).where(Vote.participant_id == bindparam("participant_id"),
                               Vote.question_id == bindparam("question_id"))
_MY_TEXTS = (select(Contribution)
             .where(Contribution.participant_id == bindparam("participant_id"),
                    Contribution.question_id == bindparam("question_id"))
             .order_by(Contribution.created_at))


def _vote_key(vote: Vote) -> str:
    if vote.option_id is not None:
        return f"o{vote.option_id}"
    if vote.contribution_id is not None:
        return f"c{vote.contribution_id}"
    return "q"


# Fair order: each participant sees the statements in an order of their own, the same on
# every visit, so no statement is always first. Sorting by (id × m) mod P, with P prime and m
# picked from the participant, gives every participant a different permutation; it is plain
# integer arithmetic, so the database can sort and LIMIT by it (SQLite and PostgreSQL alike).
_ORDER_PRIME = 2_147_483_647


def _order_multiplier(participant: Participant | None) -> int:
    seed = participant.id if participant else 0
    # A large multiplier, so that even small ids wrap around P and mix.
    return ((seed + 1) * 1_103_515_245) % (_ORDER_PRIME - 1) + 1


def _visible_ideas(participant: Participant | None, question: Question, source_id: int):
    """The WHERE clause of the ideas peers may vote on as statements."""
    if question.consultation.moderation == Moderation.POST:
        where = [Contribution.question_id == source_id,
                 Contribution.status.in_([ContributionStatus.APPROVED,
                                          ContributionStatus.PENDING]),
                 # A flagged text waits for a moderator even under post-moderation.
                 or_(Contribution.status != ContributionStatus.PENDING,
                     func.coalesce(func.json_array_length(Contribution.flags), 0) == 0)]
    else:  # only columns of ix_contributions_question_id: no row is read to choose
        where = [Contribution.question_id == source_id,
                 Contribution.status == ContributionStatus.APPROVED]
    if participant is not None:
        where.append(Contribution.participant_id != participant.id)  # not one's own idea
    return where


def _statements(participant: Participant | None, question: Question, votes: dict,
                limit: int = STATEMENTS_PER_SCREEN) -> list[StatementItem]:
    """The first `limit` statements for this participant: staff statements and the
    participants' ideas that peers may see, unanswered ones first, in the participant's own
    fair order. However many ideas there are, the database returns only `limit` of them."""
    m = _order_multiplier(participant)

    def rank(key: str) -> tuple[bool, int]:
        return (key in votes, (int(key[1:]) * m) % _ORDER_PRIME)

    items = [StatementItem(f"o{o.id}", o.text, None) for o in active_options(question)]
    source_id = question.setting("source_question_id")
    if source_id:
        voted = [int(key[1:]) for key in votes if key.startswith("c")]
        answered = case((Contribution.id.in_(voted), 1), else_=0) if voted else literal(0)
        # The ids are chosen first (from the index alone, with thousands of ideas), then only
        # the rows shown are read.
        chosen = (select(Contribution.id)
                  .where(*_visible_ideas(participant, question, source_id))
                  .order_by(answered, (cast(Contribution.id, BigInteger) * m) % _ORDER_PRIME)
                  .limit(limit))
        ideas = db.session.scalars(select(Contribution).where(Contribution.id.in_(chosen)))
        items += [StatementItem(f"c{idea.id}", idea.text, idea.language,
                                translations=idea.translations or {}) for idea in ideas]
    for item in items:
        item.vote = votes.get(item.key)
    items.sort(key=lambda item: rank(item.key))
    return items[:limit]


def _statement_keys_allowed(participant: Participant, question: Question,
                            keys: set[str]) -> set[str]:
    """Which of the posted keys are statements this participant may vote on (also beyond
    the first screen): one query, whatever the number of ideas."""
    allowed = {f"o{o.id}" for o in active_options(question)} & keys
    source_id = question.setting("source_question_id")
    ids = [n for key in keys if key.startswith("c") and (n := whole_number(key[1:])) is not None]
    if source_id and ids:
        allowed |= {f"c{i}" for i in db.session.scalars(select(Contribution.id).where(
            Contribution.id.in_(ids), *_visible_ideas(participant, question, source_id)))}
    return allowed


# --- answering ---------------------------------------------------------------------------------

def submit_answer(participant: Participant, question: Question, form: dict[str, list[str]],
                  *, language: str | None = None, now: datetime | None = None) -> str:
    """Store an answer to `question` from the submitted form fields. Returns a short word
    for what happened ("saved", "duplicate", "unchanged", "needs_help"). Raises
    ConsultationClosed or AnswerInvalid."""
    if not accepts_answers(question.consultation, now):
        raise ConsultationClosed()
    if question.archived_at is not None or question.consultation_id != participant.consultation_id:
        raise AnswerInvalid({"": ("gone", {})})
    handler = {
        QuestionKind.IDEA: _answer_text,
        QuestionKind.WORD: _answer_text,
        QuestionKind.STATEMENT: _answer_statements,
        QuestionKind.RANK: _answer_rank,
        QuestionKind.SCALE: _answer_scale,
        QuestionKind.CHOICE: _answer_choice,
    }[QuestionKind(question.kind)]
    if language:
        participant.language = language  # texts record the language they are written in
    return handler(participant, question, form)


def _one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]


def _answer_text(participant, question, form) -> str:
    is_idea = question.kind == QuestionKind.IDEA
    limit = IDEA_MAX if is_idea else WORD_MAX
    key = _one(form, "client_key").strip()[:64]
    # The page makes the key (URL-safe characters); anything unprintable is not ours, and a
    # NUL would make PostgreSQL refuse the row.
    if not key or not key.isprintable():
        raise AnswerInvalid({"text": ("missing_key", {})})
    if not _one(form, "text").strip() and not _one(form, "more") and db.session.scalar(
            select(select(Contribution.id).where(
                Contribution.participant_id == participant.id,
                Contribution.question_id == question.id).exists())):
        return "unchanged"  # sent texts here before: an empty box and "Next" move on
    try:
        text = clean_text(_one(form, "text"), max_length=limit, multiline=is_idea)
    except TextError as exc:
        raise AnswerInvalid({"text": (exc.code, {"limit": limit})}) from None
    # Sent before: the same key (a retry, the offline queue), or the same text to this question
    # from this phone. Without JavaScript, a question page the child goes Back to is fetched
    # anew, with a new key, while the browser puts the text back: Next sent it a second time.
    existing = db.session.scalar(select(Contribution).where(
        Contribution.participant_id == participant.id,
        or_(Contribution.client_key == key,
            (Contribution.question_id == question.id) & (Contribution.text == text)),
    ).limit(1))
    if existing:
        return "needs_help" if existing.safeguarding else "duplicate"
    found = moderation.screen(text, participant.language)
    contribution = Contribution(
        participant_id=participant.id, question_id=question.id, text=text,
        language=participant.language, client_key=key, flags=found,
        safeguarding=moderation.is_safeguarding(found),
        status=moderation.initial_status(found, question.consultation.moderation),
    )
    try:
        with db.session.begin_nested():
            db.session.add(contribution)
    except IntegrityError:
        return "duplicate"  # the same key arrived twice at once
    # The app cannot reach an anonymous child: it tells them at once where to get help.
    return "needs_help" if contribution.safeguarding else "saved"


def _answer_statements(participant, question, form) -> str:
    # Votes on items beyond the first screen are allowed too: any visible statement.
    posted = {name[2:] for name in form if name.startswith("s_")}
    allowed = _statement_keys_allowed(participant, question, posted)
    choices, gone = {}, False
    for name, values in form.items():
        if not name.startswith("s_"):
            continue
        key, value = name[2:], (values[0] if values else "")
        if value not in STATEMENT_VALUES:
            raise AnswerInvalid({name: ("choose", {})})
        if key not in allowed:
            # A peer's idea hidden or deleted while the page stood open: its vote cannot
            # count, the others do. (Refused over it, the page came back without it, so
            # without a message, and the child's other votes were not saved.)
            gone = True
            continue
        choices[key] = STATEMENT_VALUES[value]
    if not choices:
        raise AnswerInvalid({"": ("gone" if gone else "choose_one", {})})
    for key, value in choices.items():
        item_id = int(key[1:])
        _upsert_vote(participant, question,
                     option_id=item_id if key[0] == "o" else None,
                     contribution_id=item_id if key[0] == "c" else None, value=value)
    return "saved"


def _option_ids(question) -> set[int]:
    return {o.id for o in active_options(question)}


def _parse_int(raw: str) -> int | None:
    raw = raw.strip()
    return whole_number(raw, maximum=99_999)


def _answer_rank(participant, question, form) -> str:
    options = _option_ids(question)
    if question.setting("mode") == "dots":
        budget = int(question.setting("dots", 5))
        for name in form:
            # Dots on an option removed while the page stood open: said, not dropped.
            if name.startswith("dots_") and _parse_int(name[5:]) not in options \
                    and (_parse_int(_one(form, name)) or 0) > 0:
                raise AnswerInvalid({"": ("gone", {})})
        spread = {}
        for option_id in options:
            raw = _one(form, f"dots_{option_id}")
            count = _parse_int(raw) if raw.strip() else 0
            if count is None:
                raise AnswerInvalid({f"dots_{option_id}": ("number", {})})
            if count:
                spread[option_id] = count
        total = sum(spread.values())
        if total == 0:
            raise AnswerInvalid({"": ("dots_none", {"n": budget})})
        if total > budget:
            raise AnswerInvalid({"": ("dots_too_many", {"n": budget, "used": total})})
        _replace_votes(participant, question, spread)
        return "saved"
    top_n = min(int(question.setting("top_n", 3)), len(options))
    order = {}
    for place in range(1, top_n + 1):
        raw = _one(form, f"place_{place}")
        if not raw:
            continue
        option_id = _parse_int(raw)
        if option_id not in options:
            raise AnswerInvalid({f"place_{place}": ("gone", {})})
        if option_id in order:
            raise AnswerInvalid({f"place_{place}": ("twice", {})})
        order[option_id] = place
    if not order:
        raise AnswerInvalid({"place_1": ("choose_one", {})})
    if sorted(order.values()) != list(range(1, len(order) + 1)):
        raise AnswerInvalid({"": ("gap", {})})
    _replace_votes(participant, question, order)
    return "saved"


def _answer_scale(participant, question, form) -> str:
    value = _parse_int(_one(form, "value"))
    if value is None or not 1 <= value <= 5:
        raise AnswerInvalid({"value": ("choose", {})})
    _upsert_vote(participant, question, option_id=None, contribution_id=None, value=value)
    return "saved"


def _answer_choice(participant, question, form) -> str:
    options = _option_ids(question)
    raw = form.get("option") or []
    chosen = {_parse_int(v) for v in raw if v}
    if not chosen:
        raise AnswerInvalid({"option": (
            "choose_one" if question.setting("multiple") else "choose", {})})
    if not chosen <= options:
        raise AnswerInvalid({"option": ("gone", {})})
    if len(chosen) > 1 and not question.setting("multiple"):
        raise AnswerInvalid({"option": ("only_one", {})})
    _replace_votes(participant, question, dict.fromkeys(chosen, 1))
    return "saved"


def _replace_votes(participant, question, values: dict[int, int]) -> None:
    """A new ranking or choice replaces the participant's previous one for the question."""
    db.session.execute(delete(Vote).where(Vote.participant_id == participant.id,
                                          Vote.question_id == question.id))
    now = utcnow()
    db.session.execute(_upsert("option"), [
        {"participant_id": participant.id, "question_id": question.id, "option_id": option_id,
         "contribution_id": None, "value": value, "updated_at": now}
        for option_id, value in values.items()])


def _upsert_vote(participant, question, *, option_id, contribution_id, value) -> None:
    """One row per participant and item, also when two requests race: the database's
    unique index decides, and the later value wins."""
    item = "option" if option_id is not None else \
        "contribution" if contribution_id is not None else "question"
    db.session.execute(_upsert(item), {
        "participant_id": participant.id, "question_id": question.id, "option_id": option_id,
        "contribution_id": contribution_id, "value": value, "updated_at": utcnow()})


_UPSERT_TARGETS = {  # the vote's item → the unique index that holds one vote per participant
    "option": (["participant_id", "option_id"], Vote.option_id.is_not(None)),
    "contribution": (["participant_id", "contribution_id"], Vote.contribution_id.is_not(None)),
    "question": (["participant_id", "question_id"],
                 Vote.option_id.is_(None) & Vote.contribution_id.is_(None)),
}
_upserts: dict[tuple[str, str], object] = {}


def _upsert(item: str):
    """The INSERT … ON CONFLICT DO UPDATE for a vote on this kind of item, built once per
    database kind (building it costs more than sending it); the values come with execute."""
    dialect = db.session.get_bind().dialect.name
    if (statement := _upserts.get((dialect, item))) is None:
        target, where = _UPSERT_TARGETS[item]
        insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(Vote)
        statement = insert.on_conflict_do_update(
            index_elements=target, index_where=where,
            set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at})
        _upserts[(dialect, item)] = statement
    return statement


# --- my contributions ------------------------------------------------------------------------

def has_answered(participant: Participant) -> bool:
    """Whether this device gave anything to the consultation (an idea or a vote)."""
    return bool(db.session.scalar(select(
        select(Contribution.id).where(Contribution.participant_id == participant.id).exists()
        | select(Vote.id).where(Vote.participant_id == participant.id).exists())))


@dataclass
class MyConsultation:
    participant: Participant
    contributions: list[Contribution]
    answers: dict[int, list[Vote]]  # question id → votes


@cache
def _my_statements():
    """/me's statements, built once (app/participate/cache.py says why): with their loader
    options, building them was more than half of the page's time. Built on first use, as
    loader options need every model mapped."""
    participants = (
        select(Participant).where(Participant.device_hash == bindparam("device_hash"))
        .options(selectinload(Participant.consultation).selectinload(Consultation.questions))
        .order_by(Participant.created_at.desc()))
    ids = bindparam("ids", expanding=True)
    contributions = (
        select(Contribution).where(Contribution.participant_id.in_(ids))
        .options(selectinload(Contribution.theme))  # each idea's journey names its theme
        .order_by(Contribution.created_at))
    answers = (
        select(Vote).where(Vote.participant_id.in_(ids))
        .options(selectinload(Vote.option), selectinload(Vote.contribution))
        .order_by(Vote.question_id, Vote.value))
    return participants, contributions, answers


def my_contributions(device_token: str | None) -> list[MyConsultation]:
    """Everything this phone has given, per consultation, in a fixed number of queries."""
    if not device_token:
        return []
    mine, contributions_of, answers_of = _my_statements()
    participants = db.session.scalars(
        mine, {"device_hash": device_hash(device_token)}).all()
    if not participants:
        return []
    ids = {"ids": [p.id for p in participants]}
    contributions = db.session.scalars(contributions_of, ids).all()
    votes = db.session.scalars(answers_of, ids).all()
    result = {p.id: MyConsultation(p, [], {}) for p in participants}
    for contribution in contributions:
        result[contribution.participant_id].contributions.append(contribution)
    for vote in votes:
        result[vote.participant_id].answers.setdefault(vote.question_id, []).append(vote)
    return list(result.values())


def own_contribution(device_token: str | None, contribution_id: int) -> Contribution | None:
    if not device_token:
        return None
    return db.session.scalar(
        select(Contribution).join(Participant)
        .where(Contribution.id == contribution_id,
               Participant.device_hash == device_hash(device_token)))


def delete_contribution(contribution: Contribution) -> None:
    """Gone from the database, with the votes others gave it (not flagged as deleted), and
    its words from the audit log (a redaction's original)."""
    from app.audit.services import forget_original_texts

    forget_original_texts([contribution.id], why="removed_by_participant")
    # Published, it leaves the staff's counted results at once (a bulk delete is not seen by
    # the flush listener).
    db.session.execute(results_changed(Consultation.id == contribution.participant.consultation_id))
    # A statement, not session.delete(): a second tap on "Yes, delete" at the same moment
    # finds nothing left to delete instead of failing (the ORM's "expected to delete 1 row").
    db.session.execute(delete(Contribution).where(Contribution.id == contribution.id))


def participant_ids(device_token: str | None) -> list[int]:
    if not device_token:
        return []
    return list(db.session.scalars(select(Participant.id).where(
        Participant.device_hash == device_hash(device_token))))


def delete_everything(device_token: str | None) -> int:
    """Every participant row of this phone, and with them (ON DELETE CASCADE) every
    contribution and vote; their words in the audit log are blanked. Returns how many
    consultations were forgotten."""
    if not device_token:
        return 0
    rows = Participant.device_hash == device_hash(device_token)
    from app.audit.services import forget_original_texts

    forget_original_texts(db.session.scalars(select(Contribution.id).join(Participant).where(
        rows)), why="removed_by_participant")
    # Their published texts leave the staff's counted results at once, not when a reused count
    # runs out: a bulk delete is not seen by the flush listener.
    db.session.execute(results_changed(
        Consultation.id.in_(select(Participant.consultation_id).where(rows))))
    result = db.session.execute(delete(Participant).where(rows))
    return result.rowcount or 0
