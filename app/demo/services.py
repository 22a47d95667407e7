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
    _priorities(consultation)
    _portfolio()
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


# --- youth priorities and the portfolio -----------------------------------------------------

PRIORITIES = [
    ({"sv": "Gröna och trygga skolgårdar", "en": "Green and safe schoolyards",
      "ar": "ساحات مدرسية خضراء وآمنة"},
     {"sv": "Fler träd, platser att sitta och vuxna ute på rasterna.",
      "en": "More trees, places to sit and adults outside at break time.",
      "ar": "المزيد من الأشجار وأماكن للجلوس وبالغين في الخارج أثناء الاستراحة."}),
    ({"sv": "Läxhjälp nära där vi bor", "en": "Homework help close to where we live",
      "ar": "مساعدة في الواجبات قريبة من مكان سكننا"},
     {"sv": "Läxhjälp på fritidsgården och biblioteket, också på helger.",
      "en": "Homework help at the youth club and the library, also at weekends.",
      "ar": "مساعدة في الواجبات في النادي الشبابي والمكتبة، في عطلة نهاية الأسبوع أيضًا."}),
    ({"sv": "Bli lyssnad på av lärare", "en": "Be listened to by teachers",
      "ar": "أن يستمع إلينا المعلمون"},
     {"sv": "Elever vill vara med och bestämma hur undervisningen görs.",
      "en": "Students want a say in how teaching is done.",
      "ar": "يريد الطلاب المشاركة في تقرير طريقة التدريس."}),
]


def _priorities(consultation: Consultation) -> None:
    """Three published youth priorities, so the portfolio has something to import."""
    from app.results import priorities
    from app.results.models import Priority

    if db.session.scalar(select(Priority.id).where(
            Priority.consultation_id == consultation.id).limit(1)):
        return
    leader = db.session.scalar(select(User).where(User.email == "leader@example.org"))
    for position, (title, summary) in enumerate(PRIORITIES, start=1):
        priority = Priority(consultation_id=consultation.id, position=position, title=title,
                            summary=summary)
        db.session.add(priority)
        db.session.flush()
        priorities.publish(leader, priority)


