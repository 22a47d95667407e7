"""`flask backup` and `flask restore`: back up, change, restore, and everything is as it was."""
import pytest
from sqlalchemy import func, select

from app.consultations.models import Consultation
from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.participate.helpers import answer, join


def _snapshot() -> dict:
    return {
        "consultations": sorted(db.session.scalars(select(Consultation.join_code))),
        "ideas": sorted(db.session.scalars(select(Contribution.text))),
    }


def test_backup_change_restore_gives_back_the_same_data(app, app_ctx, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump (documented in the README)")
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": "Fler bänkar", "client_key": "k1"})
    before = _snapshot()
    runner = app.test_cli_runner()
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600

    # Changes after the backup: one idea more, the demo consultation deleted.
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": "Efter backupen", "client_key": "k2"})
    db.session.delete(db.session.get(Consultation, demo.id))
    db.session.commit()
    assert _snapshot() != before

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _snapshot() == before
    assert db.session.scalar(select(func.count(Contribution.id))) == 1
    # A second backup to the same name is refused rather than overwritten.
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output


def test_restore_refuses_a_file_that_is_not_a_medskapa_database(app, app_ctx, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all" * 100)
    result = app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1 and "is not a Medskapa database" in result.output
    assert db.session.execute(select(1)).scalar() == 1  # the live database is untouched


def test_postgresql_is_pointed_to_pg_dump(app, app_ctx, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "pg_dump" in result.output
