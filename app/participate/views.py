from flask import render_template

from app.participate import bp


@bp.get("/")
def index():
    return render_template("participate/index.html")
