"""Reading and changing catalog entries: the ``.po`` file stays the truth.

Every change is a compare-and-swap on one entry (Weblate's ``contentsum``):

1. take an exclusive ``fcntl.flock`` on ``messages.po.lock`` beside the
   catalog (it holds across threads and processes: each opens its own file
   description);
2. re-read the ``.po`` with polib;
3. compare the entry's revision (a hash of its translation and fuzzy flag)
   with the one the translator started from; a different one is a conflict,
   unless the stored value already is what they send (saving twice in a row,
   or a retry, never conflicts with itself);
4. run the entry checks (errors refuse the save; the markup check is what
   keeps a translator's ``<script>`` off the site);
5. write the file atomically: a temporary file beside it, ``fsync``,
   ``rename`` over the original, ``fsync`` of the directory, so ``kill -9``
   at any moment leaves the old file or the new one;
6. append the history, then recompile that locale with
   :func:`website.toolchain.cli.compile_catalogs`; every worker's reloader
   serves the new ``.mo`` within about a second.

A developer editing the file on disk is just another writer: the revision
the workspace compares is always the file's, and a value that differs from
the last one the workspace wrote is recorded as a ``file`` change.

>>> entry_id(None, "Hello")
'GF-NsyJx_iX1Yab8k4suJg'
>>> entry_id("navigation", "Home") != entry_id(None, "Home")
True
>>> revision({"translation": ["Bonjour"], "fuzzy": False})
'rG4ssW4OpWdOupwq'
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import fcntl
import functools
import glob
import hashlib
import io
import json
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator

import polib
from babel.messages import catalog as babel_catalog
from babel.messages import pofile as babel_pofile

from website.i18n import plural_forms, tags
from website.toolchain import checks, cli
from website.workspace.history import Change, History

__all__ = [
    "CatalogStore",
    "Edit",
    "SaveResult",
    "InvalidInput",
    "entry_id",
    "revision",
    "value_of",
    "write_atomically",
    "STATES",
    "STATE_CHECKS",
    "DOMAIN",
]

DOMAIN = "messages"
STATES = ("untranslated", "fuzzy", "problems", "translated", "all")
MAX_TRANSLATION_LENGTH = 10_000
# Entry checks that describe an entry's state rather than a mistake in it.
STATE_CHECKS = ("untranslated", "fuzzy")
_WRAP_WIDTH = 76  # pybabel's, so a save does not rewrap the whole file
_ALLOWED_CONTROLS = "\n\t"


class InvalidInput(ValueError):
    """A value that cannot be saved: the problems say why."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


@dataclasses.dataclass
class SaveResult:
    status: str  # "saved", "unchanged", "conflict", "invalid"
    entry: dict | None = None
    problems: list[dict] = dataclasses.field(default_factory=list)
    compiled: bool = True


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """A stable, URL-safe id for an entry: base64url of a hash of its gettext key."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest()[:16]).decode().rstrip("=")


def revision(value: dict) -> str:
    """The revision of an entry's value: a hash of its translation(s) and fuzzy flag."""
    data = json.dumps([value["translation"], bool(value["fuzzy"])], ensure_ascii=False)
    return base64.urlsafe_b64encode(hashlib.sha256(data.encode("utf-8")).digest()[:12]).decode()


def value_of(entry: polib.POEntry, nplurals: int) -> dict:
    """``{"translation": [one string per form], "fuzzy": bool}`` of an entry."""
    if entry.msgid_plural:
        count = max(nplurals, len(entry.msgstr_plural))
        translation = [entry.msgstr_plural.get(i, "") for i in range(count)]
    else:
        translation = [entry.msgstr]
    return {"translation": translation, "fuzzy": "fuzzy" in entry.flags}


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that a crash leaves the old file or the new, never part."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                     dir=directory)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    directory_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)


@functools.lru_cache(maxsize=64)
def _form_labels(gettext_id: str, nplurals: int) -> tuple[dict, ...]:
    """Per plural form: its CLDR category and the first integers that take it."""
    try:
        categories = plural_forms.integer_categories(gettext_id)
    except (ValueError, LookupError):
        categories = ()
    if len(categories) != nplurals:
        return tuple({"category": None, "examples": []} for _ in range(nplurals))
    examples = plural_forms.category_examples(gettext_id, (*range(0, 1001), 1_000_000, 2_000_000))
    return tuple({"category": c, "examples": list(examples.get(c, ()))} for c in categories)


