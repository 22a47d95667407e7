"""Words for flags and hide reasons, in the reader's language."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

HIDE_REASON_LABELS = {
    "duplicate": _l("A similar idea is already there"),
    "personal": _l("It had personal information in it"),
    "off_topic": _l("It was not about this question"),
    "unkind": _l("It could hurt someone"),
    "other": _l("Another reason"),
}
# Shown as the reason of a safeguarding text closed with "Handled"; never offered for others.
HANDLED_LABEL = _l("Handled under the child-protection routine")


def flag_message(flag: dict) -> str:
    excerpt = flag.get("excerpt", "")
    messages = {
        "personnummer": _("Looks like a personal identity number: %(excerpt)s", excerpt=excerpt),
        "coordination_number": _("Looks like a coordination number: %(excerpt)s",
                                 excerpt=excerpt),
        "phone": _("Looks like a phone number: %(excerpt)s", excerpt=excerpt),
        "email": _("Looks like an e-mail address: %(excerpt)s", excerpt=excerpt),
        "url": _("Contains a web address: %(excerpt)s", excerpt=excerpt),
        "address": _("Looks like a street address: %(excerpt)s", excerpt=excerpt),
        "name": _("Looks like a name: %(excerpt)s", excerpt=excerpt),
        "profanity": _("Contains a swear word or slur: %(excerpt)s", excerpt=excerpt),
        "safeguarding": _("May be about a child who is not safe: %(excerpt)s",
                          excerpt=excerpt),
    }
    return messages.get(flag.get("kind"), _("Flagged: %(excerpt)s", excerpt=excerpt))


def refusal_message(code: str) -> str:
    from app.moderate.services import THEME_MAX, TRANSLATION_MAX

    return {
        "safeguarding": _("A text about a child who may not be safe is never published. "
                          "Follow your organisation's child-protection routine."),
        "reason": _("Choose a reason for hiding it."),
        "theme": _("Choose a theme or write a new one."),
        "theme_text": _("The theme name has a hidden character that cannot be saved. "
                        "Type it again."),
        "theme_long": _("A theme name can be at most %(n)s characters.", n=THEME_MAX),
        "safeguarding_merge": _("A text about a child who may not be safe cannot be merged "
                                "into another idea. Follow your organisation's "
                                "child-protection routine, then mark it as handled."),
        "merge_target": _("Choose another idea from the same question to merge into."),
        "text": _("The edited text cannot be empty or too long."),
        "text_hidden": _("The text has a hidden character we cannot save. Please type it again."),
        "translation_text": _("The translation can be at most %(n)s characters, without hidden "
                              "characters.", n=TRANSLATION_MAX),
        "action": _("Choose what to do."),
        "language": _("Choose another language than the one it was written in."),
        "language_unknown": _("Choose a language from the list."),
    }.get(code, _("That did not work"))
