"""``website-admin``: manage the translator workspace's accounts from a shell.

::

    website-admin user add NAME --languages fr,ru [--review fr] [--suggest-only de] [--admin] [--password-stdin]
    website-admin user passwd NAME [--password-stdin]
    website-admin user disable NAME
    website-admin user list
    website-admin user languages NAME --languages fr,ru [--review fr] [--suggest-only de] [--admin]
    website-admin language set TAG --unreviewed publish|hide
    website-admin memory import FILE [--language TAG] [--locale-dir DIR]  (TMX, or a PO compendium)
    website-admin glossary import TAG FILE.csv           (term,translation,note)

An account *translates* (saves) in ``--languages``, also *reviews*
(approves, rejects) in ``--review``, and may only *suggest* in
``--suggest-only``.

Every command takes ``--data-dir`` (default: ``var/`` in the checkout, the
server's ``--data_dir``). Without ``--password-stdin`` the password is asked
twice on the terminal; with it, the first line of standard input is the
password (for scripts: ``printf '%s\\n' "$PASSWORD" | website-admin ...``).
Every change is written to the audit log as ``cli:<login>``.

Exit status: 0 on success, 1 when the command failed (unknown user, name
taken...), 2 on bad usage, with a one-line reason.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from website.config import DATA_DIR, ROOT
from website.i18n import tags
from website.workspace.accounts import Accounts, cli_actor
from website.workspace.db import FILENAME, Database
from website.workspace.memory import Memory, MemoryError_
from website.workspace.po_store import CatalogStore
from website.workspace.review import Review
from website.workspace.roles import AccountError, parse_roles

__all__ = ["main"]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="website-admin", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(DATA_DIR),
                        help="the workspace's data directory (default: %(default)s)")
    commands = parser.add_subparsers(dest="group", required=True)
    user = commands.add_parser("user", help="accounts").add_subparsers(dest="command", required=True)
    # --data-dir is accepted after the command too: `website-admin user list --data-dir=x`.
    common = dict(default=argparse.SUPPRESS, help="the workspace's data directory")
    add = user.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--languages", default="", help="BCP 47 tags it may edit, comma-separated: fr,ru,pt-BR")
    add.add_argument("--review", default="", help="tags it may also approve in (implies --languages)")
    add.add_argument("--suggest-only", default="", help="tags it may only suggest translations in")
    add.add_argument("--admin", action="store_true", help="may edit every language")
    add.add_argument("--email", default=None, help="address their git commits are authored with")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--data-dir", **common)
    passwd = user.add_parser("passwd", help="set a new password (ends the account's sessions)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.add_argument("--data-dir", **common)
    disable = user.add_parser("disable", help="disable an account (ends its sessions)")
    disable.add_argument("name")
    disable.add_argument("--data-dir", **common)
    grant = user.add_parser("languages", help="replace the languages an account may edit (and its admin flag)")
    grant.add_argument("name")
    grant.add_argument("--languages", default="", help="BCP 47 tags, comma-separated (empty: none)")
    grant.add_argument("--review", default="", help="tags it may also approve in (implies --languages)")
    grant.add_argument("--suggest-only", default="", help="tags it may only suggest translations in")
    grant.add_argument("--admin", action="store_true", help="may edit every language")
    grant.add_argument("--data-dir", **common)
    listing = user.add_parser("list", help="list the accounts")
    listing.add_argument("--data-dir", **common)
    language = commands.add_parser("language", help="per-language settings").add_subparsers(
        dest="command", required=True)
    setting = language.add_parser("set", help="whether unreviewed translations reach visitors")
    setting.add_argument("tag", help="the language (BCP 47 tag)")
    setting.add_argument("--unreviewed", choices=("publish", "hide"), required=True,
                         help="publish: visitors see translations at once; hide: only once approved "
                              "(until then the catalog keeps them fuzzy, visitors see English)")
    setting.add_argument("--data-dir", **common)
    memory = commands.add_parser("memory", help="translation memory").add_subparsers(dest="command", required=True)
    memory_import = memory.add_parser("import", help="import a TMX file or a PO compendium")
    memory_import.add_argument("file")
    memory_import.add_argument("--language", help="only this language (a PO compendium without a Language header)")
    memory_import.add_argument("--locale-dir", default=str(ROOT / "locale"),
                               help="the catalogs units are matched to (default: %(default)s)")
    memory_import.add_argument("--data-dir", **common)
    glossary = commands.add_parser("glossary", help="glossaries").add_subparsers(dest="command", required=True)
    glossary_import = glossary.add_parser("import", help="import a CSV: term,translation,note")
    glossary_import.add_argument("tag")
    glossary_import.add_argument("file")
    glossary_import.add_argument("--data-dir", **common)
    args = parser.parse_args(argv)

    db = Database(f"{args.data_dir}/{FILENAME}")
    try:
        db.migrate()
    except Exception as error:  # noqa: BLE001 - a one-line reason rather than a traceback
        print(f"website-admin: cannot open {db.path}: {error}", file=sys.stderr)
        return 1
    accounts = Accounts(db)
    actor = cli_actor()
    try:
        if args.group == "memory":
            store = CatalogStore(args.locale_dir, history=None)
            counts = Memory(db).import_file(args.file, args.language, locales=store.locales())
            if not counts:
                raise AccountError(f"{args.file}: no translation units for any language")
            for gettext_id, count in counts.items():
                print(f"{tags.from_gettext_id(gettext_id) or gettext_id}: {count} new units")
            accounts.audit("memory import", actor, "local", f"{args.file}: {counts}")
        elif args.group == "glossary":
            count = Memory(db).import_glossary(args.tag, args.file)
            print(f"{args.tag}: {count} glossary terms")
            accounts.audit("glossary import", actor, "local", f"{args.tag} {args.file}: {count}")
        elif args.group == "language":
            gettext_id = tags.to_gettext_id(args.tag)
            if gettext_id is None:
                raise AccountError(f"{args.tag!r} is not a language tag (try fr or pt-BR)")
            Review(db, store=None).set_publish_unreviewed(gettext_id, args.unreviewed == "publish")
            accounts.audit("language setting", actor, "local", f"{gettext_id}: unreviewed={args.unreviewed}")
            print(f"{tags.from_gettext_id(gettext_id)}: unreviewed translations are "
                  + ("published" if args.unreviewed == "publish" else "kept from visitors until approved"))
        elif args.command == "add":
            if not (args.languages or args.review or args.suggest_only or args.admin):
                print("website-admin: give --languages (e.g. fr,ru), --review, --suggest-only or --admin",
                      file=sys.stderr)
                return 2
            if args.email is not None and not _EMAIL_RE.fullmatch(args.email):
                print(f"website-admin: {args.email!r} is not an email address", file=sys.stderr)
                return 2
            # The roles are checked before the password is asked for.
            parse_roles(args.languages, args.review, args.suggest_only)
            created = accounts.add_user(args.name, _read_password(args.password_stdin), args.languages,
                                        args.admin, by=actor, review=args.review,
                                        suggest_only=args.suggest_only, email=args.email)
            print(f"added {created.name}: {_describe(created)}")
        elif args.command == "passwd":
            if accounts.get_user(args.name) is None:
                raise AccountError(f"no user {args.name!r}")
            accounts.set_password(args.name, _read_password(args.password_stdin), by=actor)
            print(f"password changed for {args.name}; their sessions are ended")
        elif args.command == "languages":
            accounts.set_permissions(args.name, args.languages, args.admin, by=actor, review=args.review,
                                     suggest_only=args.suggest_only)
            print(f"{args.name}: {_describe(accounts.get_user(args.name))}")
        elif args.command == "disable":
            accounts.set_disabled(args.name, True, by=actor)
            print(f"disabled {args.name}; their sessions are ended")
        else:
            for account in accounts.list_users():
                state = "disabled" if account.disabled else "active"
                print(f"{account.name}\t{state}\t{_describe(account)}")
    except (AccountError, MemoryError_) as error:
        print(f"website-admin: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"website-admin: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("website-admin: cancelled", file=sys.stderr)
        return 1
    return 0


_EMAIL_RE = re.compile(r"[^@\s<>]+@[^@\s<>]+")


def _describe(account) -> str:
    def listed(ids):
        return ",".join(tags.from_gettext_id(i) or i for i in ids)
    if account.is_admin:
        return "admin (every language)"
    text = f"languages {listed(account.languages) or '-'}"
    if account.review:
        text += f", review {listed(account.review)}"
    if account.suggest_only:
        text += f", suggest only {listed(account.suggest_only)}"
    return text


if __name__ == "__main__":
    sys.exit(main())
