"""Realistic benchmark data, fast: the demo coalition, then participants with their ideas,
words and votes in bulk (COPY on PostgreSQL, executemany on SQLite; no ORM per row).

Shaped like the demo (app/demo/services.py): every consultation has its six questions, one of
every kind. Half of the participants are in DEMO01 (a city-wide consultation: the pages the
benchmark measures); the other half are spread over consultations of 500 participants owned
in turn by the demo organisations, open or closed, pre- or post-moderated. About a third of
the participants write an idea; ideas wait, are published, hidden with a reason, rejected or
merged, a few are flagged, some are themed. `grow(n)` adds participants until there are n,
so one database grows from 1k to 10k to 100k."""
import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, insert, select, text

BIG_SHARE = 0.5  # of all participants, in DEMO01
OTHER_SIZE = 500  # participants per other consultation
CHUNK = 5_000  # participants written per round
LEADER_EMAIL = "bench@example.org"  # marks a database as the benchmark's own
LEADER_PASSWORD = "medskapa-bench-1"
LANGUAGES = (("sv", 0.7), ("en", 0.15), ("ar", 0.15))
AGE_BANDS = ("-12", "13-15", "16-19", "20-", None)
HIDE_REASONS = ("duplicate", "personal", "off_topic", "unkind", "other")
THEMES = ("Skolgården", "Läxhjälp", "Trygghet", "Läsning", "Maten")
IDEAS = {
    "sv": ["Fler bänkar och träd på skolgården", "Läxhjälp på biblioteket på lördagar",
           "Vuxna ute på rasterna så att ingen blir ensam", "En lugn plats att läsa på",
           "Bättre mat i matsalen", "Pingisbord och en basketkorg", "Mer tid för idrott",
           "Att lärarna frågar oss hur vi vill lära oss", "Tjejkvällar på fritidsgården"],
    "en": ["More benches and trees in the schoolyard", "Homework help at the library",
           "Adults outside at break time", "A quiet place to read", "Better school lunches"],
    "ar": ["المزيد من المقاعد والأشجار في ساحة المدرسة", "مساعدة في الواجبات في المكتبة",
           "مكان هادئ للقراءة"],
}
WORDS = {"sv": ["tryggt", "tråkigt", "roligt", "stressigt", "okej", "bra", "jobbigt", "kul"],
         "en": ["safe", "boring", "fun", "stressful", "okay"],
         "ar": ["آمن", "ممل", "ممتع"]}


def device_token(n: int) -> str:
    """The device cookie of the n-th seeded participant (the load test plays these phones)."""
    return f"bench-{n}"


@dataclass
class Place:
    """A consultation and the ids its rows need."""

    id: int
    moderation: str
    questions: dict  # kind → question id
    options: dict  # kind → [option ids]
    areas: list
    themes: list
    approved: list = field(default_factory=list)  # approved idea ids, for votes and merges
    participants: int = 0


def reset(url: str) -> None:
    """Empty the benchmark's database; refuses one that holds data the benchmark did not make."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    with engine.begin() as conn:
        if "users" in inspect(conn).get_table_names():
            emails = set(conn.scalars(text("SELECT email FROM users")))
            if emails and LEADER_EMAIL not in emails:
                raise SystemExit(f"{engine.url.render_as_string()} holds data bench/run did not "
                                 "make; give it an empty database of its own.")
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if engine.dialect.name == "sqlite" and engine.url.database:
        from pathlib import Path

        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)


def prepare() -> dict:
    """Migrate, load the demo coalition and the benchmark's youth leader (in an app context)."""
    from flask_migrate import upgrade

    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.core.roles import Role
    from app.demo import services as demo
    from app.extensions import db
    from app.results import live

    upgrade()
    made = demo.load(LEADER_PASSWORD)
    consultation = made["consultation"]
    if db.session.scalar(select(User).where(User.email == LEADER_EMAIL)) is None:
        accounts.create_user(email=LEADER_EMAIL, role=Role.YOUTH_LEADER,
                             organisation=consultation.organisation, password=LEADER_PASSWORD)
    by_kind = {q.kind: q for q in consultation.questions}
    live.set_live_question(consultation, by_kind["word"])  # phones follow the projector
    db.session.commit()
    return {"consultation_id": consultation.id,
            "questions": {n: q.kind for n, q in
                          enumerate(consultation.active_questions(), start=1)}}


