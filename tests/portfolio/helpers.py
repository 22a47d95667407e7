"""Making youth priorities and initiatives for portfolio tests."""
from app.consultations.models import Consultation, Status
from app.extensions import db
from app.portfolio.models import Initiative
from app.results import priorities
from app.results.models import Priority
from tests import factories


def published_priorities(titles=("Gröna skolgårdar", "Läxhjälp"), organisation=None,
                         code="PRIO01") -> tuple[Consultation, list[Priority]]:
    org = organisation or factories.organisation()
    consultation = Consultation(organisation=org, join_code=code, status=Status.CLOSED,
                                title={"sv": f"Samråd {code}", "en": f"Consultation {code}"})
    db.session.add(consultation)
    db.session.flush()
    leader = factories.user(organisation=org)
    made = []
    for position, title in enumerate(titles, start=1):
        priority = Priority(consultation_id=consultation.id, position=position,
                            title={"sv": title, "ar": "عنوان " + title},
                            summary={"sv": f"Om {title.lower()}."})
        db.session.add(priority)
        db.session.flush()
        priorities.publish(leader, priority)
        made.append(priority)
    db.session.flush()
    return consultation, made


def initiative(title: str = "Pedagogiska skolgårdar", **kwargs) -> Initiative:
    found = Initiative(title={"sv": title}, **kwargs)
    db.session.add(found)
    db.session.flush()
    return found
