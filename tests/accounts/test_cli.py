from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


def test_create_admin_command(app, app_ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "Boss@Example.org",
                                 "--password", "a good long password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.role == "admin" and user.organisation.name == "Koalitionen"

    again = runner.invoke(args=["users", "create-admin", "boss@example.org",
                                "--password", "a good long password"])
    assert again.exit_code != 0 and "already an account" in again.output


def test_create_admin_refuses_a_short_password(app, app_ctx):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "a@example.org",
                                                "--password", "short"])
    assert result.exit_code != 0 and "at least 12" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_prompts_for_the_password(app, app_ctx):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "p@example.org"],
        input="prompted password 1\nprompted password 1\n")
    assert result.exit_code == 0, result.output
