import hashlib

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import limiter
from app.i18n import current_language
from app.pwa import bp
from app.pwa.static import worker_source

THEME_COLOUR = "#0b5d4b"
BACKGROUND_COLOUR = "#fbfaf7"


@bp.get("/manifest.webmanifest")
@limiter.exempt
def manifest():
    lang = current_language()

    def icon(name, size, purpose="any", mime="image/png"):
        return {"src": url_for("static", filename=f"icons/{name}"), "sizes": size,
                "type": mime, "purpose": purpose}

    body = {
        "name": _("Medskapa – your voice in school"),
        "short_name": "Medskapa",
        "description": _("Give your ideas and opinions, and see what happens with them."),
        "lang": lang.code,
        "dir": "rtl" if lang.rtl else "ltr",
        "start_url": "/?source=pwa",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            icon("icon.svg", "any", mime="image/svg+xml"),
            icon("icon-192.png", "192x192"),
            icon("icon-512.png", "512x512"),
            icon("icon-maskable-512.png", "512x512", purpose="maskable"),
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.headers["Vary"] = "Cookie, Accept-Language"
    return response


@bp.get("/sw.js")
@limiter.exempt
def service_worker():
    source = worker_source()
    response = current_app.response_class(source, mimetype="text/javascript")
    # The browser must always check for a new worker, so updates ship at once; the ETag
    # makes that check an empty 304 while nothing changed (weak: it names the text whatever
    # the encoding, so Flask-Compress leaves it as it is).
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(source.encode()).hexdigest()[:20], weak=True)
    response.make_conditional(request)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
@limiter.exempt
def offline():
    return render_template("pwa/offline.html")
