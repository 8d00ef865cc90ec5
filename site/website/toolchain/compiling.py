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

import dataclasses
import os

import polib

from website.i18n import verdicts
from website.toolchain import activation

__all__ = ["servable_entries", "write_mo", "compile_one", "Outcome"]


def servable_entries(po: polib.POFile) -> list[polib.POEntry]:
    """The entries a ``.mo`` may hold: what polib's writer (and msgfmt) keeps."""
    return po.translated_entries()


def write_mo(po: polib.POFile, mo_path: str) -> None:
    """Write the translated entries of ``po`` to ``mo_path``, atomically.

    Written beside the target, then renamed over it: a running server polling
    for changes never reads a half-written catalog.
    """
    partial = f"{mo_path}.{os.getpid()}.partial"
    try:
        po.save_as_mofile(partial)
        os.replace(partial, mo_path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What compiling one catalog did, for the command to print."""

    po_path: str
    verdict: verdicts.Verdict | None
    compiled: bool  # a new .mo was written
    up_to_date: bool = False
    errors: tuple[str, ...] = ()  # "path:line: locale: check: message"
    template_problem: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def compile_one(po_path: str, template: activation.Template, *, force: bool = False,
                min_percent: float = verdicts.DEFAULT_MIN_PERCENT) -> Outcome:
    """Assess one ``.po``, write its ``.mo`` if it has no errors, and its verdict always.

    A catalog with errors keeps its previous ``.mo`` (a running site keeps
    serving the last good build) and gets a verdict that says why it was not
    compiled. An up-to-date catalog (verdict newer than the ``.po`` and the
    template) is left alone unless ``force``; its recorded errors still count.
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
    assessment = activation.assess(po_path, None, template, min_percent)
    verdict = assessment.verdict
    errors = tuple(str(problem) for problem in assessment.errors)
    if not errors and assessment.po is not None:
        write_mo(assessment.po, mo_path)
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

