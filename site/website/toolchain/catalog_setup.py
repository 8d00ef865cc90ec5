"""Starting, updating and setting the headers of catalogs: ``website-catalog init``, ``update``, ``fix-plurals``.

:func:`init_catalog` maps a BCP 47 tag to its gettext id (``pt-BR`` ->
``pt_BR``), checks CLDR knows it and writes the template as that locale's
catalog (what ``pybabel init`` does); :func:`update_catalogs` merges the
template into catalogs (``pybabel update --no-fuzzy-matching``, done with
Babel's public :meth:`~babel.messages.catalog.Catalog.update`); both then do
what :func:`fix_plurals` does: the CLDR-correct Plural-Forms header from
:mod:`website.i18n.plural_forms` (and, with a contact,
``Report-Msgid-Bugs-To`` and ``Language-Team``). Every file is written by
:mod:`website.toolchain.po_writer`, under the catalog's lock, in the one
serialization. They raise :class:`ValueError` on bad input and print
nothing: :mod:`website.toolchain.cli` does.
"""

from __future__ import annotations

import datetime as dt
import os

import babel
from babel.messages import catalog as babel_catalog

from website.i18n import plural_forms, tags
from website.toolchain import checks, po_writer

__all__ = ["init_catalog", "update_catalogs", "fix_plurals"]


def init_catalog(tag: str, *, locale_dir: str, template: str, domain: str = "messages",
                 contact: str = "") -> str:
    """Create ``<locale_dir>/<id>/LC_MESSAGES/<domain>.po`` for ``tag``; return its path."""
    gettext_id = tags.to_gettext_id(tag)
    if gettext_id is None:
        raise ValueError(f"{tag!r} is not a BCP 47 language tag (try 'fr' or 'pt-BR')")
    try:
        babel.Locale.parse(gettext_id)
    except (ValueError, babel.UnknownLocaleError):
        raise ValueError(f"CLDR has no locale {tag!r}") from None
    path = os.path.join(locale_dir, gettext_id, "LC_MESSAGES", domain + ".po")
    if os.path.exists(path):
        raise ValueError(f"{path} exists already: use 'make update' to refresh it")
    if not os.path.exists(template):
        raise ValueError(f"no template at {template}: run 'make extract' first")
    catalog = po_writer.read_catalog(template, locale=gettext_id)
    catalog.locale = gettext_id
    catalog.revision_date = dt.datetime.now(dt.timezone.utc)
    catalog.fuzzy = False
    _set_headers(catalog, gettext_id, contact)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    po_writer.write_catalog(path, catalog)
    return path


def update_catalogs(paths: list[str], *, template: str, contact: str = "") -> list[str]:
    """Merge the template into each catalog (new strings stay empty); return the paths that changed.

    No fuzzy matching: it proposes unrelated old translations for new strings.
    """
    if not os.path.exists(template):
        raise ValueError(f"no template at {template}: run 'make extract' first")
    with open(template, encoding="utf-8") as fp:
        template_text = fp.read()
    changed = []
    for path in paths:
        gettext_id = checks.locale_of_path(path)

        def merge(catalog: babel_catalog.Catalog, gettext_id=gettext_id) -> None:
            # A template per catalog: Catalog.update takes messages from it.
            catalog.update(po_writer.parse(template_text), no_fuzzy_matching=True)
            _set_headers(catalog, gettext_id, contact)

        if po_writer.change_catalog(path, merge, locale=gettext_id):
            changed.append(path)
    return changed


def fix_plurals(path: str, gettext_id: str | None = None, contact: str = "") -> bool:
    """Set the CLDR-correct Plural-Forms header in a ``.po``; True if the file changed.

    Plural entries get exactly ``nplurals`` forms (the writer adds missing
    ones empty and drops surplus empty ones). A header already equivalent to
    CLDR's is left as it is spelled. A catalog whose surplus forms hold
    translations keeps its header, for the catalog check to report: a
    translation is never thrown away. With ``contact``,
    ``Report-Msgid-Bugs-To`` and ``Language-Team`` say where translators send
    their work.
    """
    gettext_id = gettext_id or checks.locale_of_path(path)
    return po_writer.change_catalog(path, lambda c: _set_headers(c, gettext_id, contact),
                                    locale=gettext_id)


def _set_headers(catalog: babel_catalog.Catalog, gettext_id: str, contact: str) -> None:
    if contact:
        catalog.msgid_bugs_address = contact
        catalog.language_team = f"{_english_name(gettext_id)} <{contact}>"
    header = plural_forms.plural_forms(gettext_id)
    current = catalog.plural_forms
    if po_writer.equivalent_plural_forms(current, header, gettext_id):
        return
    nplurals, _ = plural_forms.parse_header(header)
    for message in catalog:
        if message.pluralizable and isinstance(message.string, (list, tuple)) and \
                any(message.string[nplurals:]):
            return
    catalog.mime_headers = [("Plural-Forms", header)]


def _english_name(gettext_id: str) -> str:
    try:
        return babel.Locale.parse(gettext_id).get_display_name("en") or gettext_id
    except (ValueError, babel.UnknownLocaleError):
        return gettext_id