class Edit:
    """One locked, freshly read catalog, changed in memory; written when the block ends."""

    def __init__(self, path: str, gettext_id: str, po: polib.POFile):
        self.path = path
        self.gettext_id = gettext_id
        self.po = po
        self.changes: list[Change] = []
        self.compiled = True
        try:
            self.nplurals: int | None = plural_forms.parse_header(po.metadata.get("Plural-Forms", ""))[0]
        except ValueError:
            self.nplurals = None
        self._index = {entry_id(e.msgctxt, e.msgid): e for e in po if not e.obsolete}

    def entry(self, id_: str) -> polib.POEntry | None:
        return self._index.get(id_)

    def entries(self) -> dict[str, polib.POEntry]:
        return self._index

    def value(self, entry: polib.POEntry) -> dict:
        return value_of(entry, self.nplurals or 0)

    def validate(self, entry: polib.POEntry, translation, fuzzy) -> dict:
        """The value to store, or :class:`InvalidInput` for the wrong shape or characters."""
        expected = (self.nplurals if entry.msgid_plural else 1)
        if expected is None:
            raise InvalidInput([_problem("plural-forms", "the catalog's Plural-Forms header is broken: "
                                         "fix it with website-catalog fix-plurals")])
        if not isinstance(fuzzy, bool):
            raise InvalidInput([_problem("input", "'fuzzy' must be true or false")])
        if not isinstance(translation, list) or not all(isinstance(t, str) for t in translation):
            raise InvalidInput([_problem("input", "'translation' must be a list of strings")])
        if len(translation) != expected:
            raise InvalidInput([_problem(
                "plural-count", f"{len(translation)} forms sent, but this entry has {expected}")])
        for text in translation:
            if len(text) > MAX_TRANSLATION_LENGTH:
                raise InvalidInput([_problem("input", f"a form is longer than {MAX_TRANSLATION_LENGTH} characters")])
            bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs") and c not in _ALLOWED_CONTROLS]
            if bad:
                raise InvalidInput([_problem("control-character",
                                             f"control character U+{ord(bad[0]):04X} in the translation")])
        return {"translation": list(translation), "fuzzy": fuzzy}

    def apply(self, id_: str, value: dict) -> None:
        """Set an entry's value in memory and note the change."""
        entry = self._index[id_]
        before = self.value(entry)
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(value["translation"]))
        else:
            entry.msgstr = value["translation"][0]
        if value["fuzzy"] and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        elif not value["fuzzy"]:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            # Poedit's habit too: the old source of a reviewed entry is noise.
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        self.changes.append(Change(id_, entry.msgctxt, entry.msgid, before, value))

    def problems(self, entry: polib.POEntry) -> list[dict]:
        return [
            {"check": p.check, "severity": p.severity, "message": p.message}
            for p in checks.check_entry(self.po, entry, self.gettext_id, self.path, nplurals=self.nplurals)
        ]


