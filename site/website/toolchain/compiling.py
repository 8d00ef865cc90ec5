"""Compiling catalogs: the ``.mo`` visitors see, and the verdict beside it.

Why not ``pybabel compile``: it writes every *untranslated plural* entry into
the ``.mo`` with the English singular as form 0 and the English plural as the
other forms (Babel's ``write_mo`` keeps any plural message, since a tuple of
empty strings is truthy: Babel issue 697, still open in 2.18). gettext then
returns them as if translated and picks among them with the target language's
rule: Japanese showed "5 page", Russian "21 page", Arabic "1 pages". GNU
``msgfmt`` leaves such entries out, so the caller's fallback (the source text
with the source language's rule) applies. polib's ``.mo`` writer does what
``msgfmt`` does (only ``translated_entries()``: not fuzzy, not obsolete, every
plural form filled), and it works on the catalog already parsed for the
checks, so each ``.po`` is read once.

>>> po = polib.POFile()
>>> po.append(polib.POEntry(msgid="%(n)s page", msgid_plural="%(n)s pages", msgstr_plural={0: ""}))
>>> po.append(polib.POEntry(msgid="Home", msgstr="ホーム"))
>>> po.append(polib.POEntry(msgid="Later", msgstr="後で", flags=["fuzzy"]))
>>> [entry.msgid for entry in servable_entries(po)]
['Home']
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os

import polib

from website.files import write_atomically, write_atomically_together
from website.i18n import verdicts
from website.toolchain import activation

__all__ = ["servable_entries", "write_mo", "compile_one", "compile_catalogs", "Outcome", "Compilation"]


def servable_entries(po: polib.POFile) -> list[polib.POEntry]:
    """The entries a ``.mo`` may hold: what polib's writer (and msgfmt) keeps."""
    return po.translated_entries()


def write_mo(po: polib.POFile, mo_path: str) -> None:
    """Write the translated entries of ``po`` to ``mo_path``, atomically.

    A running server polling for changes never reads a half-written catalog.
    """
    write_atomically(mo_path, po.to_binary())


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What compiling one catalog did: the command prints it, the workspace logs it."""

    po_path: str
    verdict: verdicts.Verdict | None
    compiled: bool  # a new .mo was written
    up_to_date: bool = False
    errors: tuple[str, ...] = ()  # "path:line: locale: check: message"
    template_problem: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def locale(self) -> str:
        """The catalog's gettext id (``pt_BR``)."""
        return self.verdict.locale if self.verdict is not None else os.path.basename(
            os.path.dirname(os.path.dirname(self.po_path)))

    def messages(self, min_percent: float = verdicts.DEFAULT_MIN_PERCENT) -> tuple[tuple[bool, str], ...]:
        """What to tell a person, as ``(is_error, line)`` pairs: errors first, then the result."""
        lines = [(True, line) for line in self.errors]
        verdict = self.verdict
        if self.failed:
            lines.append((True, f"{self.po_path}: not compiled: {len(self.errors)} error(s); a running "
                                "site keeps its previous catalog, a restarted one does not offer it"))
        elif verdict is not None:
            state = "up to date" if self.up_to_date else "compiled"
            offered = "offered" if verdict.offered(min_percent) else "not offered: " + verdict.reason(min_percent)
            lines.append((False, f"{self.po_path}: {verdict.locale}: {state}, {verdict.stats.summary()}, {offered}"))
        return tuple(lines)


@dataclasses.dataclass(frozen=True)
class Compilation:
    """What :func:`compile_catalogs` did: one outcome per catalog, and the template's problem."""

    outcomes: tuple[Outcome, ...]
    #: Why ``messages.pot`` could not be used (catalogs were counted without it), or "".
    template_problem: str = ""

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.outcomes)


