"""Catalog helpers for `make translations` and the catalog tests.

    python translations/tools.py fill-source            # English catalog = the source strings
    python translations/tools.py missing LANG > todo.json  # untranslated messages, as JSON
    python translations/tools.py apply LANG done.json      # put translations from JSON in

The JSON is a list of {"id": English, "plural": English plural or null, "string": the
translation (a list of one string per plural form for plural messages)}, so a translator
can work on just what is missing, with any editor.
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "en"  # msgids are written in English


def catalog_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / "messages.po"


def fill_source() -> None:
    """The English catalog translates each message to itself, so English is complete."""
    path = catalog_path(SOURCE_LANGUAGE)
    with path.open("rb") as f:
        catalog = read_po(f, locale=SOURCE_LANGUAGE)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = (message.id[0],) + (message.id[1],) * (len(message.string) - 1)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True, sort_output=True)


def _read(lang: str):
    with catalog_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def _write(lang: str, catalog) -> None:
    with catalog_path(lang).open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True, sort_output=True)


def _untranslated(message) -> bool:
    if isinstance(message.string, tuple):
        return not all(message.string)
    return not message.string


def missing(lang: str) -> list[dict]:
    catalog = _read(lang)
    out = []
    for message in catalog:
        if not message.id or not (_untranslated(message) or "fuzzy" in message.flags):
            continue
        plural = isinstance(message.id, tuple)
        out.append({"id": message.id[0] if plural else message.id,
                    "context": message.context,  # pgettext's: the same words, another use
                    "plural": message.id[1] if plural else None,
                    "forms": catalog.num_plurals if plural else 1,
                    "string": [""] * catalog.num_plurals if plural else ""})
    return out


def apply(lang: str, entries: list[dict]) -> int:
    catalog = _read(lang)
    done = 0
    for entry in entries:
        key = (entry["id"], entry["plural"]) if entry.get("plural") else entry["id"]
        message = catalog.get(key, context=entry.get("context"))
        if message is None or not entry.get("string"):
            continue
        string = entry["string"]
        if isinstance(message.id, tuple):
            if not isinstance(string, list) or len(string) != catalog.num_plurals:
                raise SystemExit(f"{entry['id']!r}: needs {catalog.num_plurals} plural forms")
            message.string = tuple(string)
        else:
            message.string = string if isinstance(string, str) else string[0]
        message.flags.discard("fuzzy")
        done += 1
    _write(lang, catalog)
    return done


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["fill-source"]:
        fill_source()
    elif len(args) == 2 and args[0] == "missing":
        json.dump(missing(args[1]), sys.stdout, ensure_ascii=False, indent=1)
    elif len(args) == 3 and args[0] == "apply":
        with open(args[2], encoding="utf-8") as f:
            print(f"{apply(args[1], json.load(f))} messages translated")
    else:
        sys.exit(__doc__)
