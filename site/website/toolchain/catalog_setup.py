"""Starting a catalog and setting its headers: ``website-catalog init`` and ``fix-plurals``.

:func:`init_catalog` maps a BCP 47 tag to its gettext id (``pt-BR`` ->
``pt_BR``), checks CLDR knows it, runs the real ``pybabel init`` and then
:func:`fix_plurals`, which sets the CLDR-correct Plural-Forms header from
:mod:`website.i18n.plural_forms` (and, with a contact, ``Report-Msgid-Bugs-To``
and ``Language-Team``). They raise :class:`ValueError` on bad input and
print nothing: :mod:`website.toolchain.cli` does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import babel
import polib

from website.i18n import plural_forms, tags
from website.toolchain import checks

__all__ = ["init_catalog", "fix_plurals"]


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
    pybabel = shutil.which("pybabel", path=os.path.dirname(sys.executable)) or "pybabel"
    subprocess.run(
        [pybabel, "init", "-i", template, "-d", locale_dir, "-D", domain, "-l", gettext_id],
        check=True,
    )
    fix_plurals(path, gettext_id, contact=contact)
    return path


def fix_plurals(path: str, gettext_id: str | None = None, contact: str = "") -> bool:
    """Set the CLDR-correct Plural-Forms header in a ``.po``; True if it changed.

    Plural entries get exactly ``nplurals`` forms: missing ones are added
    empty (to translate), surplus empty ones are dropped. A surplus form that
    holds a translation is kept and reported by the catalog check, never
    thrown away. With ``contact``, ``Report-Msgid-Bugs-To`` and
    ``Language-Team`` say where translators send their work.
    """
    gettext_id = gettext_id or checks.locale_of_path(path)
    contact_changed = bool(contact) and _set_contact(path, gettext_id, contact)
    catalog = polib.pofile(path, wrapwidth=76)
    header = plural_forms.plural_forms(gettext_id)
    nplurals, _ = plural_forms.parse_header(header)
    changed = catalog.metadata.get("Plural-Forms") != header
    catalog.metadata["Plural-Forms"] = header
    for entry in catalog:
        if not entry.msgid_plural:
            continue
        forms = dict(entry.msgstr_plural)
        for index in range(nplurals):
            forms.setdefault(index, "")
        for index in sorted(forms):
            if index >= nplurals and not forms[index]:
                del forms[index]
        if forms != entry.msgstr_plural:
            entry.msgstr_plural = forms
            changed = True
    if changed:
        catalog.save(path)
    return changed or contact_changed


def _set_contact(path: str, gettext_id: str, contact: str) -> bool:
    """Set Report-Msgid-Bugs-To and Language-Team in place; True if the file changed.

    Edited as text, line by line, rather than through polib: saving with
    polib reflows the whole file, and the next ``pybabel update`` would
    reflow it back (churn in every diff).
    """
    with open(path, encoding="utf-8") as fp:
        text = fp.read()
    header_end = text.find("\n\n")
    head, rest = (text[:header_end], text[header_end:]) if header_end >= 0 else (text, "")
    for field, value in (("Report-Msgid-Bugs-To", contact),
                         ("Language-Team", f"{_english_name(gettext_id)} <{contact}>")):
        line = f'"{field}: {_po_escape(value)}\\n"'
        pattern = re.compile(rf'^"{re.escape(field)}:.*"$', re.MULTILINE)
        if pattern.search(head):
            head = pattern.sub(lambda _m: line, head, count=1)
        else:
            head = re.sub(r'^("Language: .*")$', lambda m: m[1] + "\n" + line, head, count=1, flags=re.MULTILINE)
    if head + rest == text:
        return False
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(head + rest)
    return True


def _po_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _english_name(gettext_id: str) -> str:
    try:
        return babel.Locale.parse(gettext_id).get_display_name("en") or gettext_id
    except (ValueError, babel.UnknownLocaleError):
        return gettext_id
