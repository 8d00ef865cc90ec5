"""``website-catalog``: the catalog steps ``pybabel`` cannot do alone.

``make init LANG=pt-BR`` runs ``website-catalog init pt-BR``, which

1. maps the BCP 47 tag to its gettext id (``pt_BR``) and checks CLDR knows it;
2. runs the real ``pybabel init`` for that id;
3. replaces the Plural-Forms header with the CLDR-correct one from
   :mod:`website.plural_forms` and gives every plural entry that many forms.

``website-catalog fix-plurals FILE.po`` does step 3 alone, for an existing
catalog. Exit status: 0 on success, 2 on bad input, with a one-line reason.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import babel
import polib

from website import checks, plural_forms, tags

__all__ = ["main", "init_catalog", "fix_plurals"]


def init_catalog(tag: str, *, locale_dir: str, template: str, domain: str = "messages") -> str:
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
    fix_plurals(path, gettext_id)
    return path


def fix_plurals(path: str, gettext_id: str | None = None) -> bool:
    """Set the CLDR-correct Plural-Forms header in a ``.po``; True if it changed.

    Plural entries get exactly ``nplurals`` forms: missing ones are added
    empty (to translate), surplus empty ones are dropped. A surplus form that
    holds a translation is kept and reported by the catalog check, never
    thrown away.
    """
    catalog = polib.pofile(path, wrapwidth=76)
    gettext_id = gettext_id or checks.locale_of_path(path)
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
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="website-catalog", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="start a catalog for a new language")
    init.add_argument("tag", help="BCP 47 tag, e.g. fr or pt-BR")
    init.add_argument("--locale-dir", default="locale")
    init.add_argument("--template", default=os.path.join("locale", "messages.pot"))
    fix = commands.add_parser("fix-plurals", help="set the CLDR Plural-Forms header")
    fix.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            path = init_catalog(args.tag, locale_dir=args.locale_dir, template=args.template)
            print(f"created {path}: translate it, then run 'make compile'")
        else:
            for path in args.files:
                if fix_plurals(path):
                    print(f"{path}: Plural-Forms set to the CLDR form")
    except (ValueError, OSError, subprocess.CalledProcessError) as error:
        print(f"website-catalog: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
