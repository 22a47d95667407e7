"""Moderation: screening new texts, the queue, and what a youth leader does with an item.

Services take the acting user and plain values, never commit, and raise domain errors."""
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload

from app.audit.services import record
from app.consultations.access import may_edit, visible_consultations
from app.consultations.models import Consultation, Moderation, Question
from app.core.errors import Conflict, DomainError, Forbidden
from app.core.text import clean_text
from app.core.time import utcnow
from app.extensions import db
from app.moderate.models import Theme
from app.participate.models import Contribution, ContributionStatus, Vote

HIDE_REASONS = ("duplicate", "personal", "off_topic", "unkind", "other")
# A text with a safeguarding flag is closed with this once the organisation's
# child-protection routine has been followed: the young person reads that a youth leader read
# it, not a reason for refusing it.
HANDLED = "safeguarding"
# A page of the queue: what a leader handles in one sitting, quick to load on a phone; the next
# ones come as these are handled.
QUEUE_LIMIT = 50
BULK_MAX = 4 * QUEUE_LIMIT  # texts one bulk action changes: a page's, with room to spare
THEME_MAX = 80  # characters of a theme name (the queue's fields stop typing there)
FILTERS = ("pending", "approved", "hidden", "all")


class ActionRefused(DomainError):
    """`code` says why: safeguarding, safeguarding_merge, reason, theme, theme_text,
    theme_long, merge_target, text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- screening a new text ----------------------------------------------------------------

def screen(text: str, language: str) -> list[dict]:
    """Automatic flags for a new text, as stored on the contribution."""
    from app.moderate import flags

    return [{"category": f.category, "kind": f.kind, "excerpt": f.excerpt}
            for f in flags.detect(text, language)]


def initial_status(found: list[dict], moderation: str) -> str:
    """Pre-moderation waits for a leader; post-moderation publishes at once unless a flag
    was raised: a flagged text is never published automatically."""
    if moderation == Moderation.POST and not found:
        return ContributionStatus.APPROVED
    return ContributionStatus.PENDING


def is_safeguarding(found: list[dict]) -> bool:
    return any(f["category"] == "safeguarding" for f in found)


# --- the queue ------------------------------------------------------------------------------

@dataclass
class QueueCounts:
    pending: int = 0
    approved: int = 0
    hidden: int = 0
    safeguarding: int = 0


def _consultations(user, consultation_id: int | None):
    consultations = visible_consultations(user).with_only_columns(Consultation.id)
    if consultation_id is not None:
        consultations = consultations.where(Consultation.id == consultation_id)
    return consultations


def _scope(user, consultation_id: int | None):
    return (select(Contribution).join(Question, Contribution.question_id == Question.id)
            .where(Question.consultation_id.in_(_consultations(user, consultation_id)),
                   Contribution.merged_into_id.is_(None)))


def queue(user, consultation_id: int | None = None, status: str = "pending",
          limit: int = QUEUE_LIMIT) -> list[Contribution]:
    """Safeguarding concerns first, then what waits for a leader, oldest first."""
    query = _scope(user, consultation_id).options(
        joinedload(Contribution.question).joinedload(Question.consultation),
        joinedload(Contribution.theme),
    )
    if status == "pending":
        # Concerns, then the rest: each in the order of ix_contributions_status_safeguarding_
        # created, so the database reads the first `limit` instead of sorting all that wait.
        found: list[Contribution] = []
        for concern in (True, False):
            found += db.session.scalars(
                query.where(Contribution.status == ContributionStatus.PENDING,
                            Contribution.safeguarding.is_(concern))
                .order_by(Contribution.created_at, Contribution.id).limit(limit - len(found)))
            if len(found) >= limit:
                break
        return found
    if status == "approved":
        query = query.where(Contribution.status == ContributionStatus.APPROVED)
    elif status == "hidden":
        query = query.where(Contribution.status.in_(
            [ContributionStatus.HIDDEN, ContributionStatus.REJECTED]))
    pending_first = case((Contribution.status == ContributionStatus.PENDING, 0), else_=1)
    query = query.order_by(Contribution.safeguarding.desc(), pending_first,
                           Contribution.created_at, Contribution.id).limit(limit)
    return list(db.session.scalars(query))


def counts(user, consultation_id: int | None = None) -> QueueCounts:
    # Merged texts have their own status, which is not counted: no need to test
    # merged_into_id, so ix_contributions_question_id answers this from the index alone.
    questions = select(Question.id).where(
        Question.consultation_id.in_(_consultations(user, consultation_id)))
    rows = db.session.execute(
        select(Contribution.status, func.count(),
               func.sum(case((Contribution.safeguarding, 1), else_=0)))
        .where(Contribution.question_id.in_(questions))
        .group_by(Contribution.status)).all()
    result = QueueCounts()
    for status, n, safeguarding in rows:
        if status == ContributionStatus.PENDING:
            result.pending = n
            result.safeguarding = int(safeguarding or 0)
        elif status == ContributionStatus.APPROVED:
            result.approved = n
        elif status in (ContributionStatus.HIDDEN, ContributionStatus.REJECTED):
            result.hidden += n
    return result


def themes(consultation_ids: list[int]) -> dict[int, list[Theme]]:
    result: dict[int, list[Theme]] = {cid: [] for cid in consultation_ids}
    for theme in db.session.scalars(select(Theme).where(Theme.consultation_id.in_(
            consultation_ids)).order_by(Theme.name)):
        result[theme.consultation_id].append(theme)
    return result


def merge_candidates(contribution: Contribution) -> list[Contribution]:
    """Other live texts of the same question that this one could be merged into: published
    ones first, then those still waiting; never one with a safeguarding flag (it is never
    published, and it is not an idea to gather votes)."""
    return list(db.session.scalars(
        select(Contribution).where(
            Contribution.question_id == contribution.question_id,
            Contribution.id != contribution.id,
            Contribution.merged_into_id.is_(None),
            Contribution.safeguarding.is_(False),
            Contribution.status.in_([ContributionStatus.APPROVED, ContributionStatus.PENDING]),
        ).order_by(Contribution.status, Contribution.created_at).limit(QUEUE_LIMIT)))


def supporters(contribution_ids: list[int]) -> dict[int, int]:
    """How many texts were merged into each: its author plus theirs support it."""
    if not contribution_ids:
        return {}
    rows = db.session.execute(
        select(Contribution.merged_into_id, func.count())
        .where(Contribution.merged_into_id.in_(contribution_ids))
        .group_by(Contribution.merged_into_id)).all()
    merged = dict(rows)
    return {cid: 1 + merged.get(cid, 0) for cid in contribution_ids}


# --- acting on an item ----------------------------------------------------------------------

def item_for(user, contribution_id: int) -> Contribution | None:
    """The contribution if it belongs to a consultation this user may see."""
    return db.session.scalar(
        _scope(user, None).where(Contribution.id == contribution_id)
        .options(joinedload(Contribution.question).joinedload(Question.consultation)))


def merged_into(user, contribution_id: int) -> Contribution | None:
    """For a text this user may see that has been merged: the idea it was merged into (the
    queue and its actions no longer know the merged text). None for anything else, so
    another organisation's text stays unconfirmed."""
    merged = select(Contribution.merged_into_id).join(
        Question, Contribution.question_id == Question.id).where(
        Contribution.id == contribution_id, Contribution.merged_into_id.is_not(None),
        Question.consultation_id.in_(_consultations(user, None)))
    return db.session.scalar(select(Contribution).where(Contribution.id == merged.scalar_subquery())
                             .options(joinedload(Contribution.question)))


