"""The portfolio as CSV (initiatives), XLSX (a sheet each for initiatives, priorities, links
and decisions) and JSON (all of it), for the core team's own reporting."""
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.core.spreadsheets import to_csv, to_xlsx
from app.core.time import utcnow
from app.extensions import db
from app.portfolio import services
from app.portfolio.models import DecisionRound, DecisionVote, PortfolioPriority, PriorityLink

FORMATS = ("csv", "xlsx", "json")


def _names(items, attribute="names") -> str:
    return "; ".join((getattr(i, attribute).get("sv") if attribute == "names" else
                      getattr(i, attribute)) or "" for i in items)


def tables() -> dict[str, list[list]]:
    initiatives = services.initiatives()
    priorities = list(db.session.scalars(select(PortfolioPriority).order_by(
        PortfolioPriority.imported_at, PortfolioPriority.id)))
    by_id = {p.id: p for p in priorities}
    links = list(db.session.scalars(select(PriorityLink).order_by(
        PriorityLink.initiative_id, PriorityLink.priority_id)))
    rounds = list(db.session.scalars(select(DecisionRound).options(
        selectinload(DecisionRound.votes).selectinload(DecisionVote.user)
        .selectinload(User.organisation))  # each vote's row names it
        .order_by(DecisionRound.initiative_id, DecisionRound.opened_at)))
    initiative_uuid = {i.id: i.uuid for i in initiatives}
    linked: dict[int, list[str]] = {}
    for li in links:
        linked.setdefault(li.initiative_id, []).append(by_id[li.priority_id].title.get("sv", ""))
    latest = services.latest_outcomes([i.id for i in initiatives])
    initiative_rows = [["uuid", "title", "description", "kinds", "challenge_areas",
                        "change_potential", "partners", "owner", "status", "starts_on",
                        "ends_on", "youth_priorities", "latest_decision"]]
    for i in initiatives:
        initiative_rows.append([
            i.uuid, i.title.get("sv", ""), i.description.get("sv", ""), _names(i.kinds),
            _names(i.challenge_areas), _names(i.change_potentials),
            _names(i.partners, "name"), i.owner.name if i.owner else "", i.status,
            i.starts_on.isoformat() if i.starts_on else "",
            i.ends_on.isoformat() if i.ends_on else "", "; ".join(linked.get(i.id, [])),
            latest[i.id].outcome or "" if i.id in latest else ""])
    priority_rows = [["uuid", "revision", "title", "organisation", "consultation", "source",
                      "published_at", "imported_at", "linked_initiatives"]]
    for p in priorities:
        priority_rows.append([
            p.uuid, p.revision, p.title.get("sv", ""), p.organisation,
            p.consultation_title.get("sv", ""), p.source,
            p.published_at.isoformat() if p.published_at else "", p.imported_at.isoformat(),
            sum(1 for li in links if li.priority_id == p.id)])
    link_rows = [["priority_uuid", "initiative_uuid", "linked_at"]] + [
        [by_id[li.priority_id].uuid, initiative_uuid.get(li.initiative_id, ""),
         li.created_at.isoformat()] for li in links]
    decision_rows = [["initiative_uuid", "round", "opened_at", "closes_at", "closed_at",
                      "outcome", "voter_organisation", "choice", "changes", "comment"]]
    for r in rounds:
        base = [initiative_uuid.get(r.initiative_id, ""), r.id, r.opened_at.isoformat(),
                r.closes_at.isoformat() if r.closes_at else "",
                r.closed_at.isoformat() if r.closed_at else "", r.outcome or ""]
        if not r.votes:
            decision_rows.append(base + ["", "", "", ""])
        for v in r.votes:
            org = v.user.organisation.name if v.user and v.user.organisation else ""
            decision_rows.append(base + [org, v.choice, v.changes, v.comment])
    return {"initiatives": initiative_rows, "priorities": priority_rows, "links": link_rows,
            "decisions": decision_rows}


def render(fmt: str) -> tuple[bytes | str, str]:
    data = tables()
    if fmt == "csv":
        return to_csv(data["initiatives"]), "text/csv"
    if fmt == "xlsx":
        return to_xlsx(data), ("application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
    as_dicts = {name: [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
                for name, rows in data.items()}
    doc = {"format": "medskapa-portfolio", "version": 1, "exported_at": utcnow().isoformat(),
           **as_dicts}
    return json.dumps(doc, ensure_ascii=False, indent=2), "application/json"
