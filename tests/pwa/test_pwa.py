def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest?lang=en")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == "Medskapa – your voice in school"
    assert manifest["short_name"] == "Medskapa"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable"),
            ("any", "any")} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_manifest_speaks_the_users_language(client):
    manifest = client.get("/manifest.webmanifest?lang=ar").get_json()
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert manifest["name"].startswith("ميدسكابا")


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "/offline" in response.get_data(as_text=True)


def test_offline_page_in_the_users_language(client):
    html = client.get("/offline?lang=en").get_data(as_text=True)
    assert "You are offline" in html
