"""A catalog's verdict: its errors, its counts, and whether it is offered.

``make compile`` assesses each ``.po`` once (checks and counts from one
parse) and writes the :class:`~website.i18n.verdicts.Verdict` next to its
``.mo``; the server and the ``/translations`` dashboard read that file and
never the ``.po``. ``make check`` and ``make stats`` assess the same way, so
every tool gives the same counts.

>>> import os
>>> [a.locale for a in assess_all(os.path.join(os.path.dirname(__file__), "no-such-dir"))]
[]
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import glob
import multiprocessing
import os
import threading

import babel
import polib

from website.files import write_atomically
from website.i18n import verdicts
from website.i18n.catalogs import cldr_names
from website.i18n.js_catalog import JS_SOURCE_PREFIX
from website.i18n.verdicts import DEFAULT_MIN_PERCENT, CatalogStats, Issue, Verdict
from website.toolchain import checks
from website.toolchain.po_syntax import parse_text, syntax_errors
from website.toolchain.stats import count_entries

__all__ = [
    "Assessment",
    "Template",
    "assess",
    "assess_all",
    "load_template",
    "write_verdict",
    "DEFAULT_MIN_PERCENT",
]


@dataclasses.dataclass(frozen=True)
class Template:
    """``messages.pot`` as the verdicts need it, or why it could not be read."""

    path: str | None
    entries: tuple | None  # None when there is no readable template
    problem: str = ""  # one line blaming the template itself, never the catalogs

    @functools.cached_property
    def js_messages(self) -> tuple:
        return _js_messages(self.entries or ())


# path -> (the template's text, what load_template made of it): the workspace
# compiles after every save, and a template of 2,000 entries takes longer to
# check and parse than to read and compare.
_TEMPLATES: dict[str, tuple[str, Template]] = {}


def load_template(path: str | None) -> Template:
    """Read ``messages.pot`` once for all catalogs; a broken one is described, not raised."""
    if not path or not os.path.exists(path):
        return Template(None, None)
    try:
        with open(path, encoding="utf-8") as fp:
            text = fp.read()
        cached = _TEMPLATES.get(path)
        if cached is not None and cached[0] == text:
            return cached[1]
        # polib reads an unterminated string without complaint: our own
        # syntax check first, as for every catalog.
        for line, message in syntax_errors(text):
            raise ValueError(f"line {line}: {message}")
        template = Template(path, tuple(entry for entry in parse_text(text) if not entry.obsolete))
    except (OSError, ValueError) as error:
        return Template(path, None, f"{path}: cannot be read ({error}): run 'make extract'")
    _TEMPLATES[path] = (text, template)
    return template


def _js_messages(entries) -> tuple:
    return tuple(
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        for entry in entries
        if any(path.startswith(JS_SOURCE_PREFIX) for path, _line in entry.occurrences)
    )


@dataclasses.dataclass(frozen=True)
class Assessment:
    """One catalog assessed: every problem, and the verdict made of them."""

    po_path: str
    problems: tuple[checks.Problem, ...]  # errors and warnings, by line
    verdict: Verdict
    min_percent: float = DEFAULT_MIN_PERCENT
    po: polib.POFile | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def locale(self) -> str:
        return self.verdict.locale

    @property
    def stats(self) -> CatalogStats | None:
        return self.verdict.stats

    @property
    def errors(self) -> tuple[checks.Problem, ...]:
        return tuple(p for p in self.problems if p.severity == checks.ERROR)

    @property
    def offered(self) -> bool:
        return self.verdict.offered(self.min_percent)

    @property
    def reason(self) -> str:
        return self.verdict.reason(self.min_percent)


def assess(
    po_path: str,
    locale: str | None = None,
    template: Template | str | None = None,
    min_percent: float = DEFAULT_MIN_PERCENT,
    *,
    known: tuple[str, polib.POFile] | None = None,
) -> Assessment:
    """Check and count one catalog from a single parse (``known``: see :func:`checks.inspect_file`)."""
    locale = locale or checks.locale_of_path(po_path)
    if not isinstance(template, Template):
        template = load_template(template)
    problems, po = checks.inspect_file(po_path, locale, known=known)
    stats = count_entries(po, locale, template.entries) if po is not None else None
    errors, warnings = [], {}
    for problem in problems:
        if problem.severity == checks.ERROR:
            errors.append(Issue(problem.line, problem.check, problem.message, problem.severity))
        else:
            count, lines = warnings.get(problem.check, (0, ()))
            if len(lines) < verdicts.MAX_WARNING_LINES:
                lines = (*lines, problem.line)
            warnings[problem.check] = (count + 1, lines)
    if template.entries is not None:
        js_messages = template.js_messages
    else:  # no usable template: the catalog's own references still say what static/js uses
        js_messages = _js_messages(e for e in (po or ()) if not e.obsolete)
    verdict = Verdict(
        names=_names(locale),
        locale=locale,
        stats=stats,
        errors=tuple(errors),
        warnings=warnings,
        compiled=not errors,
        js_messages=js_messages,
        template_problem=template.problem,
    )
    return Assessment(po_path, tuple(problems), verdict, min_percent, po)


def _names(gettext_id: str) -> dict:
    try:
        endonym, english, rtl = cldr_names(babel.Locale.parse(gettext_id))
    except (ValueError, babel.UnknownLocaleError):
        return {}
    return {"endonym": endonym, "english_name": english, "rtl": rtl}


def write_verdict(verdict: Verdict, path: str) -> None:
    """Write ``verdict`` to ``path`` atomically (a reader never sees half a file)."""
    write_atomically(path, verdicts.dumps(verdict).encode("utf-8"))


def catalog_paths(locale_dir: str, domain: str = "messages") -> list[str]:
    """Every ``<id>/LC_MESSAGES/<domain>.po`` under ``locale_dir``, sorted."""
    return sorted(glob.glob(os.path.join(locale_dir, "*", "LC_MESSAGES", domain + ".po")))


def template_of(po_path: str, domain: str = "messages") -> str:
    """``locale/xx/LC_MESSAGES/messages.po`` -> ``locale/messages.pot``."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(po_path)))),
                        domain + ".pot")


