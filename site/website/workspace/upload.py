"""Merging an uploaded ``.po`` (say, from Poedit) into the site's catalog, entry by entry.

An upload is merged against its own base: the workspace's download stamps
the file with ``X-Workspace-Base``, the newest history row at that moment.
For each entry the uploaded value is

- *unchanged* when it equals the site's value (or is empty: an untranslated
  entry in the file says nothing);
- a *conflict* when the site's entry changed after the base (an edit, another
  upload, or a change to the file on disk the workspace noticed): it is not
  overwritten, and the report names it;
- *rejected* when it fails a check with an error, or the site has no such
  entry, with the reason;
- *applied* otherwise.

An upload follows the rules of a save by the same account
(:meth:`website.workspace.review.Review.save`): where the language hides
unreviewed text, an applied (or re-sent) finished translation is written as
fuzzy and marked as awaiting review, whoever uploads it, so visitors keep
seeing English until a reviewer approves it. A suggest-only account may not
upload at all (403, like a save): a file is many changes at once, and
suggestions are proposed one entry at a time, where the editor shows the
checks and the memory.

A stamp this workspace did not write is refused (:class:`UploadError`).
A file without the stamp has no known base: only untranslated entries of the
site are filled from it, and every other difference is a conflict, so an old
file can never overwrite newer work.
"""

from __future__ import annotations

import os
import re
import tempfile

import polib

from website.i18n import tags
from website.i18n.deferred import N_, Message, Size
from website.i18n.entry_ids import entry_id
from website.toolchain import checks
from website.toolchain.po_syntax import parse_text
from website.workspace import po_store
from website.workspace.entries import InvalidInput, value_of

__all__ = ["merge", "UploadError", "BASE_HEADER", "MAX_UPLOAD_BYTES"]

