"""The hottest queries use their indexes on PostgreSQL, the production database: joining by
code, the answer (the participant's row, the vote upsert and the lookup of their votes), the
statements screen and the moderation queue. The statements are the ones the app really sends,
captured from requests, and explained on a database seeded with thousands of rows and
analysed. Each check
also explains the statement once more with the index dropped (in a transaction that is rolled
back), so a check that could not fail would fail itself."""
import os
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.coalition.models import Organisation
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import join
from tests.querycount import crowd, recorded

pytestmark = pytest.mark.skipif(
    make_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://").get_backend_name()
    != "postgresql",
    reason="query plans are checked on PostgreSQL (set TEST_DATABASE_URL); SQLite plans "
           "differ and production runs PostgreSQL")


SEED = [
    # 2,000 closed consultations of another organisation, each with six questions,
    # ten participants, an idea and a word from each (one in ten still waiting) and four votes.
    """INSERT INTO consultations (organisation_id, title, intro, status, moderation, join_code,
                                  created_at, retention_months)
       SELECT :organisation, '{}', '{}', 'closed', 'pre', upper(substr(md5(g::text), 1, 6)),
              now(), 12
       FROM generate_series(1, 2000) AS g""",
    """INSERT INTO questions (consultation_id, position, kind, prompt, help, settings)
       SELECT c.id, p, (ARRAY['idea', 'statement', 'rank', 'word', 'scale', 'choice'])[p],
              '{}', '{}', '{}'
       FROM consultations AS c CROSS JOIN generate_series(1, 6) AS p
       WHERE c.organisation_id = :organisation""",
    """INSERT INTO participants (device_hash, consultation_id, language, consent_version,
                                 consented_at, created_at)
       SELECT md5(c.id || '-' || g), c.id, 'sv', 'seed', now(), now()
       FROM consultations AS c CROSS JOIN generate_series(1, 10) AS g
       WHERE c.organisation_id = :organisation""",
    """INSERT INTO contributions (participant_id, question_id, text, language, status, flags,
                                  client_key, created_at)
       SELECT p.id, q.id, 'En idé', 'sv',
              CASE WHEN p.id % 10 = 0 THEN 'pending' ELSE 'approved' END, '[]',
              'seed-' || q.id, now() - p.id * interval '1 minute'
       FROM participants AS p JOIN questions AS q ON q.consultation_id = p.consultation_id
       WHERE p.consent_version = 'seed' AND q.kind IN ('idea', 'word')""",
    """INSERT INTO votes (participant_id, question_id, value, updated_at)
       SELECT p.id, q.id, 1 + p.id % 5, now()
       FROM participants AS p JOIN questions AS q ON q.consultation_id = p.consultation_id
       WHERE p.consent_version = 'seed' AND q.kind IN ('statement', 'rank', 'scale', 'choice')
    """,
]


@dataclass
class Seeded:
    """Plain values, not ORM objects: nothing can lazy-load (and open a transaction that
    would block the indexes being dropped) while a check runs or a failure is reported."""

    consultation_id: int
    organisation_id: int
    questions: dict[str, tuple[int, list[int]]]  # kind → (its number, its option ids)


@pytest.fixture
def big(app_ctx) -> Seeded:
    """The demo consultation, with 50 participants who answered everything, among 2,000
    others: 20,000 participants, 40,000 texts and 80,000 votes in all, analysed."""
    demo = factories.demo()
    crowd(demo, 50)
    seeded = Seeded(demo.id, demo.organisation_id, {
        kind: (n, [o.id for o in question.options])
        for kind, (n, question) in factories.questions_by_kind(demo).items()})
    organisation = factories.organisation().id
    for statement in SEED:
        db.session.execute(text(statement), {"organisation": organisation})
    db.session.commit()
    db.session.remove()
    with db.engine.connect() as conn:
        # As autovacuum keeps a live database: statistics, and the visibility map that lets
        # an index answer a query without reading the rows.
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return seeded


def _captured(send, *fragments: str) -> tuple[str, object]:
    """The first statement that `send` makes the app send and that contains every
    fragment, with its parameters."""
    with recorded() as sent:
        send()
    found = [(s, p) for s, p in sent if all(f in s for f in fragments)]
    assert found, f"no statement with {fragments!r} among:\n" + "\n".join(s for s, _ in sent)
    return found[0]


def _plan(conn, statement: str, parameters) -> dict:
    return conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}",
                                parameters).scalar()[0]["Plan"]


def _text_plan(conn, statement: str, parameters) -> str:
    return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters))


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _indexes(plan: dict) -> set[str]:
    found = set()
    for node in _nodes(plan):
        found.update(filter(None, [node.get("Index Name")]))
        found.update(node.get("Conflict Arbiter Indexes", []))
    return found


def _seq_scans(plan: dict) -> set[str]:
    return {node["Relation Name"] for node in _nodes(plan) if node["Node Type"] == "Seq Scan"}


