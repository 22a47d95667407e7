"""Fill a database with a demo coalition. Every step is get-or-create, so running it twice
changes nothing."""
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import User
from app.coalition.models import Area, ChallengeArea, Organisation, Sector
from app.consultations.models import Consultation, Moderation, Option, Question, Status
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
    if not consultation.questions:
        _questions(consultation)
    return consultation


def _t(sv: str, en: str, ar: str) -> dict:
    return {"sv": sv, "en": en, "ar": ar}


def _questions(consultation: Consultation) -> None:
    """One question of every kind, about what the seeds' coalition works on."""
    idea = Question(kind="idea", position=1, prompt=_t(
        "Vad skulle göra din skolgård bättre?",
        "What would make your schoolyard better?",
        "ما الذي سيجعل ساحة مدرستك أفضل؟"),
        help=_t("Skriv en idé i taget. Du kan skriva flera.",
                "Write one idea at a time. You can write several.",
                "اكتب فكرة واحدة في كل مرة. يمكنك كتابة عدة أفكار."))
    consultation.questions.append(idea)
    db.session.flush()
    statements = Question(kind="statement", position=2, prompt=_t(
        "Håller du med?", "Do you agree?", "هل توافق؟"),
        help=_t("Tryck på det som passar dig bäst. Du kan hoppa över.",
                "Tap what fits you best. You can pass.",
                "اضغط على ما يناسبك أكثر. يمكنك التخطي."),
        settings={"source_question_id": idea.id})
    statements.options = [Option(position=i, text=text) for i, text in enumerate([
        _t("Det finns en vuxen i skolan som jag kan prata med när något är jobbigt.",
           "There is an adult at school I can talk to when something is hard.",
           "يوجد شخص بالغ في المدرسة يمكنني التحدث إليه عندما يكون شيء ما صعبًا."),
        _t("Läxhjälp efter skolan skulle hjälpa mig.",
           "Homework help after school would help me.",
           "المساعدة في الواجبات بعد المدرسة ستساعدني."),
        _t("Ingen ska behöva skämmas för att plugga.",
           "Nobody should have to feel ashamed of studying.",
           "لا ينبغي أن يخجل أحد من الدراسة."),
        _t("Jag läser böcker på min fritid.",
           "I read books in my free time.",
           "أقرأ الكتب في وقت فراغي."),
    ])]
    rank = Question(kind="rank", position=3, prompt=_t(
        "Vad ska koalitionen satsa på först?",
        "What should the coalition do first?",
        "ما الذي يجب أن يبدأ به التحالف أولًا؟"),
        settings={"mode": "order", "top_n": 3})
    rank.options = [Option(position=i, text=text) for i, text in enumerate([
        _t("Läxhjälp efter skolan", "Homework help after school",
           "المساعدة في الواجبات بعد المدرسة"),
        _t("Fler trygga vuxna på rasterna", "More safe adults during breaks",
           "المزيد من البالغين الآمنين أثناء الاستراحات"),
        _t("En skolgård där man kan lära sig och leka", "A schoolyard to learn and play in",
           "ساحة مدرسة للتعلم واللعب"),
        _t("Läsning på fritidsgården", "Reading at the youth club", "القراءة في النادي الشبابي"),
        _t("Workshops mot antipluggkultur", "Workshops against anti-study culture",
           "ورش عمل ضد ثقافة رفض الدراسة"),
    ])]
    word = Question(kind="word", position=4, prompt=_t(
        "Ett ord om hur det känns att gå till skolan",
        "One word for how it feels to go to school",
        "كلمة واحدة عن شعورك عند الذهاب إلى المدرسة"))
    scale = Question(kind="scale", position=5, prompt=_t(
        "Hur trygg känner du dig i skolan?", "How safe do you feel at school?",
        "ما مدى شعورك بالأمان في المدرسة؟"))
    choice = Question(kind="choice", position=6, prompt=_t(
        "Var skulle du vilja få läxhjälp?", "Where would you like to get homework help?",
        "أين تود أن تحصل على المساعدة في الواجبات؟"),
        help=_t("Välj så många du vill.", "Choose as many as you like.", "اختر ما تشاء."),
        settings={"multiple": True})
    choice.options = [Option(position=i, text=text) for i, text in enumerate([
        _t("I skolan", "At school", "في المدرسة"),
        _t("På biblioteket", "At the library", "في المكتبة"),
        _t("På fritidsgården", "At the youth club", "في النادي الشبابي"),
        _t("På nätet", "Online", "عبر الإنترنت"),
    ])]
    consultation.questions.extend([statements, rank, word, scale, choice])
