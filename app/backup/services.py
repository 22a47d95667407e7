"""SQLite's online backup API copies a consistent snapshot while the app keeps running (WAL
mode lets readers and the copier work beside writers). PostgreSQL has its own tools:
`pg_dump --format=custom` and `pg_restore` (see README)."""
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from app.extensions import db


class BackupError(Exception):
    pass


def sqlite_path() -> Path:
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "This database is PostgreSQL: back it up with pg_dump --format=custom and restore "
            "it with pg_restore (see README, Backups).")
    return Path(url.database)


def default_target(folder: Path) -> Path:
    return folder / f"medskapa-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"


def backup(target: Path) -> Path:
    """Write a consistent copy of the live database to `target` (a new file)."""
    source = sqlite_path()
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    target.chmod(0o600)  # it holds what young people wrote
    _check(target)
    return target


def restore(backup_file: Path) -> None:
    """Replace the live database's contents with the backup's, in one step."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist.")
    _check(backup_file)
    target = sqlite_path()
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old pages
    with sqlite3.connect(backup_file) as source, sqlite3.connect(target) as live:
        source.backup(live)


def _check(path: Path) -> None:
    try:
        with sqlite3.connect(path) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute("SELECT count(*) FROM sqlite_master "
                                       "WHERE name = 'alembic_version'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Medskapa database ({exc}).") from None
    if result != "ok" or not has_version:
        raise BackupError(f"{path} is not a sound Medskapa database ({result}).")
