"""Results and priorities as tables for a leader's own reporting, written as CSV and XLSX by
app/core/spreadsheets.py (which also keeps cells from running as formulas). The same
suppression of small groups as on the page."""
from app.i18n import localized
from app.results import priorities as priority_service
from app.results import services

AGE_LABELS = {"-12": "≤12", "13-15": "13-15", "16-19": "16-19", "20-": "20+"}


def sheets(consultation, locale: str) -> dict[str, list[list]]:
    results_rows = [["question", "kind", "item", "answers", "share", "score", "agree",
                     "disagree", "pass", "agreement_lower_bound", "removed"]]
    for result in services.consultation_results(consultation):
        prompt = localized(result.question.prompt, locale)
        gone = "question" if result.question.archived_at else ""
        for item in result.items:
            text = localized(item.text, locale) if isinstance(item.text, dict) else item.text
            s = item.statement
            results_rows.append([
                prompt, result.question.kind, text, item.count, round(item.share, 4),
                round(item.score, 4), s.agree if s else "", s.disagree if s else "",
                s.passed if s else "", round(s.agreement, 4) if s else "",
                gone or ("option" if item.removed else "")])
        for word, count in result.words:
            results_rows.append([prompt, result.question.kind, word, count, "", "", "", "", "",
                                 "", gone])
        for idea in result.ideas:
            results_rows.append([prompt, result.question.kind, idea.text, "", "", "", "", "",
                                 "", "", gone])
    equity_rows = [["dimension", "group", "participants", "answered"]]
    for dimension in ("age", "area"):
        for row in services.equity(consultation, dimension):
            equity_rows.append([
                dimension,
                (AGE_LABELS.get(row.label, row.label) if dimension == "age" else row.label)
                or "not said",
                row.participants if row.participants is not None
                else "hidden" if row.hidden_too else f"<{services.MIN_GROUP}",
                row.answered if row.answered is not None
                else "hidden" if row.hidden_too else f"<{services.MIN_GROUP}"])
    priority_rows = [["uuid", "rank", "title", "summary", "status", "version", "participants",
                      "supporters", "agree", "disagree", "agreement_lower_bound"]]
    for p in priority_service.for_consultation(consultation.id):
        f = p.figures or {}

        def shown(key, figures=f):
            value = figures.get(key)
            return f"<{services.MIN_GROUP}" if value is None and key in figures else value

        priority_rows.append([p.uuid, p.position, localized(p.title, locale),
                              localized(p.summary, locale), p.status, p.revision,
                              f.get("participants", ""), shown("supporters"), shown("agree"),
                              shown("disagree"), f.get("agreement", "")])
    return {"results": results_rows, "equity": equity_rows, "priorities": priority_rows}