KINDS = [
    ("pilot", {"sv": "Pilot", "en": "Pilot", "ar": "مشروع تجريبي"}),
    ("lab", {"sv": "Labb", "en": "Lab", "ar": "مختبر"}),
    ("education", {"sv": "Utbildning", "en": "Education", "ar": "تعليم"}),
    ("funding_application", {"sv": "Ansökan", "en": "Funding application", "ar": "طلب تمويل"}),
    ("forum", {"sv": "Forum", "en": "Forum", "ar": "منتدى"}),
]
POTENTIALS = {
    "safety": {"sv": "Trygghet", "en": "Safety"},
    "long_term_health": {"sv": "Långsiktig hälsa", "en": "Long-term health"},
    "integration": {"sv": "Integration", "en": "Integration"},
    "dreams": {"sv": "Drömmar om framtiden", "en": "Dreams of the future"},
    "creativity": {"sv": "Kreativitet", "en": "Creativity"},
    "generations": {"sv": "Relationer mellan generationer",
                    "en": "Relations between generations"},
    "civic_engagement": {"sv": "Samhällsengagemang", "en": "Civic engagement"},
    "innovation": {"sv": "Ökad innovation", "en": "More innovation"},
    "courage": {"sv": "Mod", "en": "Courage"},
    "trust": {"sv": "Tillit", "en": "Trust"},
    "cooperation": {"sv": "Samarbete", "en": "Cooperation"},
    "concentration": {"sv": "Koncentration", "en": "Concentration"},
    "sustainability": {"sv": "Hållbarhet", "en": "Sustainability"},
    "health": {"sv": "Hälsa", "en": "Health"},
    "learning": {"sv": "Lärande", "en": "Learning"},
    "renewal": {"sv": "Förnyelse", "en": "Renewal"},
}
# The seeds' portfolio (Samhällskontraktet): title, kinds, change potential, partners,
# challenge areas.
INITIATIVES = [
    ({"sv": "Sparks Generation", "en": "Sparks Generation"}, ["pilot"],
     ["safety", "long_term_health", "integration", "dreams", "creativity", "generations",
      "civic_engagement"],
     [("Västerås stad", Sector.PUBLIC), ("Sparks Generation", Sector.CIVIL_SOCIETY),
      ("Kultur- och idrottsföreningar", Sector.CIVIL_SOCIETY)],
     ["safety", "health"]),
    ({"sv": "Innovationsförmåga i skolan", "en": "Innovation capacity in school"},
     ["education"], ["innovation"],
     [("Mälardalens universitet (MDU)", Sector.ACADEMIA),
      ("Barn- och ungdomsförvaltningen i Eskilstuna", Sector.PUBLIC)],
     ["collaboration_innovation"]),
    ({"sv": "Pedagogiska skolgårdar", "en": "Pedagogical schoolyards"}, ["lab", "pilot"],
     ["long_term_health", "courage", "trust", "cooperation", "creativity", "concentration",
      "integration", "sustainability"],
     [("Naturskolan Västerås", Sector.PUBLIC), ("Drömfabriken i Skultuna", Sector.CIVIL_SOCIETY),
      ("Arkitekt och landskapsarkitekt", Sector.BUSINESS), ("NCC", Sector.BUSINESS)],
     ["health", "equal_conditions"]),
    ({"sv": "Nya mätinstrument", "en": "New measurement instruments"},
     ["funding_application"], ["health", "learning", "renewal"],
     [("Mälardalens universitet (MDU)", Sector.ACADEMIA),
      ("Zetterbergs gymnasium", Sector.PUBLIC), ("Vinnova", Sector.PUBLIC)],
     ["equal_conditions", "collaboration_innovation"]),
]


def _portfolio() -> None:
    from app.portfolio.models import Initiative, InitiativeStatus, Vocabulary
    from app.portfolio.services import get_or_create_term

    kinds = {key: get_or_create_term(Vocabulary.KIND, key, names, position)
             for position, (key, names) in enumerate(KINDS)}
    potentials = {key: get_or_create_term(Vocabulary.CHANGE_POTENTIAL, key, names, position)
                  for position, (key, names) in enumerate(POTENTIALS.items())}
    areas = {a.key: a for a in db.session.scalars(select(ChallengeArea))}
    owner = db.session.scalar(select(Organisation).where(Organisation.name == "Malmö stad"))
    existing = {i.title.get("sv") for i in db.session.scalars(select(Initiative))}
    for title, kind_keys, potential_keys, partners, area_keys in INITIATIVES:
        if title["sv"] in existing:
            continue
        initiative = Initiative(title=title, status=InitiativeStatus.PROPOSED, owner=owner)
        initiative.terms = [kinds[k] for k in kind_keys] + [potentials[k] for k in potential_keys]
        initiative.partners = [accounts.get_or_create_organisation(name, sector)
                               for name, sector in partners]
        initiative.challenge_areas = [areas[k] for k in area_keys]
        db.session.add(initiative)
    db.session.flush()


# --- answers from a class of phones (`flask demo --with-answers`, used by `make run`) ---------