def _places(demo_id: int) -> tuple[Place, list[Place]]:
    from app.consultations.models import Consultation, Question
    from app.extensions import db
    from app.moderate.models import Theme
    from app.participate.models import Contribution, ContributionStatus, Participant

    places = []
    for consultation in db.session.scalars(select(Consultation).order_by(Consultation.id)):
        questions = {q.kind: q for q in consultation.questions}
        themes = list(db.session.scalars(select(Theme.id).where(
            Theme.consultation_id == consultation.id)))
        if not themes:
            db.session.execute(insert(Theme), [{"consultation_id": consultation.id,
                                                "name": name} for name in THEMES])
            themes = list(db.session.scalars(select(Theme.id).where(
                Theme.consultation_id == consultation.id)))
        place = Place(consultation.id, consultation.moderation,
                      {k: q.id for k, q in questions.items()},
                      {k: [o.id for o in q.options] for k, q in questions.items()},
                      [a.id for a in consultation.areas], themes)
        place.approved = list(db.session.scalars(select(Contribution.id).join(Question).where(
            Question.consultation_id == consultation.id, Question.kind == "idea",
            Contribution.status == ContributionStatus.APPROVED)))
        place.participants = db.session.scalar(select(func.count(Participant.id)).where(
            Participant.consultation_id == consultation.id)) or 0
        places.append(place)
    big = next(p for p in places if p.id == demo_id)
    return big, [p for p in places if p.id != demo_id]


def _new_consultation(rng: random.Random, n: int) -> None:
    """Another organisation's (or Rädda Barnen's) consultation with the demo's six questions."""
    from app.coalition.models import Organisation
    from app.consultations import codes
    from app.consultations.models import Consultation, Moderation, Status
    from app.core.time import utcnow
    from app.demo import services as demo
    from app.extensions import db

    orgs = list(db.session.scalars(select(Organisation).where(
        Organisation.name.in_([name for name, _ in demo.ORGANISATIONS])).order_by(
        Organisation.id)))
    taken = set(db.session.scalars(select(Consultation.join_code)))
    code = codes.new_code()
    while code in taken:
        code = codes.new_code()
    closed = rng.random() < 0.3
    consultation = Consultation(
        organisation=orgs[n % len(orgs)], join_code=code,
        status=Status.CLOSED if closed else Status.OPEN,
        closed_at=utcnow() - timedelta(days=rng.randint(1, 90)) if closed else None,
        moderation=Moderation.POST if rng.random() < 0.2 else Moderation.PRE,
        title={"sv": f"Skolan vi vill ha {n}", "en": f"The school we want {n}"},
        intro={"sv": "Vad tycker du?", "en": "What do you think?"})
    db.session.add(consultation)
    demo._questions(consultation)
    db.session.flush()


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class Writer:
    """Appends rows per table and writes them in bulk."""

    def __init__(self):
        from app.extensions import db

        self.session = db.session
        self.postgres = db.session.get_bind().dialect.name == "postgresql"

    def write(self, table, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.postgres:
            self.session.execute(insert(table), rows)
            return
        columns = list(rows[0])
        raw = self.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict | list) else v
                                for v in (row[c] for c in columns)])

    def next_id(self, table) -> int:
        return (self.session.scalar(select(func.max(table.c.id))) or 0) + 1

    def fix_sequences(self, *tables) -> None:
        if self.postgres:
            for table in tables:
                # Rows were written with their ids; move each sequence past them.
                self.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table.name}))"))


