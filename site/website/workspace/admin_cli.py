"""``website-admin``: manage the translator workspace's accounts from a shell.

::

    website-admin user add NAME --languages fr,ru [--admin] [--password-stdin]
    website-admin user passwd NAME [--password-stdin]
    website-admin user disable NAME
    website-admin user list
    website-admin user languages NAME --languages fr,ru [--admin]

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

from website.config import DATA_DIR
from website.i18n import tags
from website.workspace.accounts import AccountError, Accounts, cli_actor
from website.workspace.db import FILENAME, Database

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
    grant.add_argument("--admin", action="store_true", help="may edit every language")
    grant.add_argument("--data-dir", **common)
    listing = user.add_parser("list", help="list the accounts")
    listing.add_argument("--data-dir", **common)
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
        if args.command == "add":
            if not args.languages and not args.admin:
                print("website-admin: give --languages (e.g. fr,ru) or --admin", file=sys.stderr)
                return 2
            if args.email is not None and not _EMAIL_RE.fullmatch(args.email):
                print(f"website-admin: {args.email!r} is not an email address", file=sys.stderr)
                return 2
            created = accounts.add_user(args.name, _read_password(args.password_stdin), args.languages,
                                        args.admin, by=actor, email=args.email)
            print(f"added {created.name}: {_describe(created)}")
        elif args.command == "passwd":
            if accounts.get_user(args.name) is None:
                raise AccountError(f"no user {args.name!r}")
            accounts.set_password(args.name, _read_password(args.password_stdin), by=actor)
            print(f"password changed for {args.name}; their sessions are ended")
        elif args.command == "languages":
            accounts.set_permissions(args.name, args.languages, args.admin, by=actor)
            print(f"{args.name}: {_describe(accounts.get_user(args.name))}")
        elif args.command == "disable":
            accounts.set_disabled(args.name, True, by=actor)
            print(f"disabled {args.name}; their sessions are ended")
        else:
            for account in accounts.list_users():
                state = "disabled" if account.disabled else "active"
                print(f"{account.name}\t{state}\t{_describe(account)}")
    except AccountError as error:
        print(f"website-admin: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, EOFError):
        print("website-admin: cancelled", file=sys.stderr)
        return 1
    return 0


_EMAIL_RE = re.compile(r"[^@\s<>]+@[^@\s<>]+")


def _describe(account) -> str:
    languages = ",".join(tags.from_gettext_id(i) or i for i in account.languages) or "-"
    return "admin (every language)" if account.is_admin else f"languages {languages}"


if __name__ == "__main__":
    sys.exit(main())