def compile_one(po_path: str, template: activation.Template, *, force: bool = False,
                min_percent: float = verdicts.DEFAULT_MIN_PERCENT,
                known: tuple[str, polib.POFile] | None = None) -> Outcome:
    """Assess one ``.po``, write its ``.mo`` if it has no errors, and its verdict always.

    A catalog with errors keeps its previous ``.mo`` (a running site keeps
    serving the last good build) and gets a verdict that says why it was not
    compiled. An up-to-date catalog (verdict newer than the ``.po`` and the
    template) is left alone unless ``force``; its recorded errors still count.
    ``known``: a text and its parse the caller holds (:func:`checks.inspect_file`).
    """
    mo_path = po_path[: -len(".po")] + ".mo"
    verdict_file = verdicts.verdict_path(po_path)
    if not force and _up_to_date(verdict_file, po_path, template.path, mo_path):
        try:
            verdict = verdicts.read(verdict_file)
        except (OSError, ValueError):
            pass
        else:
            errors = tuple(f"{po_path}:{i.line}: {verdict.locale}: {i.check}: {i.message}"
                           for i in verdict.errors)
            return Outcome(po_path, verdict, False, True, errors, template.problem)
    assessment = activation.assess(po_path, None, template, min_percent, known=known)
    verdict = assessment.verdict
    errors = tuple(str(problem) for problem in assessment.errors)
    if not errors and assessment.po is not None:
        # The .mo first, then its verdict, as two writes would; one disk flush for both.
        write_atomically_together({mo_path: assessment.po.to_binary(),
                                   verdict_file: verdicts.dumps(verdict).encode("utf-8")})
    else:
        activation.write_verdict(verdict, verdict_file)
    return Outcome(po_path, verdict, not errors, False, errors, template.problem)


def _up_to_date(verdict_file: str, po_path: str, template_path: str | None, mo_path: str) -> bool:
    try:
        written = os.stat(verdict_file).st_mtime_ns
        sources = [os.stat(po_path).st_mtime_ns]
        if template_path:
            sources.append(os.stat(template_path).st_mtime_ns)
    except OSError:
        return False
    return written >= max(sources) and (os.path.exists(mo_path) or not _compiled(verdict_file))


def _compiled(verdict_file: str) -> bool:
    try:
        return verdicts.read(verdict_file).compiled
    except (OSError, ValueError):
        return True



def compile_catalogs(paths: list[str], *, domain: str = "messages", force: bool = False,
                     min_percent: float = verdicts.DEFAULT_MIN_PERCENT, jobs: int = 1,
                     known: dict[str, tuple[str, polib.POFile]] | None = None) -> Compilation:
    """Compile each catalog at ``paths`` that has no errors, and record every verdict.

    For each ``.po``: check and count it, write its ``.mo`` (translated
    entries only) when it has no errors, and always its verdict,
    ``messages.verdict.json``, which the running site reads (it picks both up
    within about a second). A catalog with errors keeps its old ``.mo``, if
    any; the others are still compiled. Up-to-date catalogs are skipped
    unless ``force``. ``jobs`` > 1 runs many catalogs in worker processes.
    ``known`` maps paths to a text and its parse the caller holds (used in
    this process only, and only for a file that still holds that text).
    Nothing is printed: ``website-catalog compile`` prints the outcomes, the
    workspace logs them.
    """
    template = activation.load_template(_template_for(paths, domain))
    if activation.worth_a_pool(paths, jobs):
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=activation.pool_context()) as pool:
            outcomes = list(pool.map(_compile_in_worker, paths, [force] * len(paths),
                                     [min_percent] * len(paths), [domain] * len(paths),
                                     chunksize=max(1, len(paths) // (jobs * 4))))
    else:
        known = known or {}
        outcomes = [compile_one(path, template, force=force, min_percent=min_percent, known=known.get(path))
                    for path in paths]
    return Compilation(tuple(outcomes), template.problem)


def _template_for(paths: list[str], domain: str) -> str | None:
    return activation.template_of(paths[0], domain) if paths else None


def _compile_in_worker(path: str, force: bool, min_percent: float, domain: str) -> Outcome:
    template = activation.load_template(_template_for([path], domain))
    return compile_one(path, template, force=force, min_percent=min_percent)
