"""Writing the pseudo-locale catalogs (``website-catalog pseudo``, run by ``make compile``).

What a pseudo-translation looks like is :mod:`website.i18n.pseudo`'s business;
this module only turns ``messages.pot`` into one ``.po`` and ``.mo`` per
pseudo-locale under ``build/pseudo``.
"""

from __future__ import annotations

import io
import os

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from website.files import write_atomically
from website.i18n import verdicts
from website.i18n.js_catalog import JS_SOURCE_PREFIX
from website.i18n.pseudo import PSEUDO_LOCALES, transform
from website.toolchain.activation import write_verdict

__all__ = ["write_catalogs"]


def write_catalogs(template_path: str, out_dir: str, domain: str = "messages") -> list[str]:
    """Write ``<out_dir>/<id>/LC_MESSAGES/<domain>.po``, ``.mo`` and verdict for each pseudo-locale."""
    with open(template_path, "rb") as fp:
        template = read_po(fp)
    messages = [message for message in template if message.id]
    js_messages = tuple(
        (m.context, *(m.id if isinstance(m.id, (list, tuple)) else (m.id, None)))
        for m in messages
        if any(filename.startswith(JS_SOURCE_PREFIX) for filename, _line in m.locations)
    )
    written = []
    for gettext_id in PSEUDO_LOCALES:
        catalog = Catalog(locale="en", domain=domain, project=template.project)
        for message in template:
            if not message.id:
                continue
            if isinstance(message.id, (list, tuple)):
                string = tuple(transform(gettext_id, part) for part in message.id)
            else:
                string = transform(gettext_id, message.id)
            catalog.add(message.id, string, context=message.context, flags=message.flags)
        folder = os.path.join(out_dir, gettext_id, "LC_MESSAGES")
        os.makedirs(folder, exist_ok=True)
        base = os.path.join(folder, domain)
        for suffix, writer, options in ((".po", write_po, {"width": 0}), (".mo", write_mo, {})):
            buffer = io.BytesIO()
            writer(buffer, catalog, **options)
            write_atomically(base + suffix, buffer.getvalue())
        # Complete by construction: the verdict only carries what the server needs.
        stats = verdicts.CatalogStats(gettext_id, translated=len(messages), fuzzy=0, untranslated=0, obsolete=0)
        write_verdict(verdicts.Verdict(gettext_id, stats, js_messages=js_messages), base + ".verdict.json")
        written.append(base + ".mo")
    return written
