"""What the benchmarks serve with gunicorn (`gunicorn bench.bench_app:app`): the app exactly
as wsgi.py builds it, next to a trivial Flask app at /__hello/, the baseline served by the
same server. Never part of the real app."""
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wsgi import app as medskapa

hello = Flask("hello")


@hello.get("/")
def index():
    return "hello"


app = DispatcherMiddleware(medskapa, {"/__hello": hello})