# (text, language): what a class might write; the first ones are published, the rest wait in
# the moderation queue, so a youth leader trying Medskapa has something to moderate.
IDEAS = [
    ("Fler bänkar och tak så man kan sitta ute när det regnar", "sv"),
    ("Träd och buskar, det är bara asfalt nu", "sv"),
    ("En plats där man kan vara ifred", "sv"),
    ("Basketkorgar som inte är trasiga", "sv"),
    ("مكان للعب كرة القدم للبنات أيضًا", "ar"),
    ("Odla grönsaker tillsammans på skolgården", "sv"),
    ("Vuxna ute på rasterna som man kan prata med", "sv"),
    ("Goob lagu fadhiisto oo hoos ah", "so"),
    ("Fler papperskorgar så det blir rent", "sv"),
    ("Ett utomhusklassrum med tak", "sv"),
    ("More places to charge phones", "en"),
    ("Ring mig på 070-123 45 67 om läxhjälpen", "sv"),  # flagged: a phone number
]
WORDS = ["Tryggt", "Stressigt", "Roligt", "Tråkigt", "Bra", "Tryggt", "Roligt", "Okej"]
DEMO_PHONES = 36
PUBLISHED_IDEAS = 9


def answers(consultation: Consultation, phones: int = DEMO_PHONES) -> int:
    """A class of phones answers every question through the app's own services, so the
    results, the opinion groups, the live view and the moderation queue show something.
    Only into a demo consultation nobody has joined yet; returns how many phones joined."""
    import random

    from app.moderate import services as moderate
    from app.participate import services as participate
    from app.participate.models import Contribution, Participant

    if db.session.scalar(select(Participant.id).where(
            Participant.consultation_id == consultation.id).limit(1)):
        return 0
    pick = random.Random(2026)  # the same class every time
    leader = db.session.scalar(select(User).where(User.email == "leader@example.org"))
    questions = {q.kind: q for q in consultation.active_questions()}
    bands = ["-12", "13-15", "13-15", "16-19", None]
    areas = [a.id for a in consultation.areas]
    people = []
    for n in range(phones):
        language = pick.choice(["sv"] * 6 + ["ar", "so", "en"])
        people.append(participate.join(
            consultation, f"demo-phone-{n}", language=language, age_band=pick.choice(bands),
            area_id=pick.choice(areas) if areas else None))
    # Ideas first: the statement question puts the published ones to the others.
    for n, (text, language) in enumerate(IDEAS):
        participate.submit_answer(people[n % phones], questions["idea"],
                                  {"text": [text], "client_key": [f"demo-idea-{n}"]},
                                  language=language)
    ideas = list(db.session.scalars(select(Contribution).where(
        Contribution.question_id == questions["idea"].id).order_by(Contribution.id)))
    for idea in ideas[:PUBLISHED_IDEAS]:
        moderate.approve(leader, idea, version=None)
    statements = [f"o{o.id}" for o in questions["statement"].options] + [
        f"c{idea.id}" for idea in ideas[:PUBLISHED_IDEAS]]
    ranked = [o.id for o in questions["rank"].options]
    chosen = [o.id for o in questions["choice"].options]
    for n, person in enumerate(people):
        leaning = pick.random()  # some agree with most things, some with few
        participate.submit_answer(person, questions["statement"], {
            f"s_{key}": [pick.choices(["agree", "disagree", "pass"],
                               [leaning + 0.2, 1.1 - leaning, 0.15])[0]]
            for key in statements if key == statements[0] or pick.random() < 0.8})
        order = sorted(ranked, key=lambda option: pick.random() - 0.12 * ranked.index(option))
        participate.submit_answer(person, questions["rank"], {
            f"place_{place}": [str(option)] for place, option in enumerate(order[:3], 1)})
        participate.submit_answer(person, questions["word"], {
            "text": [pick.choice(WORDS)], "client_key": [f"demo-word-{n}"]})
        participate.submit_answer(person, questions["scale"], {
            "value": [str(pick.choices([1, 2, 3, 4, 5], [1, 2, 4, 6, 4])[0])]})
        participate.submit_answer(person, questions["choice"], {
            "option": [str(o) for o in pick.sample(chosen, pick.randint(1, 2))]})
    for word in db.session.scalars(select(Contribution).where(
            Contribution.question_id == questions["word"].id,
            Contribution.status == "pending", Contribution.safeguarding.is_(False))):
        moderate.approve(leader, word, version=None)
    db.session.flush()
    return phones
