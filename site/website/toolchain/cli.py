"""``website-catalog``: the catalog steps ``pybabel`` cannot do alone.

A thin layer that parses options and prints: the work is done by the
toolchain's library functions (:mod:`~website.toolchain.catalog_setup`,
:mod:`~website.toolchain.activation`, :mod:`~website.toolchain.compiling`,
:mod:`~website.toolchain.pseudo_catalogs`), which print nothing.

``make init LANG=pt-BR`` runs ``website-catalog init pt-BR``, which

1. maps the BCP 47 tag to its gettext id (``pt_BR``) and checks CLDR knows it;
2. writes the template as that id's catalog (what ``pybabel init`` does);
3. replaces the Plural-Forms header with the CLDR-correct one from
   :mod:`website.i18n.plural_forms` and gives every plural entry that many forms.

With ``--contact``, ``Report-Msgid-Bugs-To`` and ``Language-Team`` name where
translators send their work. ``website-catalog fix-plurals [--contact=...]
FILE.po`` does step 3 (and the contact) alone, for existing catalogs
(``make update`` runs it).

``website-catalog update [--template=...] [--contact=...] [FILE.po ...]``
(``make update``) merges ``messages.pot`` into every catalog (new strings
stay empty, no fuzzy matching) and sets the headers as ``fix-plurals``
does. Every command that writes a ``.po`` writes it through
:mod:`website.toolchain.po_writer`: under the catalog's lock, atomically,
in one serialization, so one new string changes only that entry and
``POT-Creation-Date`` in each file.

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

``compile`` and ``stats`` take ``--min-translated=PERCENT`` (95 by default),
the share a catalog needs to be offered: the server's ``--min_translated``
(which Tornado also accepts as ``--min-translated``). ``--min-percent`` is
its old name, still accepted, deprecated.

``website-catalog merge-po BASE OURS THEIRS [PATH]`` is git's merge driver
for ``.po`` files (``make git-setup`` registers it; ``.gitattributes``
names it): a three-way merge entry by entry
(:mod:`website.toolchain.po_merge`) written over OURS; an entry whose
translation both sides changed keeps ours and is named on stderr; exit 1
only when it cannot decide, with the file marked for ``make check``.

``website-catalog pull [--remote R] [--branch B]`` (a read-only web host,
every minute: ``deploy/systemd/website-catalog-pull.timer``) fetches the
branch (by default the checked-out one), brings ``locale/`` and only that to
its version, compiles what changed and records the commit for ``/healthz``
(:func:`website.toolchain.git_catalogs.pull`).

``website-catalog sync`` commits the translator workspace's saves, brings
the remote's changes in and pushes (:mod:`website.workspace.sync_cli`,
run as its own process: the workspace is a layer above this one).

Exit status: 0 on success, 1 when a check or compile found errors, 2 on bad
input, with a one-line reason.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys

from website.toolchain import activation, checks, compiling, git_catalogs, po_merge, po_writer, pseudo_catalogs
from website.toolchain.catalog_setup import fix_plurals, init_catalog, update_catalogs

__all__ = ["main", "check_catalogs", "compile_catalogs", "print_stats", "merge_po"]


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


def merge_po(base: str, ours: str, theirs: str, path: str = "", err=None) -> int:
    """git's merge driver: merge into ``ours``; 0 when decided, 1 when a person must."""
    err = err or sys.stderr
    texts = []
    for file in (base, ours, theirs):
        try:
            with open(file, encoding="utf-8") as fp:
                texts.append(fp.read())
        except FileNotFoundError:
            texts.append(None)
        except (OSError, UnicodeDecodeError) as error:
            err.write(f"merge-po: {path or file}: {error}\n")
            return 1
    merged = po_merge.merge(texts[0] or None, texts[1] or "", texts[2] or "")
    po_writer.write_text(ours, merged.text)
    name = path or ours
    for conflict in merged.conflicts:
        context = f" (context {conflict.msgctxt!r})" if conflict.msgctxt else ""
        err.write(f"merge-po: {name}: {conflict.msgid!r}{context}: both sides changed the translation;"
                  f" kept {conflict.kept['translation']!r}, the other side had {conflict.other['translation']!r}\n")
    if not merged.ok:
        err.write(f"merge-po: {name}: cannot decide: {merged.unresolved} (marked for make check)\n")
        return 1
    return 0


