from flask import current_app, render_template

from app.about import bp


@bp.get("/privacy")
def privacy():
    return render_template("about/privacy.html", config=current_app.config)


@bp.get("/accessibility")
def accessibility():
    return render_template("about/accessibility.html", config=current_app.config)
