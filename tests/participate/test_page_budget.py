"""Participant pages stay small for cheap phones on weak school wifi."""
from bench.page_sizes import BUDGET, page_weight, participant_pages
from tests import factories
from tests.participate.helpers import join


def test_every_participant_page_fits_the_budget(client, app, app_ctx):
    consultation = factories.demo()
    welcome = page_weight(app.test_client(), f"/j/{consultation.join_code}")
    assert sum(welcome.values()) <= BUDGET, welcome
    join(client)
    for path in participant_pages(consultation):
        sizes = page_weight(client, path)
        assert sum(sizes.values()) <= BUDGET, (path, sizes)


def test_the_budget_check_measures_real_bytes(client, app_ctx):
    sizes = page_weight(client, "/")
    stylesheet = next(url for url in sizes if url.split("?")[0].endswith(".css"))
    assert sizes["/"] > 500 and sizes[stylesheet] > 500
    # What the app sends compressed, not the plain files.
    assert sizes["/"] < len(client.get("/").get_data()) / 2
    assert sizes[stylesheet] < len(client.get(stylesheet).get_data()) / 2
