"""Commands: users, demo, backup/restore, retention and push (`flask --app wsgi --help`)."""
import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

users = AppGroup("users", help="Staff accounts.")


@users.command("create-admin")
@click.argument("email")
@click.option("--password", help="The password (prompted for if not given).")
@click.option("--organisation", default="Koalitionen", show_default=True,
              help="The organisation the admin belongs to (created if missing).")
def create_admin(email, password, organisation):
    """Create the first administrator."""
    from app.accounts import services as accounts
    from app.core.errors import DomainError
    from app.core.roles import Role

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        org = accounts.get_or_create_organisation(organisation)
        accounts.create_user(email=email, role=Role.ADMIN, organisation=org, password=password)
    except accounts.PasswordTooShort:
        raise click.ClickException(
            f"The password must have at least {accounts.MIN_PASSWORD_LENGTH} characters."
        ) from None
    except accounts.PasswordTooCommon:
        raise click.ClickException(
            "That password is on the list of passwords people guess first; choose another."
        ) from None
    except DomainError:
        raise click.ClickException(f"There is already an account for {email}.") from None
    db.session.commit()
    click.echo(f"Created administrator {email}.")


@click.command("demo")
@click.option("--password", help="Password for the demo staff (default: a random one, printed).")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database has data already.")
@click.option("--with-answers", is_flag=True,
              help="Let a class of demo phones answer the demo consultation.")
def demo(password, if_empty, with_answers):
    """Fill the database with a demo coalition (safe to run twice)."""
    from app.demo import services

    if if_empty and not services.is_empty():
        click.echo("The database has data already; demo data not loaded.")
        return
    password = password or secrets.token_urlsafe(12)
    made = services.load(password)
    phones = services.answers(made["consultation"]) if with_answers else 0
    db.session.commit()
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    click.echo(f"Demo data loaded. Staff logins (password: {password}):")
    for email in made["staff"]:
        click.echo(f"  {email}")
    click.echo(f"Join link for participants: {base}/j/{made['consultation'].join_code}")
    if phones:
        click.echo(f"{phones} demo phones answered; some ideas wait in the moderation queue.")


@click.command("backup")
@click.argument("target", required=False, type=click.Path(dir_okay=False))
def backup(target):
    """Write a consistent copy of the SQLite database (default: instance/backups/)."""
    from pathlib import Path

    from app.backup import services

    try:
        path = services.backup(Path(target) if target else services.default_target(
            Path(current_app.instance_path) / "backups"))
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(backup_file, yes):
    """Replace the database's contents with a backup made by `flask backup`."""
    from pathlib import Path

    from app.backup import services

    if not yes:
        click.confirm("Everything written since that backup will be lost. Restore?", abort=True)
    try:
        services.restore(Path(backup_file))
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored from {backup_file}")


retention = AppGroup("retention", help="Deleting raw answers when their time is up.")


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def retention_run(dry_run):
    """Apply every consultation's retention setting, and forget the create forms' used
    tokens after two days (safe to run daily from cron)."""
    from app.core import once
    from app.retention import services

    if dry_run:
        for consultation in services.due():
            click.echo(f"due: consultation {consultation.id} ({consultation.join_code})")
        click.echo(f"due: {once.forgettable()} used form tokens")
        return
    done = services.apply()
    forgotten = once.forget()
    db.session.commit()
    for consultation, participants in done:
        click.echo(f"consultation {consultation.id} ({consultation.join_code}): raw answers "
                   f"of {participants} participants deleted, results archived")
    click.echo(f"{len(done)} consultations handled.")
    click.echo(f"{forgotten} used form tokens forgotten.")


push = AppGroup("push", help="Web Push: keys and the worker that sends queued notifications.")


@push.command("init")
def push_init():
    """Create the VAPID key pair once, in the instance folder (kept if it exists)."""
    from app.push import services

    if current_app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("VAPID keys come from the environment; nothing written.")
        return
    keys, created = services.init_keys(current_app.instance_path)
    where = f"{current_app.instance_path}/{services.KEY_FILE}"
    click.echo(("Created VAPID keys in " if created else "VAPID keys exist already in ") + where)
    click.echo(f"Public key: {keys.public}")


@push.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then stop (cron, tests).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def push_worker(once, interval):
    """Send queued notifications, with retries and back-off."""
    import time

    from app.push import worker

    try:
        while True:
            report = worker.run_once(current_app)
            if report.sent or report.gone or report.failed or once:
                click.echo(f"sent {report.sent}, retry later {report.retry}, "
                           f"subscriptions removed {report.gone}, failed {report.failed}")
            for error in report.errors:
                click.echo(f"  {error}", err=True)
            if once:
                return
            time.sleep(interval)
    except worker.NotConfigured:
        raise click.ClickException(
            "No VAPID keys: run `flask --app wsgi push init` or set VAPID_PRIVATE_KEY "
            "and VAPID_PUBLIC_KEY.") from None
    except KeyboardInterrupt:
        click.echo("stopped")


def register(app) -> None:
    app.cli.add_command(push)
    app.cli.add_command(retention)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
