"""Catalog helpers for `make translations` and the catalog tests.

    python translations/tools.py fill-source   # English catalog = the source strings
"""
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


if __name__ == "__main__":
    if sys.argv[1:] == ["fill-source"]:
        fill_source()
    else:
        sys.exit(__doc__)