def _pull(args) -> int:
    try:
        pulled = git_catalogs.pull(args.locale_dir, remote=args.remote, branch=args.branch)
    except (git_catalogs.GitError, OSError) as error:
        print(f"website-catalog pull: {error}", file=sys.stderr)
        return 1
    print(f"pull: {args.locale_dir} at {pulled.revision[:12]}, {len(pulled.changed)} files changed"
          + ("" if pulled.compiled_ok else "; some catalogs did not compile (make check)"))
    return 0 if pulled.compiled_ok else 1


def _jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _all_catalogs(locale_dir: str, domain: str = "messages") -> list[str]:
    return activation.catalog_paths(locale_dir, domain)


class _DeprecatedAlias(argparse.Action):
    """Stores the value; says on stderr that the option's old spelling is deprecated."""

    def __call__(self, parser, namespace, values, option_string=None):
        if option_string in _OLD_SPELLINGS:
            print(f"website-catalog: {option_string} is deprecated: use {_OLD_SPELLINGS[option_string]}",
                  file=sys.stderr)
        setattr(namespace, self.dest, values)


_OLD_SPELLINGS = {"--min-percent": "--min-translated"}


def _add_min_translated(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-translated", "--min-percent", dest="min_percent", type=float,
                        default=activation.DEFAULT_MIN_PERCENT, action=_DeprecatedAlias, metavar="PERCENT",
                        help="percent translated a catalog needs to be offered "
                             "(--min-percent: the old name, deprecated)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["sync"]:
        # The workspace's command (it needs the edit history): a process of its own.
        return subprocess.run([sys.executable, "-m", "website.workspace.sync_cli", *argv[1:]]).returncode
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
    update = commands.add_parser("update", help="merge the template into the catalogs (new strings stay empty)")
    update.add_argument("files", nargs="*")
    update.add_argument("--locale-dir", default="locale")
    update.add_argument("--template", default=os.path.join("locale", "messages.pot"))
    update.add_argument("--contact", default="", help="Report-Msgid-Bugs-To and Language-Team address")
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
    _add_min_translated(build)
    fake = commands.add_parser("pseudo", help="generate the pseudo-locales from the template")
    fake.add_argument("--template", default=os.path.join("locale", "messages.pot"))
    fake.add_argument("--out", default=os.path.join("build", "pseudo"))
    stats = commands.add_parser("stats", help="translation progress per locale")
    stats.add_argument("--locale-dir", default="locale")
    _add_min_translated(stats)
    merge = commands.add_parser("merge-po", help="git merge driver for .po files (make git-setup)")
    merge.add_argument("base")
    merge.add_argument("ours")
    merge.add_argument("theirs")
    merge.add_argument("path", nargs="?", default="")
    commands.add_parser("sync", help="commit the workspace's saves, integrate the remote, push "
                                     "(website-catalog sync --help)")
    pull = commands.add_parser("pull", help="bring locale/ to the remote branch's version, compile")
    pull.add_argument("--remote", default="origin", help="a remote name or URL (default: origin)")
    pull.add_argument("--branch", default=None, help="default: the checked-out branch")
    pull.add_argument("--locale-dir", default="locale")
    args = parser.parse_args(argv)
    if args.command == "pull":
        return _pull(args)
    if args.command == "merge-po":
        return merge_po(args.base, args.ours, args.theirs, args.path)
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
        elif args.command == "update":
            paths = args.files or _all_catalogs(args.locale_dir)
            changed = update_catalogs(paths, template=args.template, contact=args.contact)
            for path in changed:
                print(f"updated {path}")
            print(f"{len(paths)} catalogs merged with {args.template}: {len(changed)} changed")
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
