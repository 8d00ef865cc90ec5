"""JSON catalogs for the browser: the messages of ``static/js``, per locale.

Built from the compiled catalog the server loaded, so the browser and the
server always agree, and named by content hash so they can be cached forever.
Which messages occur in ``static/js`` is recorded by ``make compile`` in each
catalog's verdict (:mod:`website.i18n.verdicts`): the server never parses
``messages.pot``.

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
import hashlib
import json

from website import library_internals
from website.i18n import plural_forms

__all__ = ["JsCatalog", "build", "JS_SOURCE_PREFIX"]

JS_SOURCE_PREFIX = "static/js/"
_SEPARATOR = "\x04"

Message = tuple  # (context or None, msgid, msgid_plural or None)


@dataclasses.dataclass(frozen=True)
class JsCatalog:
    name: str  # messages.<hash>.json
    body: bytes


def build(translations, plural_header: str, messages) -> JsCatalog:
    """The JSON catalog of ``messages`` from a :class:`gettext.GNUTranslations`.

    Untranslated messages are left out: the browser falls back to the source.
    """
    nplurals, _ = plural_forms.parse_header(plural_header)
    expression = plural_header.split("plural=", 1)[1].strip().rstrip(";").strip()
    table = library_internals.messages(translations)
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

