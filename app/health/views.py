from flask import current_app, jsonify

from app.extensions import csrf, limiter
from app.health import bp
from app.health.services import health


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    """200 while the database answers (status "ok", or "degraded" when Redis does not);
    503 when it does not. Point the load balancer's health check here."""
    body, serving = health(current_app.config.get("REDIS_URL"))
    response = jsonify(body)
    response.status_code = 200 if serving else 503
    response.headers["Cache-Control"] = "no-store"
    return response
