"""JSON catalogs for the browser: the messages of ``static/js``, per locale.

Built from the compiled catalog the server loaded, so the browser and the
server always agree, and named by content hash so they can be cached forever.

>>> import gettext
>>> catalog = build(gettext.NullTranslations(), "nplurals=2; plural=(n != 1);",
...                 [(None, "Hello", None)])
>>> json.loads(catalog.body)
{'messages': {}, 'plural': '(n != 1)'}
>>> catalog.name.startswith("messages.") and catalog.name.endswith(".json")
True
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os

import polib

from website.i18n import plural_forms

__all__ = ["JsCatalog", "build", "js_messages", "JS_SOURCE_PREFIX"]

JS_SOURCE_PREFIX = "static/js/"
_SEPARATOR = "\x04"

Message = tuple  # (context or None, msgid, msgid_plural or None)


@dataclasses.dataclass(frozen=True)
class JsCatalog:
    name: str  # messages.<hash>.json
    body: bytes


def js_messages(template_path: str) -> tuple[Message, ...]:
    """The messages of ``messages.pot`` that occur in ``static/js``."""
    return _js_messages(template_path, _mtime(template_path))


@functools.lru_cache(maxsize=8)
def _js_messages(template_path: str, _mtime_key: int) -> tuple[Message, ...]:
    try:
        template = polib.pofile(template_path)
    except (OSError, ValueError):
        return ()
    return tuple(
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        for entry in template
        if any(path.startswith(JS_SOURCE_PREFIX) for path, _line in entry.occurrences)
    )


def build(translations, plural_header: str, messages) -> JsCatalog:
    """The JSON catalog of ``messages`` from a :class:`gettext.GNUTranslations`.

    Untranslated messages are left out: the browser falls back to the source.
    """
    nplurals, _ = plural_forms.parse_header(plural_header)
    expression = plural_header.split("plural=", 1)[1].strip().rstrip(";").strip()
    table = getattr(translations, "_catalog", {})  # GNUTranslations keeps its messages here
    found: dict[str, object] = {}
    for context, msgid, msgid_plural in messages:
        key = f"{context}{_SEPARATOR}{msgid}" if context else msgid
        if msgid_plural:
            forms = [table.get((key, index), "") for index in range(nplurals)]
            if all(forms):
                found[key] = forms
        elif table.get(key):
            found[key] = table[key]
    body = json.dumps(
        {"plural": expression, "messages": found}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:16]
    return JsCatalog(f"messages.{digest}.json", body)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1