def _drop(conn, index: str) -> None:
    """Drop an index, or the unique constraint it belongs to."""
    owner = conn.execute(text(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE conindid = to_regclass(:index) AND contype IN ('u', 'p')"),
        {"index": index}).first()
    if owner:
        conn.exec_driver_sql(f'ALTER TABLE {owner[0]} DROP CONSTRAINT "{owner[1]}"')
    else:
        conn.exec_driver_sql(f'DROP INDEX "{index}"')


def assert_uses(captured: tuple[str, object], index: str, table: str) -> None:
    """The statement's plan reads `table` through `index` (no sequential scan of it), and
    does not without the index."""
    statement, parameters = captured
    db.session.remove()  # no open transaction may hold the table while the index is dropped
    with db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            plan = _plan(conn, statement, parameters)
            shown = _text_plan(conn, statement, parameters)
            assert index in _indexes(plan), shown
            assert table not in _seq_scans(plan), shown
            conn.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
            _drop(conn, index)
            try:
                with conn.begin_nested():
                    without = _plan(conn, statement, parameters)
            except DBAPIError:  # an upsert cannot even be planned without its unique index
                without = None
        finally:
            transaction.rollback()
    assert without is None or index not in _indexes(without), (index, without)


def test_joining_by_code_uses_the_code_index_and_the_device_index(app, big):
    phone = app.test_client()
    join(phone)  # the device cookie, and a participant row to look up
    assert_uses(_captured(lambda: phone.get("/j/demo01"), "consultations.join_code ="),
                "ix_consultations_join_code", "consultations")
    assert_uses(_captured(lambda: phone.get("/j/DEMO01"), "participants.device_hash ="),
                "uq_participants_device", "participants")


def test_an_answer_upserts_and_reads_votes_through_indexes(app, big):
    phone = app.test_client()
    join(phone)
    n, options = big.questions["choice"]
    scale_n, _none = big.questions["scale"]
    url = f"/c/{big.consultation_id}/q/{n}"
    token = csrf_token(phone, url)

    def answer_choice():
        response = phone.post(url, data={"csrf_token": token, "option": str(options[0])})
        assert response.status_code == 302

    def answer_scale():
        response = phone.post(f"/c/{big.consultation_id}/q/{scale_n}",
                              data={"csrf_token": token, "value": "4"})
        assert response.status_code == 302

    assert_uses(_captured(answer_choice, "ON CONFLICT (participant_id, option_id)"),
                "uq_votes_option", "votes")
    assert_uses(_captured(answer_scale, "ON CONFLICT (participant_id, question_id)"),
                "uq_votes_question", "votes")
    # A new choice replaces the old one: the participant's earlier votes on the question.
    assert_uses(_captured(answer_choice, "DELETE FROM votes"),
                "ix_votes_participant_id", "votes")
    # The question page shows the participant's current answer.
    assert_uses(_captured(lambda: phone.get(url), "SELECT votes.id", "votes.participant_id ="),
                "ix_votes_participant_id", "votes")


def test_the_moderation_queue_and_the_results_use_the_question_status_index(
        client, login_as, big):
    login_as("youth_leader", organisation=db.session.get(Organisation, big.organisation_id))
    # What waits without a concern (the few concerns are looked up first, on the index of
    # the queue across consultations).
    queue = _captured(lambda: client.get(f"/moderate/c/{big.consultation_id}"),
                      "contributions.safeguarding IS false")
    assert_uses(queue, "ix_contributions_question_status_created", "contributions")
    ideas = _captured(lambda: client.get(f"/results/c/{big.consultation_id}"),
                      "ORDER BY contributions.created_at DESC")
    assert_uses(ideas, "ix_contributions_question_status_created", "contributions")


def test_a_statements_screen_chooses_its_ideas_from_the_index_alone(app, big):
    phone = app.test_client()
    join(phone)
    n, _options = big.questions["statement"]
    chosen = _captured(lambda: phone.get(f"/c/{big.consultation_id}/q/{n}"),
                       "CAST(contributions.id AS BIGINT)")
    assert_uses(chosen, "ix_contributions_question_id", "contributions")
    statement, parameters = chosen
    with db.engine.connect() as conn:
        plan = _plan(conn, statement, parameters)
    scans = [node for node in _nodes(plan)
             if node.get("Index Name") == "ix_contributions_question_id"]
    assert scans and all(node["Node Type"] == "Index Only Scan" for node in scans), plan


def test_the_queue_of_many_consultations_reads_what_waits_in_index_order(client, login_as, big):
    """A leader of the organisation with 2,000 consultations: the page's 50 oldest waiting
    texts are read in the index's order, not found by sorting the 2,000 that wait."""
    other = db.session.scalar(text(
        "SELECT organisation_id FROM consultations WHERE organisation_id <> :demo LIMIT 1"),
        {"demo": big.organisation_id})
    login_as("youth_leader", organisation=db.session.get(Organisation, other))
    queue = _captured(lambda: client.get("/moderate/"), "contributions.safeguarding IS false")
    assert_uses(queue, "ix_contributions_status_safeguarding_created", "contributions")