def assess_all(
    locale_dir: str,
    min_percent: float = DEFAULT_MIN_PERCENT,
    domain: str = "messages",
    jobs: int = 1,
) -> list[Assessment]:
    """Assess every catalog under ``locale_dir``, by locale (``jobs`` processes)."""
    paths = catalog_paths(locale_dir, domain)
    template = os.path.join(locale_dir, domain + ".pot")
    return assess_paths(paths, template, min_percent, jobs)


def assess_paths(paths, template: str | None, min_percent: float = DEFAULT_MIN_PERCENT,
                 jobs: int = 1) -> list[Assessment]:
    """Assess ``paths`` against one template, in ``jobs`` processes when there is much to do."""
    if jobs > 1 and worth_a_pool(paths, jobs):
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=pool_context()) as pool:
            chunk = max(1, len(paths) // (jobs * 4))
            return list(pool.map(_assess_light, paths, [template] * len(paths),
                                 [min_percent] * len(paths), chunksize=chunk))
    loaded = load_template(template)
    return [assess(path, None, loaded, min_percent) for path in paths]


# Starting worker processes costs about a second on a busy machine: only
# worth it for megabytes of catalogs (a hundred of 2,000 entries is 38 MB).
POOL_THRESHOLD_BYTES = 4_000_000


def pool_context():
    """How to start worker processes: forked from here when that is safe.

    Forking copies this process with its imports and caches (no start-up
    cost), but is unsafe when other threads run (the server, a test with a
    reloader): then each worker comes from a fresh "forkserver" process.
    """
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")


def worth_a_pool(paths, jobs: int) -> bool:
    """Whether checking ``paths`` in ``jobs`` processes beats doing it here."""
    if jobs < 2 or len(paths) < 2 * jobs:
        return False
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total >= POOL_THRESHOLD_BYTES


def _assess_light(path: str, template: str | None, min_percent: float) -> Assessment:
    # The parsed catalog stays in the worker: sending it back costs more than it saves.
    return dataclasses.replace(assess(path, None, load_template(template), min_percent), po=None)
