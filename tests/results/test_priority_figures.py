"""The figures frozen with a youth priority, which travel to the portfolio, the API and
other servers' imports: no small group can be worked out from them."""
from app.extensions import db
from app.participate.models import AgeBand, Contribution, Participant, Vote
from app.results import priorities
from tests import factories


def test_one_small_age_band_behind_a_priority_is_hidden_with_the_next_smallest(app_ctx):
    """By age, only cells under five were hidden: with the others shown, the authors and
    agreeing voters (supporters + agree) minus the cells shown gave the small one back."""
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    idea_question, statement = kinds["idea"][1], kinds["statement"][1]
    bands = list(AgeBand)
    people = {bands[0]: 8, bands[1]: 6, bands[2]: 2}
    author = Participant(device_hash="author", consultation_id=demo.id, language="sv",
                         age_band=bands[0], consent_version="1")
    db.session.add(author)
    db.session.flush()
    idea = Contribution(participant_id=author.id, question_id=idea_question.id, text="Bänkar",
                        language="sv", status="approved", client_key="k")
    db.session.add(idea)
    db.session.flush()
    n = 0
    for band, count in people.items():
        for _ in range(count - (band == bands[0])):
            n += 1
            voter = Participant(device_hash=f"p{n}", consultation_id=demo.id, language="sv",
                                age_band=band, consent_version="1")
            db.session.add(voter)
            db.session.flush()
            db.session.add(Vote(participant_id=voter.id, question_id=statement.id,
                                   contribution_id=idea.id, value=1))
    db.session.flush()
    leader = factories.user(organisation=demo.organisation)
    priority = priorities.save(leader, demo, None, title={"sv": "Bänkar"}, summary={},
                               idea_ids=[idea.id])
    by_age = priorities.figures(priority)["by_age"]
    assert by_age[bands[2].value] is None  # 2: too few
    assert by_age[bands[1].value] is None  # 6, hidden with it: 15 backers − 8 would give 2
    assert by_age[bands[0].value] == 8
