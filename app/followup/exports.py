"""The follow-up figures as CSV, one row per term, for the core team's own reports. Cells a
spreadsheet would run as a formula (a place named "=…") are neutralised by to_csv."""
from app.core.spreadsheets import to_csv
from app.followup.services import FollowUp

HEADER = ["term", "area", "consultations_held", "participants", "places_reached",
          "places_total", "places_not_reached", "published_priorities", "imported",
          "imported_share", "linked_to_initiative", "linked_share", "with_decision",
          "decision_share", "median_days_to_feedback", "consultations_with_feedback",
          "waiting_for_feedback"]


def _share(value: float | None):
    return "" if value is None else round(value, 4)


def rows(data: FollowUp, all_areas: str) -> list[list]:
    """Newest term first, as on the page. `all_areas` names the whole coalition."""
    area = data.area.label if data.area else all_areas
    table = [HEADER]
    for r in data.rows:
        table.append([
            r.term.name, area, r.consultations, r.participants, r.areas_reached,
            r.areas_total, "; ".join(r.not_reached), r.published, r.imported,
            _share(r.imported_share), r.linked, _share(r.linked_share), r.decided,
            _share(r.decided_share), "" if r.median_days is None else r.median_days,
            r.measured, r.waiting])
    return table


def to_csv_bytes(data: FollowUp, all_areas: str) -> bytes:
    return to_csv(rows(data, all_areas))
