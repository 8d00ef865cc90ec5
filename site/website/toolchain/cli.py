"""``website-catalog``: the catalog steps ``pybabel`` cannot do alone.

``make init LANG=pt-BR`` runs ``website-catalog init pt-BR``, which

1. maps the BCP 47 tag to its gettext id (``pt_BR``) and checks CLDR knows it;
2. runs the real ``pybabel init`` for that id;
3. replaces the Plural-Forms header with the CLDR-correct one from
   :mod:`website.i18n.plural_forms` and gives every plural entry that many forms.

With ``--contact``, ``Report-Msgid-Bugs-To`` and ``Language-Team`` name where
translators send their work. ``website-catalog fix-plurals [--contact=...]
FILE.po`` does step 3 (and the contact) alone, for existing catalogs
(``make update`` runs it).

``website-catalog check [--json|--errors-only|--all] [FILE.po ...]``
(``make check``) runs the catalog checks of :mod:`website.toolchain.checks`:
errors first, ``path:line: locale: check-name: message``, then one line per
catalog with its translated count and a summary of its warnings; it exits 1
if any error was found.

``website-catalog stats`` (``make stats``) prints a table of translated,
fuzzy, untranslated and obsolete entries and words per locale, percent
complete and whether the site offers it.

``website-catalog pseudo`` (run by ``make compile``) writes the pseudo-locales
``en-XA`` and ``ar-XB`` under ``build/pseudo`` from ``messages.pot``.

``website-catalog compile`` (``make compile``) checks and counts each
catalog, writes the ``.mo`` of those without errors (translated entries
only: :mod:`website.toolchain.compiling` says why not ``pybabel compile``),
and records every catalog's verdict next to its ``.mo``.

Exit status: 0 on success, 1 when a check or compile found errors, 2 on bad
input, with a one-line reason.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys

import babel
import polib

from website.toolchain import activation, checks, compiling, pseudo_catalogs
from website.i18n import plural_forms, tags

__all__ = ["main", "init_catalog", "fix_plurals"]


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


def check_catalogs(paths: list[str], *, as_json: bool = False, errors_only: bool = False,
                   every_warning: bool = False, jobs: int = 1, out=None) -> int:
    """Report the problems of the catalogs at ``paths``; 1 if any is an error.

    Errors come first, one line each (``path:line: locale: check: message``);
    then one line per catalog with its count of translated entries and a
    summary of its warnings (``every_warning`` lists them one by one first);
    ``errors_only`` leaves the warnings out.
    """
    out = out or sys.stdout
    assessments = activation.assess_paths(paths, _template_for(paths), jobs=jobs)
    problems = [problem for a in assessments for problem in a.problems]
    errors = [p for p in problems if p.severity == checks.ERROR]
    if as_json:
        json.dump([dataclasses.asdict(p) for p in problems], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 1 if errors else 0
    for problem in errors:
        out.write(f"{problem}\n")
    if not errors_only:
        if every_warning:
            for problem in problems:
                if problem.severity != checks.ERROR:
                    out.write(f"{problem} (warning)\n")
        for assessment in assessments:
            out.write(_summary_line(assessment.po_path, assessment.verdict) + "\n")
        problem = next((a.verdict.template_problem for a in assessments if a.verdict.template_problem), "")
        if problem:
            out.write(problem + "\n")
    out.write(f"{len(paths)} catalogs checked: {len(errors)} errors, {len(problems) - len(errors)} warnings\n")
    return 1 if errors else 0


def _summary_line(po_path: str, verdict) -> str:
    parts = [verdict.stats.summary() if verdict.stats else "unreadable"]
    if verdict.errors:
        parts.append(f"{len(verdict.errors)} errors")
    if verdict.warnings:
        parts.append("warnings: " + verdict.warning_summary())
    return f"{po_path}: {verdict.locale}: " + "; ".join(parts)


def _template_for(paths: list[str], domain: str = "messages") -> str | None:
    return activation.template_of(paths[0], domain) if paths else None


def compile_catalogs(paths: list[str], *, domain: str = "messages", force: bool = False,
                     min_percent: float = activation.DEFAULT_MIN_PERCENT, jobs: int = 1,
                     out=None, err=None) -> int:
    """Compile the catalogs at ``paths`` (:func:`website.toolchain.compiling.compile_catalogs`)
    and print what happened: errors to ``err``, one line per catalog to ``out``; 1 if any failed.
    """
    out, err = out or sys.stdout, err or sys.stderr
    compilation = compiling.compile_catalogs(paths, domain=domain, force=force,
                                             min_percent=min_percent, jobs=jobs)
    if compilation.template_problem:
        # Blamed once, here: every catalog is still compiled and counted alone.
        err.write(f"{compilation.template_problem}; catalogs are counted without it\n")
    for outcome in compilation.outcomes:
        for is_error, line in outcome.messages(min_percent):
            (err if is_error else out).write(line + "\n")
    return 0 if compilation.ok else 1


def print_stats(locale_dir: str, min_percent: float, out=None, jobs: int = 1) -> int:
    """A table per locale: entries and words by state, percent, activation."""
    out = out or sys.stdout
    assessments = activation.assess_all(locale_dir, min_percent, jobs=jobs)
    rows = [("locale", "status", "complete", "translated", "fuzzy", "untranslated", "obsolete")]
    for verdict in assessments:
        stats = verdict.stats
        if stats is None:
            rows.append((verdict.locale, "not offered", "-", "-", "-", "-", "-"))
            continue
        rows.append((
            verdict.locale,
            "offered" if verdict.offered else "not offered",
            f"{stats.percent:.1f}%",
            f"{stats.translated} ({stats.translated_words} w)",
            f"{stats.fuzzy} ({stats.fuzzy_words} w)",
            f"{stats.untranslated} ({stats.untranslated_words} w)",
            f"{stats.obsolete} ({stats.obsolete_words} w)",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")
        if number == 0:
            out.write("  ".join("-" * width for width in widths) + "\n")
    out.write(f"entries (source words); offered at {min_percent:.0f}% translated with no catalog errors\n")
    for verdict in assessments:
        if not verdict.offered:
            out.write(f"{verdict.locale}: {verdict.reason}\n")
    return 0


def _jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _all_catalogs(locale_dir: str, domain: str = "messages") -> list[str]:
    return activation.catalog_paths(locale_dir, domain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="website-catalog", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="start a catalog for a new language")
    init.add_argument("tag", help="BCP 47 tag, e.g. fr or pt-BR")
    init.add_argument("--locale-dir", default="locale")
    init.add_argument("--template", default=os.path.join("locale", "messages.pot"))
    init.add_argument("--contact", default="", help="where translators send work (email or URL)")
    fix = commands.add_parser("fix-plurals", help="set the CLDR Plural-Forms header (and the contact)")
    fix.add_argument("files", nargs="+")
    fix.add_argument("--contact", default="", help="Report-Msgid-Bugs-To and Language-Team address")
    check = commands.add_parser("check", help="check catalogs (all under --locale-dir by default)")
    check.add_argument("files", nargs="*")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--errors-only", action="store_true", help="errors only, no warning summaries")
    check.add_argument("--all", action="store_true", help="list every warning, not only their summary")
    check.add_argument("--locale-dir", default="locale")
    build = commands.add_parser("compile", help="compile the catalogs that pass the checks")
    build.add_argument("files", nargs="*")
    build.add_argument("--locale-dir", default="locale")
    build.add_argument("--force", action="store_true", help="rebuild up-to-date .mo files too")
    build.add_argument("--min-percent", type=float, default=activation.DEFAULT_MIN_PERCENT)
    fake = commands.add_parser("pseudo", help="generate the pseudo-locales from the template")
    fake.add_argument("--template", default=os.path.join("locale", "messages.pot"))
    fake.add_argument("--out", default=os.path.join("build", "pseudo"))
    stats = commands.add_parser("stats", help="translation progress per locale")
    stats.add_argument("--locale-dir", default="locale")
    stats.add_argument("--min-percent", type=float, default=activation.DEFAULT_MIN_PERCENT)
    args = parser.parse_args(argv)
    if args.command == "pseudo":
        for path in pseudo_catalogs.write_catalogs(args.template, args.out):
            print(f"wrote {path}")
        return 0
    if args.command == "stats":
        return print_stats(args.locale_dir, args.min_percent, jobs=_jobs())
    if args.command == "check":
        return check_catalogs(args.files or _all_catalogs(args.locale_dir), as_json=args.json,
                              errors_only=args.errors_only, every_warning=args.all, jobs=_jobs())
    if args.command == "compile":
        return compile_catalogs(args.files or _all_catalogs(args.locale_dir), force=args.force,
                                min_percent=args.min_percent, jobs=_jobs())
    try:
        if args.command == "init":
            path = init_catalog(args.tag, locale_dir=args.locale_dir, template=args.template,
                                contact=args.contact)
            print(f"created {path}: translate it, then run 'make compile'")
        else:
            for path in args.files:
                if fix_plurals(path, contact=args.contact):
                    print(f"{path}: headers set (CLDR Plural-Forms, contact)")
    except (ValueError, OSError, subprocess.CalledProcessError) as error:
        print(f"website-catalog: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
