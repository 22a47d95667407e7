"""Commands: `flask --app wsgi users create-admin …` and `flask --app wsgi demo`."""
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
    except DomainError:
        raise click.ClickException(f"There is already an account for {email}.") from None
    db.session.commit()
    click.echo(f"Created administrator {email}.")


@click.command("demo")
@click.option("--password", help="Password for the demo staff (default: a random one, printed).")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database has data already.")
def demo(password, if_empty):
    """Fill the database with a demo coalition (safe to run twice)."""
    from app.demo import services

    if if_empty and not services.is_empty():
        click.echo("The database has data already; demo data not loaded.")
        return
    password = password or secrets.token_urlsafe(12)
    made = services.load(password)
    db.session.commit()
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    click.echo(f"Demo data loaded. Staff logins (password: {password}):")
    for email in made["staff"]:
        click.echo(f"  {email}")
    click.echo(f"Join link for participants: {base}/j/{made['consultation'].join_code}")


def register(app) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
