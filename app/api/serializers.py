"""The JSON shape of each object the API lists. app/api/openapi.py describes the same shapes;
tests validate real responses against it, so change both together."""
from datetime import date, datetime

from app.coalition.models import Organisation

# The figures a priority may carry (docs/medskapa-priorities.schema.json).
FIGURES = ("participants", "ideas", "supporters", "agree", "disagree", "agreement", "by_age")


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 in UTC, to the second: 2025-05-01T09:30:00Z."""
    if value is None:
        return None
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def texts(value: dict | None) -> dict:
    """A multilingual text {lang: text}, without languages left empty."""
    return {code: text for code, text in (value or {}).items() if text}


def organisation(org: Organisation | None) -> dict | None:
    return None if org is None else {"name": org.name, "sector": org.sector}


def term(item) -> dict:
    """A kind, change potential or challenge area: a stable key and its names."""
    return {"key": item.key, "names": texts(item.names)}


def priority(p) -> dict:
    return {
        "id": p.uuid,
        "revision": p.revision,
        "position": p.position,
        "title": texts(p.title),
        "summary": texts(p.summary),
        "consultation_title": texts(p.consultation_title),
        "organisation": p.organisation,
        "challenge_areas": list(p.challenge_areas or []),
        "figures": {k: v for k, v in (p.figures or {}).items() if k in FIGURES},
        "source": p.source,
        "published_at": timestamp(p.published_at),
        "consultation_closed_at": timestamp(p.consultation_closed_at),
        "imported_at": timestamp(p.imported_at),
        "updated_at": timestamp(p.updated_at),
    }


def initiative(i) -> dict:
    return {
        "id": i.uuid,
        "title": texts(i.title),
        "description": texts(i.description),
        "status": i.status,
        "owner": organisation(i.owner),
        "kinds": [term(t) for t in i.kinds],
        "change_potentials": [term(t) for t in i.change_potentials],
        "challenge_areas": [term(c) for c in i.challenge_areas],
        "partners": [organisation(o) for o in i.partners],
        "starts_on": day(i.starts_on),
        "ends_on": day(i.ends_on),
        "created_at": timestamp(i.created_at),
        "updated_at": timestamp(i.updated_at),
    }


def link(row) -> dict:
    priority_uuid, initiative_uuid, created_at = row
    return {"priority": priority_uuid, "initiative": initiative_uuid,
            "created_at": timestamp(created_at)}


def vote(v) -> dict:
    # Who voted is personal data; the voter's organisation is what the coalition decides by.
    return {
        "choice": v.choice,
        "changes": v.changes,
        "comment": v.comment,
        "organisation": organisation(v.user.organisation if v.user else None),
        "updated_at": timestamp(v.updated_at),
    }


def decision(r) -> dict:
    return {
        "id": r.id,
        "initiative": r.initiative.uuid,
        "proposal": r.proposal,
        "status": "closed" if r.closed_at else "open",
        "opened_at": timestamp(r.opened_at),
        "closes_at": timestamp(r.closes_at),
        "closed_at": timestamp(r.closed_at),
        "outcome": r.outcome,
        "votes": [vote(v) for v in r.votes],
    }


def feedback(f) -> dict:
    return {
        "id": f.uuid,
        "title": texts(f.title),
        "body": texts(f.body),
        "initiative": f.initiative.uuid if f.initiative else None,
        "consultations": [{"title": texts(c.title), "organisation": c.organisation.name}
                          for c in f.consultations],
        "published_at": timestamp(f.published_at),
    }