BASE_HEADER = "X-Workspace-Base"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadError(ValueError):
    """The upload as a whole cannot be merged; ``message`` (a :class:`Message`) says why."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


def too_large() -> Message:
    """What an upload over :data:`MAX_UPLOAD_BYTES` is told (by :func:`parse`, or the handler's 413)."""
    return Message(N_("the file is larger than %(size)s"), size=Size(MAX_UPLOAD_BYTES))


def parse(data: bytes, gettext_id: str) -> polib.POFile:
    """The uploaded catalog, or :class:`UploadError` if it is not a ``.po`` for ``gettext_id``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(too_large())
    if b"\x00" in data:
        raise UploadError(Message(N_("this is a binary file, not a .po catalog "
                                     "(a .mo is compiled: upload the .po)")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UploadError(Message(N_("the file is not UTF-8 text"))) from None
    problems = _structural_problems(text, gettext_id)
    if problems:
        raise UploadError(Message(N_("line %(line)s: %(problem)s"), line=problems[0].line,
                                  problem=problems[0].message))
    try:
        uploaded = parse_text(text)
    except (OSError, ValueError) as error:
        raise UploadError(Message(N_("not a .po catalog: %(error)s"), error=str(error))) from None
    language = uploaded.metadata.get("Language", "").strip()
    if not language:
        raise UploadError(Message(N_("the file has no Language header: which language is it?")))
    if tags.to_gettext_id(language) != gettext_id:
        raise UploadError(Message(N_("the file is for %(language)s, not %(expected)s"), language=repr(language),
                                  expected=repr(tags.from_gettext_id(gettext_id))))
    return uploaded


def _structural_problems(text: str, gettext_id: str) -> list[checks.Problem]:
    """Syntax, encoding and duplicate errors of an uploaded catalog, by the catalog checks.

    polib alone silently accepts an unterminated string and drops its last
    character, so the upload goes through the same checks as ``make check``
    (from a temporary copy: they read a file), keeping only the errors that
    make the file unusable; an entry's own problems are judged entry by entry.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, gettext_id, "LC_MESSAGES", "upload.po")
        os.makedirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8") as fp:
            fp.write(text)
        found = checks.check_file(path, gettext_id)
    return [p for p in found if p.check in _STRUCTURAL and p.severity == checks.ERROR]


_STRUCTURAL = ("syntax", "encoding", "duplicate", "unreadable")


def merge(store: po_store.CatalogStore, gettext_id: str, data: bytes, *, account: str, review) -> dict:
    """Merge an upload; return the report ``{applied, unchanged, conflicting, rejected, ...}``.

    ``review`` (:class:`~website.workspace.review.Review`) decides, as for a
    save, which values are kept from visitors until approved.
    """
    uploaded = parse(data, gettext_id)
    base_text = uploaded.metadata.get(BASE_HEADER, "").strip()
    base = int(base_text) if re.fullmatch(r"\d{1,18}", base_text) else None
    # A base claims "I have seen every change up to here": one this workspace
    # never stamped (a later id, a made-up one) would overwrite newer work.
    if base_text and (base is None or not store.history.issued(base)):
        raise UploadError(Message(N_("the file's %(header)s header (%(value)s) is not one this workspace "
                                     "wrote: download the catalog again, or remove the header"),
                                  header=BASE_HEADER, value=repr(base_text[:40])))
    report: dict = {"applied": [], "unchanged": [], "conflicting": [], "rejected": [],
                    "base": base, "compiled": True}
    publish = review.publish_unreviewed(gettext_id)
    held = []  # (entry, value) written as fuzzy, to mark pending once the file is written
    with store.edit(gettext_id, account=account, origin="upload") as edit:
        ids = [entry_id(e.msgctxt, e.msgid) for e in uploaded if not e.obsolete]
        store.note_file_changes(edit, ids)
        changed_on_site = store.history.changed_since(gettext_id, base) if base is not None else set()
        for incoming in uploaded:
            if incoming.obsolete:
                continue
            id_ = entry_id(incoming.msgctxt, incoming.msgid)
            summary = {"id": id_, "context": incoming.msgctxt, "source": incoming.msgid}
            entry = edit.entry(id_)
            if entry is None:
                report["rejected"].append({**summary, "problems": [
                    {"check": "unknown-entry", "severity": checks.ERROR,
                     "message": Message(N_("the site's catalog has no such entry (an old or a different file?)"))}]})
                continue
            current = edit.value(entry)
            sent = wanted = value_of(incoming, edit.nplurals or 0)
            # What the site publishes already stays as it is; a new value is held as a save's is.
            hold = sent != current and review.holds(gettext_id, sent["translation"], sent["fuzzy"],
                                                    publish=publish)
            if hold:
                wanted = {**wanted, "fuzzy": True}
            if not any(wanted["translation"]) or wanted == current:
                if hold and wanted == current:
                    held.append((entry, wanted))  # as a save of the same text: it awaits review
                report["unchanged"].append(summary)
                continue
            site_changed = id_ in changed_on_site if base is not None else any(current["translation"])
            if site_changed:
                report["conflicting"].append({**summary, "current": current, "uploaded": sent})
                continue
            try:
                value = edit.validate(entry, wanted["translation"], wanted["fuzzy"])
            except InvalidInput as error:
                report["rejected"].append({**summary, "problems": error.problems})
                continue
            trial = polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                                  msgctxt=entry.msgctxt, flags=list(incoming.flags))
            if entry.msgid_plural:
                trial.msgstr_plural = dict(enumerate(value["translation"]))
            else:
                trial.msgstr = value["translation"][0]
            errors = [p for p in edit.problems(trial) if p["severity"] == checks.ERROR]
            if errors:
                report["rejected"].append({**summary, "problems": errors})
                continue
            edit.apply(id_, value)
            if hold:
                held.append((entry, value))
            report["applied"].append(summary)
    for entry, value in held:
        review.mark_pending(gettext_id, entry_id(entry.msgctxt, entry.msgid), entry.msgctxt, entry.msgid,
                            value["translation"], account)
    report["compiled"] = edit.compiled
    return report


def stamp(text: str, base: int) -> str:
    """A catalog's text with the ``X-Workspace-Base`` header set (for downloads)."""
    catalog = polib.pofile(text, wrapwidth=76)
    catalog.metadata[BASE_HEADER] = str(base)
    return str(catalog) + "\n"

