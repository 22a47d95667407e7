"""The follow-up page and its CSV. The core team, youth leaders and admins read it: it holds
aggregates only, never a child's words, so leaders may see the coalition-wide figures too."""
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from app.core.roles import Role, role_required
from app.core.text import whole_number
from app.followup import bp, exports, services, svg
from app.followup.services import Term

READERS = (Role.CORE_TEAM, Role.YOUTH_LEADER)


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def term_label(term: Term) -> str:
    if term.half == 1:
        return _("Spring %(year)s", year=term.year)
    return _("Autumn %(year)s", year=term.year)


def _asked_terms() -> tuple[Term, Term] | None:
    """?terms=VT2025-HT2026 (inclusive), or one term: ?terms=VT2026. Empty: the default."""
    raw = request.args.get("terms", "").strip()
    if not raw:
        return None
    first, _sep, last = raw.partition("-")
    start, end = Term.parse(first), Term.parse(last or first)
    if start is None or end is None:
        abort(400)
    return start, end


def _asked_area() -> int | None:
    raw = request.args.get("area", "").strip()
    if not raw:
        return None
    if (area_id := whole_number(raw)) is None:
        abort(404)
    return area_id


def _figures() -> services.FollowUp:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return services.follow_up(zone, area_id=_asked_area(), terms=_asked_terms())


@bp.get("/portfolio/follow-up")
@role_required(*READERS)
def index():
    data = _figures()
    asked = _asked_terms()
    return render_template(
        "followup/index.html", data=data, chart=svg.trend(data.trend), series=svg.SERIES,
        colours={"bar": svg.BAR_FILL, "grid": svg.GRID, "text": svg.TEXT},
        term_label=term_label, term_options=_term_options(data, asked),
        asked_terms=f"{asked[0].key}-{asked[1].key}" if asked else "",
        default_terms=services.DEFAULT_TERMS,
        csv_args={k: v for k in ("area", "terms") if (v := request.args.get(k))})


def _term_options(data: services.FollowUp, asked) -> list[tuple[str, str]]:
    """(value, label) for the terms menu, after its default: all terms, then school years."""
    options = []
    if data.terms_with_data:
        first, last = data.terms_with_data[0], data.terms_with_data[-1]
        options.append((f"{first.key}-{last.key}", _(
            "All terms (%(first)s to %(last)s)", first=term_label(first),
            last=term_label(last))))
    for autumn, spring in services.school_years(data.terms_with_data):
        if f"{autumn.key}-{spring.key}" not in {value for value, _label in options}:
            options.append((f"{autumn.key}-{spring.key}", _(
                "School year %(years)s", years=f"{autumn.year}/{spring.year % 100:02d}")))
    if asked and f"{asked[0].key}-{asked[1].key}" not in {value for value, _label in options}:
        options.insert(0, (f"{asked[0].key}-{asked[1].key}", _(
            "%(first)s to %(last)s", first=term_label(asked[0]), last=term_label(asked[1]))))
    return options


@bp.get("/portfolio/follow-up.csv")
@role_required(*READERS)
def export_csv():
    data = _figures()
    name = f"medskapa-follow-up-{data.area.id}" if data.area else "medskapa-follow-up"
    response = current_app.response_class(
        exports.to_csv_bytes(data, _("The whole coalition")), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
