"""Accounts, passwords, sessions, throttling and website-admin, on a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from website.workspace import accounts as accounts_module
from website.workspace import passwords
from website.workspace.accounts import Accounts
from website.workspace.db import FILENAME, MIGRATIONS, Database
from website.workspace.roles import AccountError

from workspace_helpers import PASSWORD, admin


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock):
    db = Database(tmp_path / FILENAME)
    db.migrate()
    return Accounts(db, hash_cost=2**12, clock=clock)


def audit_actions(accounts):
    return [row["action"] for row in reversed(accounts.audit_log())]


# -- the database --------------------------------------------------------------

def test_migrations_run_once_and_the_file_is_wal(tmp_path):
    db = Database(tmp_path / "sub" / FILENAME)
    assert db.migrate() == len(MIGRATIONS)
    assert db.migrate() == len(MIGRATIONS)
    connection = sqlite3.connect(tmp_path / "sub" / FILENAME)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "sessions", "failures", "history", "audit"} <= tables


def test_migrations_from_several_processes_at_once_agree(tmp_path):
    # Thirty new files: the race to switch a new file to WAL lost about one
    # start in fifteen before it was retried (db._use_wal).
    for round_ in range(30):
        path = tmp_path / str(round_) / FILENAME
        errors = []

        def migrate():
            try:
                Database(path).migrate()
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=migrate) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert Database(path).migrate() == len(MIGRATIONS)


def test_a_newer_schema_is_refused(tmp_path):
    db = Database(tmp_path / FILENAME)
    db.migrate()
    sqlite3.connect(tmp_path / FILENAME).execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        db.migrate()


def test_online_backup_copies_everything(accounts, tmp_path):
    accounts.add_user("maria", PASSWORD, ["ru"])
    accounts.db.backup(tmp_path / "backup.sqlite3")
    copy = sqlite3.connect(tmp_path / "backup.sqlite3")
    assert copy.execute("SELECT name FROM users").fetchall() == [("maria",)]


# -- passwords -------------------------------------------------------------------

def test_hashes_name_algorithm_and_cost_and_are_salted():
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert first.startswith("scrypt$n=32768,r=8,p=1$")
    assert first != second
    assert passwords.verify_password(PASSWORD, first)
    assert not passwords.verify_password(PASSWORD + "x", first)
    assert not passwords.must_update(first)


@pytest.mark.parametrize("encoded", ["", "scrypt$garbage", "md5$n=1,r=1,p=1$AAAA$AAAA",
                                     "scrypt$n=1024,r=8,p=1$!!!$AAAA"])
def test_malformed_hashes_never_verify(encoded):
    assert passwords.verify_password(PASSWORD, encoded) is False


def test_an_old_hash_is_upgraded_at_the_next_good_sign_in(tmp_path, clock):
    db = Database(tmp_path / FILENAME)
    db.migrate()
    cheap = Accounts(db, hash_cost=2**10, clock=clock)
    cheap.add_user("maria", PASSWORD, ["ru"])
    stored = lambda: db.read(lambda c: c.execute("SELECT password FROM users").fetchone()[0])
    assert passwords.must_update(stored())
    user, outcome = Accounts(db, clock=clock).authenticate("maria", PASSWORD, "10.0.0.1")
    assert outcome == "ok"
    assert not passwords.must_update(stored())
    assert passwords.verify_password(PASSWORD, stored())


# -- accounts --------------------------------------------------------------------

def test_languages_are_stored_as_gettext_ids_and_checked(accounts):
    user = accounts.add_user("maria", PASSWORD, "ru, pt-BR,zh-Hans")
    assert user.languages == ("ru", "pt_BR", "zh_Hans")
    assert user.may_edit("pt_BR") and not user.may_edit("fr")
    admin_user = accounts.add_user("boss", PASSWORD, [], is_admin=True)
    assert admin_user.may_edit("fr")


@pytest.mark.parametrize(("name", "password", "languages", "message"), [
    ("", PASSWORD, "ru", "not a valid user name"),
    ("a b", PASSWORD, "ru", "not a valid user name"),
    ("maria", "short", "ru", "at least"),
    ("maria", PASSWORD, "ru,!!", "not a language tag"),
])
def test_bad_account_input_is_refused(accounts, name, password, languages, message):
    with pytest.raises(AccountError, match=message):
        accounts.add_user(name, password, languages)
    assert accounts.list_users() == []


def test_names_are_unique_whatever_the_case(accounts):
    accounts.add_user("maria", PASSWORD, "ru")
    with pytest.raises(AccountError, match="exists"):
        accounts.add_user("Maria", PASSWORD, "fr")


# -- signing in and throttling ---------------------------------------------------------

def test_wrong_password_unknown_account_and_disabled_account_look_the_same(accounts):
    accounts.add_user("maria", PASSWORD, "ru")
    accounts.add_user("olga", PASSWORD, "ru")
    accounts.set_disabled("olga")
    assert accounts.authenticate("maria", "wrong password", "10.0.0.1") == (None, "invalid")
    assert accounts.authenticate("nobody", "wrong password", "10.0.0.2") == (None, "invalid")
    assert accounts.authenticate("olga", PASSWORD, "10.0.0.3") == (None, "invalid")
    assert audit_actions(accounts)[-3:] == ["sign-in failed"] * 3


@pytest.mark.parametrize("name", ["maria", "nobody"])
def test_six_wrong_passwords_lock_the_account_name_for_a_while(accounts, clock, name):
    accounts.add_user("maria", PASSWORD, "ru")
    for attempt in range(accounts_module.MAX_FAILURES_PER_ACCOUNT):
        assert accounts.authenticate(name, f"wrong {attempt}", f"10.0.0.{attempt}")[1] == "invalid"
    # the sixth attempt is refused even with the right password, from a new address
    assert accounts.authenticate(name, PASSWORD, "10.9.9.9") == (None, "throttled")
    assert "sign-in throttled" in audit_actions(accounts)
    clock.now += accounts_module.THROTTLE_WINDOW_SECONDS + 1
    expected = "ok" if name == "maria" else "invalid"
    assert accounts.authenticate(name, PASSWORD, "10.9.9.9")[1] == expected


def test_one_address_trying_many_names_is_throttled(accounts):
    for number in range(accounts_module.MAX_FAILURES_PER_ADDRESS):
        accounts.authenticate(f"user{number}", "wrong password", "10.6.6.6")
    assert accounts.authenticate("someone-else", "wrong password", "10.6.6.6") == (None, "throttled")
    assert accounts.authenticate("someone-else", "wrong password", "10.7.7.7") == (None, "invalid")


def test_throttling_holds_across_processes_because_it_is_in_the_database(tmp_path, clock):
    db_path = tmp_path / FILENAME
    Database(db_path).migrate()
    first = Accounts(Database(db_path), hash_cost=2**10, clock=clock)
    second = Accounts(Database(db_path), hash_cost=2**10, clock=clock)
    first.add_user("maria", PASSWORD, "ru")
    for attempt in range(accounts_module.MAX_FAILURES_PER_ACCOUNT):
        (first if attempt % 2 else second).authenticate("maria", "wrong password", "10.0.0.1")
    assert second.authenticate("maria", PASSWORD, "10.0.0.1") == (None, "throttled")


# -- sessions ----------------------------------------------------------------------------

def test_sessions_store_only_a_hash_of_the_token(accounts):
    user = accounts.add_user("maria", PASSWORD, "ru")
    token = accounts.create_session(user)
    stored = accounts.db.read(lambda c: c.execute("SELECT token_hash FROM sessions").fetchone()[0])
    assert token not in stored and len(token) >= 40
    assert accounts.session_user(token).name == "maria"
    assert accounts.session_user(token + "x") is None
    assert accounts.session_user("") is None


def test_sessions_expire_when_idle_but_not_while_used(accounts, clock):
    user = accounts.add_user("maria", PASSWORD, "ru")
    token = accounts.create_session(user)
    for _ in range(5):  # used every hour: stays alive past the idle limit
        clock.now += 3600
        assert accounts.session_user(token) is not None
    clock.now += accounts_module.SESSION_IDLE_SECONDS + 1
    assert accounts.session_user(token) is None


def test_sessions_have_a_maximum_age(accounts, clock):
    token = accounts.create_session(accounts.add_user("maria", PASSWORD, "ru"))
    while clock.now < 1_000_000 + accounts_module.SESSION_MAX_SECONDS:
        clock.now += 3000
        accounts.session_user(token)
    assert accounts.session_user(token) is None


@pytest.mark.parametrize("change", ["password", "disable", "logout"])
def test_password_change_disabling_and_logout_end_sessions(accounts, change):
    user = accounts.add_user("maria", PASSWORD, "ru")
    token, other = accounts.create_session(user), accounts.create_session(user)
    if change == "password":
        accounts.set_password("maria", "another long password")
    elif change == "disable":
        accounts.set_disabled("maria")
    else:
        accounts.end_session(token)
    assert accounts.session_user(token) is None
    assert (accounts.session_user(other) is None) == (change != "logout")


# -- website-admin ------------------------------------------------------------------------

def test_website_admin_manages_accounts(tmp_path):
    data = tmp_path / "var"
    added = admin(data, "user", "add", "maria", "--languages", "fr,ru", "--password-stdin")
    assert added.returncode == 0, added.stderr
    assert admin(data, "user", "add", "boss", "--admin", "--password-stdin").returncode == 0
    listing = admin(data, "user", "list", password=None)
    assert listing.returncode == 0
    assert "maria\tactive\tlanguages fr,ru" in listing.stdout
    assert "boss\tactive\tadmin" in listing.stdout
    db = Database(data / FILENAME)
    accounts = Accounts(db)
    assert accounts.authenticate("maria", PASSWORD, "127.0.0.1")[1] == "ok"

    changed = admin(data, "user", "passwd", "maria", "--password-stdin", password="a brand new password")
    assert changed.returncode == 0, changed.stderr
    assert accounts.authenticate("maria", "a brand new password", "127.0.0.1")[1] == "ok"
    assert admin(data, "user", "languages", "maria", "--languages", "uk", password=None).returncode == 0
    assert accounts.get_user("maria").languages == ("uk",)
    assert admin(data, "user", "disable", "maria", password=None).returncode == 0
    assert "maria\tdisabled" in admin(data, "user", "list", password=None).stdout
    actions = [row["action"] for row in accounts.audit_log()]
    assert {"user added", "password changed", "permissions changed", "user disabled"} <= set(actions)
    assert all(row["account"].startswith("cli") for row in accounts.audit_log()
               if row["action"] in ("user added", "password changed", "user disabled"))


@pytest.mark.parametrize(("arguments", "password", "code", "message"), [
    (["user", "add", "maria", "--languages", "ru", "--password-stdin"], "short", 1, "at least"),
    (["user", "add", "maria", "--password-stdin"], PASSWORD, 2, "--languages"),
    (["user", "add", "maria", "--languages", "xx-!!", "--password-stdin"], PASSWORD, 1, "language tag"),
    (["user", "passwd", "nobody", "--password-stdin"], PASSWORD, 1, "no user"),
    (["user", "disable", "nobody"], None, 1, "no user"),
    (["user", "frobnicate"], None, 2, "invalid choice"),
])
def test_website_admin_bad_input_is_a_one_line_error(tmp_path, arguments, password, code, message):
    result = admin(tmp_path / "var", *arguments, password=password)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
