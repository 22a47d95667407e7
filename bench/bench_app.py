"""The app plus a trivial endpoint, served together so the baseline runs on the same server."""
from wsgi import app


@app.get("/bench/hello")
def hello():
    return "hello"
