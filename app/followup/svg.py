"""The trend chart's geometry, for a server-drawn SVG: participants as bars, the three shares
of youth priorities as lines. Only numbers here; the template adds the words, and the colours
are SVG presentation attributes (the CSP allows those, not style attributes)."""
import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 56, 16, 36  # room for the axes' labels

# (row attribute, stroke colour, dash pattern, marker) — told apart without colour too.
SERIES = (
    ("imported_share", "#0b5d4b", "", "circle"),
    ("linked_share", "#b3541e", "6 4", "square"),
    ("decided_share", "#4b3a8f", "2 3", "diamond"),
)
BAR_FILL = "#cfe3dc"
GRID = "#d8d4ca"
TEXT = "#3d3d3d"


@dataclass
class Slot:
    term: object
    x: float  # centre
    bar: tuple[float, float, float, float]  # x, y, width, height
    participants: int


@dataclass
class Line:
    name: str
    colour: str
    dash: str
    marker: str
    segments: list[list[tuple[float, float]]] = field(default_factory=list)  # None breaks it

    def path(self, segment) -> str:
        return " ".join(f"{x},{y}" for x, y in segment)

    @property
    def points(self) -> list[tuple[float, float]]:
        return [p for segment in self.segments for p in segment]


@dataclass
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float  # y of the baseline
    slots: list[Slot]
    lines: list[Line]
    share_ticks: list[tuple[float, float]]  # (y, share)
    count_ticks: list[tuple[float, int]]  # (y, participants)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above value (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def trend(rows) -> Chart:
    """rows: TermRow-like objects, oldest first."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot_w = plot_w / max(len(rows), 1)
    top_count = nice_ceiling(max((r.participants for r in rows), default=0))

    def y_share(share: float) -> float:
        return round(base - share * plot_h, 1)

    slots = []
    for i, row in enumerate(rows):
        centre = LEFT + slot_w * (i + 0.5)
        height = row.participants / top_count * plot_h
        width = min(slot_w * 0.5, 48)
        slots.append(Slot(row.term, round(centre, 1),
                          (round(centre - width / 2, 1), round(base - height, 1),
                           round(width, 1), round(height, 1)), row.participants))
    lines = []
    for index, (name, colour, dash, marker) in enumerate(SERIES):
        line = Line(name, colour, dash, marker)
        nudge = (index - 1) * 5  # equal shares would hide each other's markers
        segment: list[tuple[float, float]] = []
        for slot, row in zip(slots, rows, strict=True):
            share = getattr(row, name)
            if share is None:
                if segment:
                    line.segments.append(segment)
                segment = []
            else:
                segment.append((slot.x + nudge, y_share(share)))
        if segment:
            line.segments.append(segment)
        lines.append(line)
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, base, slots, lines,
                 share_ticks=[(y_share(s), s) for s in (0.0, 0.5, 1.0)],
                 count_ticks=[(round(base - f * plot_h, 1), int(top_count * f))
                              for f in (0.0, 0.5, 1.0)
                              if f == 0 or (top_count * f).is_integer()])