def grow(demo_id: int, total: int, seed: int = 1) -> dict:
    """Add participants (with everything they give) until there are `total`; returns counts."""
    from app.accounts.models import User
    from app.core.time import utcnow
    from app.extensions import db
    from app.participate.models import Contribution, Participant, Vote
    from app.participate.services import CONSENT_VERSION

    rng = random.Random(seed * 1_000_003 + total)
    writer = Writer()
    tables = Participant.__table__, Contribution.__table__, Vote.__table__
    have = db.session.scalar(select(func.count(Participant.id))) or 0
    big_target = int(total * BIG_SHARE)
    others_needed = -(-(total - big_target) // OTHER_SIZE)
    big, others = _places(demo_id)
    for n in range(len(others), others_needed):
        _new_consultation(rng, n)
    if len(others) < others_needed:
        big, others = _places(demo_id)
    leader_id = db.session.scalar(select(User.id).where(User.email == LEADER_EMAIL))
    now = utcnow()
    next_participant = writer.next_id(tables[0])
    next_contribution = writer.next_id(tables[1])
    # Which consultation each new participant joins, DEMO01's phones numbered first.
    queue = [big] * max(0, big_target - big.participants)
    for place in others:
        queue += [place] * max(0, OTHER_SIZE - place.participants)
    queue = queue[:max(0, total - have)]
    for start in range(0, len(queue), CHUNK):
        participants, contributions, votes = [], [], []
        for place in queue[start:start + CHUNK]:
            pid = next_participant
            next_participant += 1
            place.participants += 1
            language = _weighted(rng, LANGUAGES)
            joined = now - timedelta(minutes=rng.randint(5, 60 * 24 * 30))
            participants.append({
                "id": pid, "device_hash": hashlib.sha256(device_token(pid).encode()).hexdigest(),
                "consultation_id": place.id, "language": language,
                "age_band": rng.choice(AGE_BANDS),
                "area_id": rng.choice(place.areas) if place.areas and rng.random() < 0.7
                else None,
                "consent_version": CONSENT_VERSION, "consented_at": joined,
                "created_at": joined})
            for kind in ("idea", "word"):
                count = (rng.choice((1, 1, 1, 2, 3)) if rng.random() < 0.35 else 0) \
                    if kind == "idea" else int(rng.random() < 0.6)
                for _ in range(count):
                    cid = next_contribution
                    next_contribution += 1
                    row = _contribution(rng, place, kind, language, leader_id, joined)
                    row.update(id=cid, participant_id=pid, question_id=place.questions[kind],
                               client_key=f"bench-{cid}")
                    contributions.append(row)
                    if kind == "idea" and row["status"] == "approved":
                        place.approved.append(cid)
            votes += _votes(rng, place, pid, joined)
        writer.write(tables[0], participants)
        writer.write(tables[1], contributions)
        writer.write(tables[2], votes)
    writer.fix_sequences(*tables)
    db.session.commit()
    return {
        "participants": db.session.scalar(select(func.count(Participant.id))),
        "demo_participants": big.participants,
        "consultations": 1 + len(others),
        "contributions": db.session.scalar(select(func.count(Contribution.id))),
        "votes": db.session.scalar(select(func.count(Vote.id))),
    }


def _contribution(rng, place: Place, kind: str, language: str, leader_id: int, at) -> dict:
    words = IDEAS if kind == "idea" else WORDS
    body = rng.choice(words[language])
    if kind == "idea" and rng.random() < 0.5:
        body += f" – {rng.choice(words['sv']).lower()}"
    flags, safeguarding, status = [], False, "approved"
    roll = rng.random()
    if kind == "idea":
        if place.moderation == "pre":
            status = ("pending" if roll < 0.3 else "approved" if roll < 0.8 else
                      "hidden" if roll < 0.9 else "rejected" if roll < 0.93 else "merged")
        else:
            status = "approved" if roll < 0.85 else "hidden" if roll < 0.95 else "merged"
        if status == "merged" and not place.approved:
            status = "approved"
        flag = rng.random()
        if flag < 0.04:
            flags = [{"category": "personal_data", "kind": "phone", "excerpt": "07…"}]
            status = "pending"
        elif flag < 0.045:
            flags = [{"category": "safeguarding", "kind": "self_harm", "excerpt": "…"}]
            status, safeguarding = "pending", True
    elif roll < 0.15:
        status = "pending"
    moderated = status != "pending"
    return {
        "text": body, "language": language, "status": status, "flags": flags,
        "translations": {}, "safeguarding": safeguarding, "created_at": at,
        "hidden_reason": rng.choice(HIDE_REASONS) if status == "hidden" else None,
        "theme_id": rng.choice(place.themes) if status == "approved" and kind == "idea"
        and rng.random() < 0.6 else None,
        "merged_into_id": rng.choice(place.approved) if status == "merged" else None,
        "redacted": False,
        "moderated_at": at + timedelta(hours=rng.randint(1, 48)) if moderated else None,
        "moderated_by_id": leader_id if moderated else None,
        "version": 2 if moderated else 1,
    }


def _votes(rng, place: Place, pid: int, at) -> list[dict]:
    rows = []

    def vote(kind, value, option_id=None, contribution_id=None):
        rows.append({"participant_id": pid, "question_id": place.questions[kind],
                     "option_id": option_id, "contribution_id": contribution_id,
                     "value": value, "updated_at": at})

    camp = pid % 2  # two opinion groups, so the opinion map has something to find
    for j, option_id in enumerate(place.options["statement"]):
        if rng.random() < 0.85:
            lean = 1 if (j % 2 == 0) == (camp == 0) else -1
            vote("statement", lean if rng.random() < 0.7 else rng.choice((-1, 0, 1)),
                 option_id=option_id)
    for idea in rng.sample(place.approved, min(5, len(place.approved))):
        vote("statement", rng.choice((-1, 0, 1, 1)), contribution_id=idea)
    if rng.random() < 0.7:
        for place_n, option_id in enumerate(rng.sample(place.options["rank"], 3), start=1):
            vote("rank", place_n, option_id=option_id)
    if rng.random() < 0.85:
        vote("scale", rng.choices((1, 2, 3, 4, 5), (1, 2, 4, 5, 3))[0])
    if rng.random() < 0.7:
        for option_id in rng.sample(place.options["choice"], rng.randint(1, 3)):
            vote("choice", 1, option_id=option_id)
    return rows