def _check(user, contribution: Contribution, version: int | None) -> None:
    if not may_edit(user, contribution.question.consultation):
        raise Forbidden()
    if version is not None and contribution.version != version:
        raise Conflict()


def _done(user, contribution: Contribution, action: str, **details) -> None:
    contribution.moderated_at = utcnow()
    contribution.moderated_by_id = user.id
    record(f"contribution.{action}", actor=user, obj=contribution, **details)


def approve(user, contribution: Contribution, *, version: int | None) -> None:
    _check(user, contribution, version)
    if contribution.safeguarding:
        raise ActionRefused("safeguarding")  # never published, whatever the setting
    before = contribution.status
    contribution.status = ContributionStatus.APPROVED
    contribution.hidden_reason = None
    _done(user, contribution, "approved", before=before)


def hide(user, contribution: Contribution, *, reason: str, version: int | None) -> None:
    _check(user, contribution, version)
    if reason not in HIDE_REASONS and not (reason == HANDLED and contribution.safeguarding):
        raise ActionRefused("reason")
    before = contribution.status
    contribution.status = ContributionStatus.HIDDEN
    contribution.hidden_reason = reason
    _done(user, contribution, "hidden", before=before, reason=reason)


def redact(user, contribution: Contribution, *, text: str, version: int | None) -> str:
    """Edit out a part (e.g. a name). The participant sees the redacted text; the original
    is kept only in the audit log, for admins, until the retention period ends. Returns
    "redacted", or "unchanged" for the same text."""
    _check(user, contribution, version)
    from app.core.text import TextError

    try:
        new_text = clean_text(text, max_length=len(contribution.text) + 50)
    except TextError as exc:
        raise ActionRefused("text_hidden" if exc.code in ("control", "bidi") else "text") \
            from None
    if new_text == contribution.text:
        return "unchanged"
    original = contribution.text
    contribution.text = new_text
    contribution.redacted = True
    _done(user, contribution, "redacted", before=original, after=new_text,
          holds_original_text=True)
    return "redacted"


