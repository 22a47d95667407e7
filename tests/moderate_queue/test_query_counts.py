"""The moderation queue sends as many queries with a handful of texts as with forty more
(themed, flagged, merged, over several consultations)."""
import pytest
from sqlalchemy import select

from app.consultations.services import duplicate
from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.querycount import assert_flat, crowd


def _merge_some(consultation_id: int, count: int) -> None:
    """Mark `count` waiting texts as duplicates merged into a published one."""
    ideas = db.session.scalars(select(Contribution).join(Contribution.question).where(
        Contribution.status == "approved", Contribution.merged_into_id.is_(None),
        Contribution.question.has(consultation_id=consultation_id, kind="idea"))
        .order_by(Contribution.id)).all()
    kept, duplicates = ideas[0], ideas[1:count + 1]
    for dup in duplicates:
        dup.status, dup.merged_into_id = "merged", kept.id
    db.session.commit()


@pytest.mark.parametrize("status", ["pending", "approved", "hidden", "all"])
@pytest.mark.parametrize("scope", ["all", "one"])
def test_queue_does_not_grow_with_texts(client, app_ctx, login_as, scope, status):
    demo = factories.demo()
    leader = login_as("youth_leader", organisation=demo.organisation)
    crowd(demo, 3, tag="few")
    _merge_some(demo.id, 1)
    path = "/moderate/" if scope == "all" else f"/moderate/c/{demo.id}"

    def page():
        assert client.get(f"{path}?status={status}").status_code == 200

    def grow():
        crowd(demo, 40)
        _merge_some(demo.id, 5)
        other = duplicate(leader, demo)  # a second consultation of the same organisation
        db.session.commit()
        crowd(other, 40, tag="other")

    page()
    assert_flat(page, grow)
