"""Catalogs made for a test: chosen locales and entries, compiled as `make compile` does.

Tests that need a language build its catalog here instead of relying on
which catalogs ship (and how far they are translated) on a given day::

    root = catalog_builder.build(tmp_path / "locale", ["ru", "ar"])
    catalogs = load_catalogs(str(root), min_percent=0)

Every entry of the template (by default the checked-in ``messages.pot``, so
pages find their strings) gets a translation that differs from the source,
keeps its placeholders, markup and surrounding whitespace, and names its
locale and plural form: ``ru`` form 2 of "%(count)s items" is
``"⟦ru/2⟧%(count)s items"``. ``translations`` overrides entries by msgid
(a string, or a list of forms; ``""`` leaves an entry untranslated).
Compiling is the project's own step (the one `make compile` runs, which
writes only translated entries, where ``pybabel compile`` would not: Babel
issue 697), so a catalog's verdict is real too.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import pathlib
import re
import shutil
import tempfile

import polib

from website.i18n import plural_forms
from website.i18n.catalogs import load_catalogs
from website.toolchain.cli import compile_catalogs
from website.toolchain.pseudo_catalogs import write_catalogs as write_pseudo_catalogs

from conftest import LOCALE_DIR, ROOT

__all__ = ["build", "build_root", "translation", "site_locale_dir", "site_catalogs", "site_root", "SITE_LOCALES"]

TEMPLATE = LOCALE_DIR / "messages.pot"
# The set most tests serve (today's shipped set, fixed here): one, two, three
# and six plural forms, three right-to-left scripts, a script subtag, a
# region, a deprecated code (iw), and every page locale of search_table.
SITE_LOCALES = ("ar", "de", "es", "fa", "fr", "he", "ja", "pl", "pt_BR", "ru", "uk", "zh_Hans")
_EDGES = re.compile(r"\A(\s*)(.*?)(\s*)\Z", re.S)


def translation(gettext_id: str, text: str, form: int | None = None) -> str:
    """The made-up translation of ``text``: its locale (and form) in front, whitespace kept.

    No space after the mark: the first word stays one word with it.

    >>> translation("ru", "%(count)s items", 2)
    '⟦ru/2⟧%(count)s items'
    >>> translation("fr", "\\nHome\\n")
    '\\n⟦fr⟧Home\\n'
    """
    lead, body, trail = _EDGES.match(text).groups()
    mark = f"⟦{gettext_id}⟧" if form is None else f"⟦{gettext_id}/{form}⟧"
    return f"{lead}{mark}{body}{trail}"


def build(root, locales, *, template=TEMPLATE, translations: dict | None = None) -> pathlib.Path:
    """Write ``root/messages.pot`` and a compiled ``.po`` per gettext id in ``locales``; return ``root``.

    ``template`` is a ``.pot`` path or a list of :class:`polib.POEntry`.
    """
    root = pathlib.Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(template, (str, pathlib.Path)):
        shutil.copy(template, root / "messages.pot")
        entries = [e for e in polib.pofile(str(template)) if not e.obsolete]
    else:
        entries = list(template)
        pot = polib.POFile()
        pot.metadata = {"Content-Type": "text/plain; charset=utf-8"}
        for entry in entries:
            pot.append(entry)
        pot.save(str(root / "messages.pot"))
    translations = translations or {}
    paths = []
    for gettext_id in locales:
        header = plural_forms.plural_forms(gettext_id)
        nplurals, _rule = plural_forms.parse_header(header)
        po = polib.POFile(wrapwidth=0)  # one line per msgstr: tests find and edit them as text
        po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "8bit",
                       "Language": gettext_id, "Plural-Forms": header}
        for source in entries:
            entry = polib.POEntry(msgctxt=source.msgctxt, msgid=source.msgid, msgid_plural=source.msgid_plural,
                                  flags=[f for f in source.flags if f != "fuzzy"],
                                  occurrences=source.occurrences, comment=source.comment)
            given = translations.get(source.msgid)
            if source.msgid_plural:
                if given is None:
                    # Every form from the plural text: each keeps every placeholder.
                    given = [translation(gettext_id, source.msgid_plural, i) for i in range(nplurals)]
                elif isinstance(given, str):
                    given = [given] * nplurals
                entry.msgstr_plural = dict(enumerate(given))
            else:
                entry.msgstr = translation(gettext_id, source.msgid) if given is None else given
            po.append(entry)
        folder = root / gettext_id / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po.save(str(folder / "messages.po"))
        paths.append(str(folder / "messages.po"))
    _compile(paths)
    return root


def _compile(paths: list[str]) -> None:
    # The command's report is for people; a failure shows in the verdicts.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        if compile_catalogs(paths) != 0:
            raise RuntimeError("test catalogs did not compile:\n" + err.getvalue())


@functools.cache
def site_locale_dir() -> pathlib.Path:
    """A locale folder with SITE_LOCALES, every entry translated, built once per test run."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="site-catalogs-"))
    atexit.register(shutil.rmtree, root, True)
    return build(root / "locale", SITE_LOCALES)


def build_root(root, locales=SITE_LOCALES, **options) -> pathlib.Path:
    """A site root (what ``--root`` names): built catalogs, the checkout's templates and static files.

    The templates and static files are links: a test that changes them
    copies them instead.
    """
    root = pathlib.Path(root)
    build(root / "locale", locales, **options)
    return _link_site_files(root)


@functools.cache
def site_root() -> pathlib.Path:
    """A site root around site_locale_dir(), with the pseudo-locales; servers read it, never write it."""
    root = site_locale_dir().parent
    write_pseudo_catalogs(str(TEMPLATE), str(root / "build" / "pseudo"))  # what `make compile` does
    return _link_site_files(root)


def _link_site_files(root: pathlib.Path) -> pathlib.Path:
    for folder in ("templates", "static"):
        (root / folder).symlink_to(ROOT / folder, target_is_directory=True)
    return root


@functools.cache
def site_catalogs():
    """site_locale_dir()'s catalogs, loaded as the server would (each one offered)."""
    loaded = load_catalogs(str(site_locale_dir()))
    missing = sorted(set(SITE_LOCALES) - {info.gettext_id for info in loaded.infos})
    if missing:
        raise RuntimeError(f"test catalogs not served: {missing}: "
                           + "; ".join(f"{k}: {s.note}" for k, s in loaded.statuses.items()))
    return loaded