class CatalogStore:
    """The catalogs under ``locale_dir``, listed from a cache and changed under a lock."""

    def __init__(self, locale_dir: str, history: History,
                 compile: Callable[[list[str]], int] = cli.compile_catalogs):
        self.locale_dir = locale_dir
        self.history = history
        self.compile = compile
        self._listings: dict[str, tuple] = {}
        self._parsed: dict[str, tuple] = {}  # path -> (signature, text, polib.POFile), for saves
        self._guard = threading.Lock()

    def po_path(self, gettext_id: str) -> str | None:
        """The catalog of a locale, or None when there is none."""
        if tags.to_gettext_id(gettext_id) != gettext_id:
            return None
        path = os.path.join(self.locale_dir, gettext_id, "LC_MESSAGES", DOMAIN + ".po")
        return path if os.path.isfile(path) else None

    def locales(self) -> list[str]:
        """Gettext ids of every catalog."""
        try:
            names = sorted(os.listdir(self.locale_dir))
        except OSError:
            return []
        return [n for n in names if self.po_path(n)]

    # -- reading ---------------------------------------------------------------

    def listing(self, gettext_id: str) -> tuple[tuple[dict, ...], dict[str, dict]]:
        """Every entry of a catalog as the API shows it, and an index by id.

        Built once per version of the file (its inode, size and mtime).
        """
        path = self._require(gettext_id)
        signature = _signature(os.stat(path))
        with self._guard:
            cached = self._listings.get(gettext_id)
        if cached and cached[0] == signature:
            return cached[1], cached[2]
        with open(path, "rb") as fp:
            signature = _signature(os.fstat(fp.fileno()))
            po = polib.pofile(fp.read().decode("utf-8"), wrapwidth=_WRAP_WIDTH)
        edit = Edit(path, gettext_id, po)
        entries = tuple(self.describe(edit, e) for e in edit.entries().values())
        by_id = {e["id"]: e for e in entries}
        with self._guard:
            self._listings[gettext_id] = (signature, entries, by_id)
        return entries, by_id

    def get(self, gettext_id: str, id_: str) -> dict | None:
        return self.listing(gettext_id)[1].get(id_)

    def describe(self, edit: Edit, entry: polib.POEntry) -> dict:
        """An entry as the JSON API shows it."""
        value = edit.value(entry)
        if entry.msgid_plural:
            forms = list(_form_labels(edit.gettext_id, len(value["translation"])))
        else:
            forms = [{"category": None, "examples": []}]
        return {
            "id": entry_id(entry.msgctxt, entry.msgid),
            "context": entry.msgctxt,
            "source": [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid],
            "translation": value["translation"],
            "forms": forms,
            "fuzzy": value["fuzzy"],
            "comments": [c for c in (entry.comment, entry.tcomment) if c],
            "references": [f"{path}:{line}" if line else path for path, line in entry.occurrences],
            "flags": [f for f in entry.flags if f != "fuzzy"],
            "problems": edit.problems(entry),
            "revision": revision(value),
        }

    # -- writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def edit(self, gettext_id: str, *, account: str | None, origin: str) -> Iterator[Edit]:
        """Lock, re-read, yield an :class:`Edit`; write, record and compile what it changed."""
        path = self._require(gettext_id)
        with _locked(path + ".lock"):
            _remove_stale_temporaries(path)
            text, po, before = self._read_locked(path)
            edit = Edit(path, gettext_id, po)
            try:
                yield edit
                if edit.changes:
                    now = dt.datetime.now(dt.timezone.utc)
                    po.metadata["PO-Revision-Date"] = now.strftime("%Y-%m-%d %H:%M+0000")
                    new_text = _splice(text, edit, now) or _rewrite(text, edit, now)
                    write_atomically(path, new_text.encode("utf-8"))
                    after = _signature(os.stat(path))
                    self._parsed[path] = (after, new_text, po)
                    self._update_listing(edit, before, after)
                    self.history.record(gettext_id, edit.changes, account=account, origin=origin)
                    edit.compiled = self.compile([path]) == 0
            except BaseException:
                # The parsed catalog may hold changes that never reached the file.
                self._parsed.pop(path, None)
                raise

    def _read_locked(self, path: str) -> tuple[str, polib.POFile, tuple]:
        """The catalog's text, parsed, and its version; the caller holds its lock.

        The file is always read again; only its parse is kept between saves,
        reused when the bytes are exactly those this process wrote or parsed
        last (comparing them costs far less than parsing them again).
        """
        with open(path, "rb") as fp:
            signature = _signature(os.fstat(fp.fileno()))
            text = fp.read().decode("utf-8")
        cached = self._parsed.get(path)
        if cached and cached[1] == text:
            return text, cached[2], signature
        po = polib.pofile(text, wrapwidth=_WRAP_WIDTH)
        self._parsed[path] = (signature, text, po)
        return text, po, signature

    def _update_listing(self, edit: Edit, before: tuple, after: tuple) -> None:
        # The cached listing of the file this edit started from is brought
        # up to date entry by entry, rather than rebuilt: re-checking every
        # entry of a 2,000-message catalog after each save costs more than
        # the save.
        with self._guard:
            cached = self._listings.get(edit.gettext_id)
            if not cached or cached[0] != before:
                return
            fresh = {change.entry_id: self.describe(edit, edit.entry(change.entry_id)) for change in edit.changes}
            entries = tuple(fresh.get(e["id"], e) for e in cached[1])
            self._listings[edit.gettext_id] = (after, entries, {e["id"]: e for e in entries})

    def note_file_changes(self, edit: Edit, ids) -> None:
        """Record as ``file`` changes the entries that differ from what the workspace last wrote."""
        last = self.history.last_values(edit.gettext_id)
        changes = []
        for id_ in ids:
            before = last.get(id_)
            entry = edit.entry(id_)
            if before is not None and entry is not None and before != edit.value(entry):
                changes.append(Change(id_, entry.msgctxt, entry.msgid, before, edit.value(entry)))
        self.history.record(edit.gettext_id, changes, account=None, origin="file")

    def notice_file_changes(self, gettext_id: str, ids) -> None:
        """Record, under the lock, the ``file`` changes of these entries (before showing their history)."""
        with self.edit(gettext_id, account=None, origin="file") as edit:
            self.note_file_changes(edit, ids)

    def save(self, gettext_id: str, id_: str, translation, fuzzy, base_revision: str,
             *, account: str) -> SaveResult:
        """Compare-and-swap one entry. Raises KeyError for an unknown catalog or entry."""
        with self.edit(gettext_id, account=account, origin="editor") as edit:
            entry = edit.entry(id_)
            if entry is None:
                raise KeyError(id_)
            self.note_file_changes(edit, [id_])
            value = edit.validate(entry, translation, fuzzy)
            current = edit.value(entry)
            if value == current:
                return SaveResult("unchanged", self.describe(edit, entry))
            if base_revision != revision(current):
                return SaveResult("conflict", self.describe(edit, entry))
            # Checked on a copy: a refused value never touches the entry.
            trial = polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                                  msgctxt=entry.msgctxt, flags=list(entry.flags), linenum=entry.linenum)
            if entry.msgid_plural:
                trial.msgstr_plural = dict(enumerate(value["translation"]))
            else:
                trial.msgstr = value["translation"][0]
            problems = edit.problems(trial)
            if any(p["severity"] == checks.ERROR for p in problems):
                return SaveResult("invalid", self.describe(edit, entry), problems=problems)
            edit.apply(id_, value)
        return SaveResult("saved", self.describe(edit, entry), problems=problems,
                          compiled=edit.compiled)

    def _require(self, gettext_id: str) -> str:
        path = self.po_path(gettext_id)
        if path is None:
            raise KeyError(gettext_id)
        return path


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _message(entry: polib.POEntry, value: dict) -> babel_catalog.Message:
    """The Babel message of a polib entry holding ``value``, for Babel's writer."""
    flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if value["fuzzy"] else [])
    locations = [(path, int(line) if line.isdigit() else None) for path, line in entry.occurrences]
    return babel_catalog.Message(
        (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid,
        tuple(value["translation"]) if entry.msgid_plural else value["translation"][0],
        locations=locations, flags=flags,
        auto_comments=entry.comment.split("\n") if entry.comment else [],
        user_comments=entry.tcomment.split("\n") if entry.tcomment else [],
        context=entry.msgctxt,
    )


def _block(message: babel_catalog.Message, plural_forms_header: str) -> str:
    """The lines Babel's writer gives ``message`` in a catalog with that Plural-Forms header."""
    catalog = babel_catalog.Catalog()
    # The header decides how many msgstr[i] lines a plural entry gets.
    catalog.mime_headers = [("Plural-Forms", plural_forms_header)]
    catalog[message.id] = message
    buffer = io.BytesIO()
    babel_pofile.write_po(buffer, catalog, width=_WRAP_WIDTH, omit_header=True)
    return buffer.getvalue().decode("utf-8")


_REVISION_RE = re.compile(r'^"PO-Revision-Date: [^"\n]*\\n"$', re.MULTILINE)


def _splice(text: str, edit: Edit, now: dt.datetime) -> str | None:
    """``text`` with the changed entries' blocks replaced, or None when that is not safe.

    Each block is what Babel's writer (the one ``make update`` uses) makes of
    the entry before and after the change; it must be found exactly once, at
    the start of a block, so the rest of the file keeps every byte. Otherwise :func:`_rewrite` writes
    the whole catalog.
    """
    header = edit.po.metadata.get("Plural-Forms", "")
    for change in edit.changes:
        entry = edit.entry(change.entry_id)
        if entry.previous_msgid or entry.previous_msgctxt or entry.previous_msgid_plural:
            return None  # "#|" lines are dropped by Babel's writer: let it rewrite everything
        old = _block(_message(entry, change.before), header)
        new = _block(_message(entry, change.after), header)
        # Blocks are separated by a blank line: anchoring on it means a block
        # without comments is never found inside another one (after its msgctxt).
        if text.count("\n\n" + old) != 1:
            return None
        text = text.replace("\n\n" + old, "\n\n" + new, 1)
    stamp = f'"PO-Revision-Date: {now.strftime("%Y-%m-%d %H:%M+0000")}\\n"'
    return _REVISION_RE.sub(lambda _match: stamp, text, count=1)


def _rewrite(text: str, edit: Edit, now: dt.datetime) -> str:
    """The whole catalog written again by Babel's writer, with the edit's changes."""
    catalog = babel_pofile.read_po(io.StringIO(text), locale=None)
    for change in edit.changes:
        entry = edit.entry(change.entry_id)
        message = catalog.get(entry.msgid, context=entry.msgctxt)
        value = change.after
        message.string = tuple(value["translation"]) if entry.msgid_plural else value["translation"][0]
        if value["fuzzy"]:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
    catalog.revision_date = now
    buffer = io.BytesIO()
    babel_pofile.write_po(buffer, catalog, width=_WRAP_WIDTH)
    return buffer.getvalue().decode("utf-8")


def _signature(stat: os.stat_result) -> tuple:
    """What identifies one version of a file: a rename gives a new inode."""
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _remove_stale_temporaries(path: str) -> None:
    # Only the holder of the lock writes temporaries, so under the lock any
    # left over were a writer's that was killed between write and rename.
    directory, name = os.path.split(path)
    for leftover in glob.glob(os.path.join(glob.escape(directory), f".{glob.escape(name)}.*.tmp")):
        with contextlib.suppress(OSError):
            os.remove(leftover)


def _problem(check: str, message: str) -> dict:
    return {"check": check, "severity": checks.ERROR, "message": message}