TRANSLATION_MAX = 600


def translate(user, contribution: Contribution, *, language: str, text: str,
              version: int | None) -> None:
    """Add (or, with an empty text, remove) a translation so peers who read another language
    can vote on the idea. The original stays as it was."""
    from app.i18n import LANGUAGES

    _check(user, contribution, version)
    if language not in LANGUAGES or language == contribution.language:
        raise ActionRefused("language")
    translations = dict(contribution.translations or {})
    if text.strip():
        from app.core.text import TextError

        try:
            translations[language] = clean_text(text, max_length=TRANSLATION_MAX)
        except TextError:
            raise ActionRefused("translation_text") from None
    else:
        translations.pop(language, None)
    contribution.translations = translations
    _done(user, contribution, "translated", language=language)


def set_language(user, contribution: Contribution, *, language: str,
                 version: int | None) -> None:
    """Correct the language a text is written in. It is recorded as the language of the
    phone's pages, and a child may write in another one (Arabic on Swedish pages)."""
    from app.i18n import LANGUAGES

    _check(user, contribution, version)
    if language not in LANGUAGES:
        raise ActionRefused("language_unknown")
    if language == contribution.language:
        return
    translations = dict(contribution.translations or {})
    translations.pop(language, None)  # the text itself is in that language now
    before = contribution.language
    contribution.language, contribution.translations = language, translations
    _done(user, contribution, "language_set", before=before, language=language)


def set_theme(user, contribution: Contribution, *, theme_id: int | None, new_theme: str,
              version: int | None, may_clear: bool = True) -> Theme | None:
    """Put the text in a theme (a new one by name, or an existing one by id), or take it
    out of its theme (neither, when `may_clear`: the queue's "No theme")."""
    _check(user, contribution, version)
    consultation_id = contribution.question.consultation_id
    theme = None
    name = " ".join((new_theme or "").split())
    if len(name) > THEME_MAX:  # the page stops typing there: only a tampered form is longer
        raise ActionRefused("theme_long")
    if name:
        from app.core.text import TextError

        try:  # a theme name is one clean line: selects, exports and the projector show it
            name = clean_text(name, max_length=THEME_MAX, multiline=False)
        except TextError as exc:
            if exc.code != "empty":
                raise ActionRefused("theme_text") from None
            name = ""  # only invisible characters: no new theme
    if name:
        theme = db.session.scalar(select(Theme).where(Theme.consultation_id == consultation_id,
                                                      Theme.name == name))
        if theme is None:
            theme = Theme(consultation_id=consultation_id, name=name)
            db.session.add(theme)
            db.session.flush()
            record("theme.created", actor=user, obj=theme, name=name)
    elif theme_id:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.consultation_id != consultation_id:
            raise ActionRefused("theme")
    if theme is None and (not may_clear or contribution.theme_id is None):
        # Set theme with nothing chosen or typed: there is nothing to do, and in bulk it
        # would take every selected text out of its theme.
        raise ActionRefused("theme")
    before = contribution.theme_id
    contribution.theme = theme
    _done(user, contribution, "themed", before=before, after=theme.id if theme else None)
    return theme


