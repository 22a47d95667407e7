"""Fill a database with a demo coalition. Every step is get-or-create, so running it twice
changes nothing."""
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import User
from app.coalition.models import Area, ChallengeArea, Organisation, Sector
from app.consultations.models import Consultation, Moderation, Status
from app.core.roles import Role
from app.extensions import db

ORGANISATIONS = [
    ("Malmö stad", Sector.PUBLIC),
    ("Örebro kommun", Sector.PUBLIC),
    ("Region Örebro län", Sector.PUBLIC),
    ("Länsstyrelsen Skåne", Sector.PUBLIC),
    ("Rädda Barnen", Sector.CIVIL_SOCIETY),
    ("Trans- och Tjejjouren Malmö", Sector.CIVIL_SOCIETY),
    ("Malmö universitet", Sector.ACADEMIA),
    ("Örebro universitet", Sector.ACADEMIA),
    ("Öresundskraft Bygg AB", Sector.BUSINESS),
]

# municipality → district → schools and youth clubs
AREAS = {
    "Malmö": {
        "Rosengård": [("Ängsskolan", "school"), ("Fritidsgården Vågen", "club")],
        "Sofielund": [("Sofielunds skola", "school"), ("Läxhjälpen på biblioteket", "club")],
    },
    "Örebro": {
        "Vivalla": [("Vivallaskolan", "school"), ("Ungdomens hus", "club")],
        "Brickebacken": [("Brickebackens skola", "school")],
    },
}

CHALLENGE_AREAS = [
    ("health", {"sv": "Hälsa", "en": "Health", "ar": "الصحة"}),
    ("equal_conditions", {"sv": "Jämlika förhållanden", "en": "Equal conditions",
                          "ar": "ظروف متساوية"}),
    ("safety", {"sv": "Trygghet", "en": "Safety", "ar": "الأمان"}),
    ("collaboration_innovation", {"sv": "Samverkan och innovation",
                                  "en": "Collaboration and innovation",
                                  "ar": "التعاون والابتكار"}),
]

STAFF = [
    ("admin@example.org", Role.ADMIN, "Rädda Barnen"),
    ("leader@example.org", Role.YOUTH_LEADER, "Rädda Barnen"),
    ("core@example.org", Role.CORE_TEAM, "Malmö stad"),
]

DEMO_CODE = "DEMO01"


def is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def load(password: str) -> dict:
    """Create the demo coalition; returns what was made, for the command to print."""
    orgs = {name: accounts.get_or_create_organisation(name, sector)
            for name, sector in ORGANISATIONS}
    areas = _areas()
    _challenge_areas()
    for email, role, org_name in STAFF:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            accounts.create_user(email=email, role=role, organisation=orgs[org_name],
                                 password=password)
    consultation = _consultation(orgs["Rädda Barnen"], areas)
    db.session.flush()
    return {"consultation": consultation, "staff": [email for email, _, _ in STAFF]}


def _area(name: str, kind: str, parent: Area | None) -> Area:
    parent_id = parent.id if parent else None
    area = db.session.scalar(select(Area).where(Area.name == name, Area.parent_id == parent_id
                                                if parent else Area.parent_id.is_(None)))
    if area is None:
        area = Area(name=name, kind=kind, parent=parent)
        db.session.add(area)
        db.session.flush()
    return area


def _areas() -> list[Area]:
    leaves = []
    for municipality, districts in AREAS.items():
        top = _area(municipality, "municipality", None)
        for district, places in districts.items():
            mid = _area(district, "district", top)
            leaves += [_area(name, kind, mid) for name, kind in places]
    return leaves


def _challenge_areas() -> None:
    for position, (key, names) in enumerate(CHALLENGE_AREAS):
        if db.session.scalar(select(ChallengeArea).where(ChallengeArea.key == key)) is None:
            db.session.add(ChallengeArea(key=key, names=names, position=position))
    db.session.flush()


def _consultation(org: Organisation, areas: list[Area]) -> Consultation:
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.join_code == DEMO_CODE)
    )
    if consultation is None:
        consultation = Consultation(
            organisation=org,
            join_code=DEMO_CODE,
            status=Status.OPEN,
            moderation=Moderation.PRE,
            title={"sv": "Hur blir skolan bättre för dig?",
                   "en": "How can school get better for you?",
                   "ar": "كيف يمكن أن تصبح المدرسة أفضل لك؟"},
            intro={"sv": "Koalitionen för jämlik skolgång vill veta vad du tycker om skolgården, "
                         "läxhjälp, trygga vuxna och läsning. Dina svar hjälper oss att välja "
                         "vad vi gör nästa år.",
                   "en": "The coalition for equal schooling wants to know what you think about "
                         "the schoolyard, homework help, safe adults and reading. Your answers "
                         "help us choose what we do next year.",
                   "ar": "يريد التحالف من أجل تعليم متكافئ أن يعرف رأيك في ساحة المدرسة "
                         "والمساعدة في الواجبات والبالغين الآمنين والقراءة. إجاباتك تساعدنا "
                         "على اختيار ما نفعله في العام القادم."},
        )
        consultation.areas = [a for a in areas if a.kind in ("school", "club")]
        consultation.challenge_areas = list(db.session.scalars(select(ChallengeArea)))
        db.session.add(consultation)
    return consultation
