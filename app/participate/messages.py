"""The words for what went wrong with an answer, in the participant's language."""
from flask_babel import gettext as _


def error_message(code: str, params: dict) -> str:
    limit = params.get("limit")
    messages = {
        "empty": _("Please write something first."),
        "too_long": _("That is a bit too long. You can write at most %(limit)s characters.",
                      limit=limit),
        "control": _("The text has a hidden character we cannot save. Please type it again."),
        "bidi": _("The text has a hidden character that changes the writing direction. "
                  "Please type it again."),
        "not_one_line": _("Please write just one word or a few words, on one line."),
        "missing_key": _("Something went wrong. Please send it again."),
        "choose": _("Please choose one of the answers."),
        "choose_one": _("Please choose at least one answer."),
        "only_one": _("Please choose only one answer."),
        "gone": _("That answer is no longer available. Please choose again."),
        "twice": _("You chose the same thing twice. Choose something else for this place."),
        "gap": _("Please fill the places in order, starting with number 1."),
        "number": _("Please write a number."),
        "dots_none": _("Put at least one of your %(n)s dots on something.", n=params.get("n")),
        "dots_too_many": _("You used %(used)s dots but have %(n)s. Take some away.",
                           used=params.get("used"), n=params.get("n")),
    }
    return messages.get(code, _("Something went wrong. Please send it again."))


def hidden_reason_message(code: str | None) -> str:
    """Why a text was not published, told kindly to the young person who wrote it."""
    return {
        "duplicate": _("Someone had already written a similar idea."),
        "personal": _("It had personal information in it, like a name or a phone number."),
        "off_topic": _("It was not about this question."),
        "unkind": _("It could make someone sad or hurt."),
        "safeguarding": _("A youth leader has read it. It is not shown to the others."),
    }.get(code or "", _("A youth leader decided not to publish it."))