def merge(user, contribution: Contribution, *, into_id: int, version: int | None) -> None:
    """Merge a duplicate into another idea of the same question: its votes move to the kept
    idea (one per participant: a vote already on the kept idea wins), its author counts as a
    supporter of the kept one, and it points to it."""
    _check(user, contribution, version)
    if contribution.safeguarding:
        # Merged, it would leave the queue and its notice before the routine was followed.
        raise ActionRefused("safeguarding_merge")
    target = db.session.get(Contribution, into_id)
    if (target is None or target.id == contribution.id
            or target.question_id != contribution.question_id
            or target.merged_into_id is not None
            or target.status not in (ContributionStatus.APPROVED, ContributionStatus.PENDING)):
        raise ActionRefused("merge_target")
    already = select(Vote.participant_id).where(Vote.contribution_id == target.id)
    db.session.execute(
        update(Vote).where(Vote.contribution_id == contribution.id,
                           Vote.participant_id.not_in(already),
                           Vote.participant_id != target.participant_id)
        .values(contribution_id=target.id))
    db.session.execute(Vote.__table__.delete().where(Vote.contribution_id == contribution.id))
    # Texts merged into this one follow it to the kept idea.
    for child in db.session.scalars(select(Contribution).where(
            Contribution.merged_into_id == contribution.id)):
        child.merged_into_id = target.id
    _priorities_follow(contribution, target)
    before = contribution.status
    contribution.status = ContributionStatus.MERGED
    contribution.merged_into_id = target.id
    _done(user, contribution, "merged", before=before, into=target.id)


def _priorities_follow(contribution: Contribution, target: Contribution) -> None:
    """A youth priority that stood on the duplicate stands on the kept idea instead: the
    priority's form offers only published ideas, so a merged one would drop out of it at the
    next save, unseen, and its author's journey follows the kept idea."""
    from app.results.models import priority_contributions as links

    has_target = select(links.c.priority_id).where(links.c.contribution_id == target.id)
    db.session.execute(links.insert().from_select(
        ["priority_id", "contribution_id"],
        select(links.c.priority_id, target.id).where(
            links.c.contribution_id == contribution.id, links.c.priority_id.not_in(has_target))))
    db.session.execute(links.delete().where(links.c.contribution_id == contribution.id))


ACTIONS = {"approve", "hide", "theme"}


@dataclass
class BulkResult:
    done: int = 0
    already_handled: int = 0
    refused: int = 0
    safeguarding: int = 0  # of the refused: texts about a child who may not be safe


def bulk(user, items: list[tuple[int, int | None]], action: str, *, reason: str = "",
         theme_id: int | None = None, new_theme: str = "") -> BulkResult:
    """Apply one action to many items; items someone else changed meanwhile are skipped
    and counted, never overwritten."""
    if action not in ACTIONS:
        raise ActionRefused("action")
    result = BulkResult()
    # Each item costs a few queries. A queue page holds QUEUE_LIMIT texts; a form with tens
    # of thousands of ids (or one id many times) held a worker for a minute: each id once,
    # and those beyond BULK_MAX are refused, untouched.
    versions: dict[int, int | None] = {}
    for contribution_id, version in items:
        versions.setdefault(contribution_id, version)
    result.refused += max(0, len(versions) - BULK_MAX)
    for contribution_id, version in list(versions.items())[:BULK_MAX]:
        contribution = item_for(user, contribution_id)
        if contribution is None:
            result.refused += 1
            continue
        try:
            if action == "approve":
                approve(user, contribution, version=version)
            elif action == "hide":
                hide(user, contribution, reason=reason, version=version)
            else:
                # A new theme's name, not its id, goes to the next items: they join the
                # same theme, or in another consultation (the queue of all of them) one of
                # that name there, since a theme belongs to one consultation.
                set_theme(user, contribution, theme_id=theme_id, new_theme=new_theme,
                          version=version, may_clear=False)
            result.done += 1
        except Conflict:
            result.already_handled += 1
        except Forbidden:
            result.refused += 1
        except ActionRefused as exc:
            if exc.code in ("reason", "theme", "theme_text", "theme_long"):
                raise
            result.refused += 1
            result.safeguarding += exc.code == "safeguarding"
    return result
