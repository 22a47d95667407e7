from flask import jsonify

from app.extensions import csrf, limiter
from app.health import bp
from app.health.services import database_ok


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    ok = database_ok()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "down"}
    return jsonify(body), 200 if ok else 503
