"""Reading JSON request bodies: a body nested too deeply to read is malformed JSON.

Python's JSON parser raises RecursionError (not ValueError) on thousands of nested brackets,
which Werkzeug's get_json() does not catch, so `request.get_json(silent=True)` answered 500
instead of None; as a ValueError it is what every other broken body is."""
from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
