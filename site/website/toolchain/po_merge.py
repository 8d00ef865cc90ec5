"""Three-way merge of catalogs, entry by entry: git's merge driver, and the sync's rule.

Entries are matched on ``(msgctxt, msgid)``, never on lines, so a changed
source can never keep a stale translation by accident (the trap of text
merges: po3way). Each entry is decided in parts, against the common base:

- its *source* (msgid_plural, references, extracted comments, flags,
  previous msgid) and whether it is active, obsolete or gone: from the side
  that changed it; when both did, from the *template side* (the side whose
  ``POT-Creation-Date`` is newer: the one that ran ``make update``);
- its *translation* (the forms and the fuzzy flag) and translator comments:
  from the side that changed them; when both changed them differently,
  *ours* is kept and the other value is returned in
  :attr:`Merged.conflicts` (the caller records it: a line on stderr for
  git, the entry's history for the sync);
- a translation changed on one side for an entry the other side made
  obsolete or removed stays in the file, obsolete: nothing is lost.

Headers are merged the same way, field by field; ``POT-Creation-Date`` and
``PO-Revision-Date`` take the later date. Only what cannot be decided (a side
that does not parse; two different Plural-Forms headers, neither CLDR's) is
*undecidable*: :func:`merge` then returns ours with the
:data:`UNRESOLVED_MARK` comment at the top, which ``make check`` reports as
an error.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import re

from babel.messages import catalog as babel_catalog
from babel.messages import pofile as babel_pofile

from website.i18n import plural_forms
from website.toolchain import po_writer
from website.toolchain.checks import UNRESOLVED_MARK
from website.toolchain.po_syntax import syntax_errors

__all__ = ["merge", "merge_catalogs", "Merged", "Conflict", "UNRESOLVED_MARK", "key_of", "translation_of"]

_LATER = ("POT-Creation-Date", "PO-Revision-Date")


@dataclasses.dataclass(frozen=True)
class Conflict:
    """An entry whose translation both sides changed: ``kept`` is ours, ``other`` theirs."""

    msgctxt: str | None
    msgid: str
    kept: dict  # {"translation": [...], "fuzzy": bool}
    other: dict


@dataclasses.dataclass
class Merged:
    text: str
    conflicts: list[Conflict]
    unresolved: str = ""  # why a person must decide; empty when decided
    catalog: babel_catalog.Catalog | None = None

    @property
    def ok(self) -> bool:
        return not self.unresolved


def key_of(message: babel_catalog.Message) -> tuple[str | None, str]:
    """``(msgctxt, msgid)``: what identifies an entry across versions."""
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, msgid


def translation_of(message: babel_catalog.Message | None) -> dict | None:
    """``{"translation": [forms], "fuzzy": bool}`` of a message, as the workspace stores it."""
    if message is None:
        return None
    forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
    return {"translation": [f or "" for f in forms], "fuzzy": message.fuzzy}


def _source_of(message: babel_catalog.Message) -> tuple:
    return (
        tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id,
        tuple(message.locations),
        tuple(message.auto_comments),
        tuple(sorted(f for f in message.flags if f != "fuzzy")),
        tuple(message.previous_id or ()),
    )


def _entries(catalog: babel_catalog.Catalog | None) -> dict:
    """key -> (state, message): state "active" or "obsolete"."""
    if catalog is None:
        return {}
    found: dict = {}
    for message in catalog:
        if message.id:
            found[key_of(message)] = ("active", message)
    for message in catalog.obsolete.values():
        found.setdefault(key_of(message), ("obsolete", message))
    return found


def _pick(base, ours, theirs, *, prefer_theirs: bool):
    """The three-way choice of one part: (value, both_changed_differently)."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return (theirs if prefer_theirs else ours), True


def merge(base: str | None, ours: str, theirs: str) -> Merged:
    """Merge three texts of one catalog; ``base`` None when there is no common ancestor."""
    sides = {}
    for name, text in (("ours", ours), ("theirs", theirs), ("base", base)):
        if text is None or (name == "base" and not text):
            sides[name] = None
            continue
        errors = list(syntax_errors(text))
        if errors:
            return _unresolved(ours, f"{name} has a syntax error at line {errors[0][0]}: {errors[0][1]}")
        try:
            sides[name] = babel_pofile.read_po(io.StringIO(text), abort_invalid=True)
        except Exception as error:  # noqa: BLE001 - whatever the reader refuses, a person decides
            return _unresolved(ours, f"{name} does not parse ({error})")
    ours_catalog, theirs_catalog, base_catalog = sides["ours"], sides["theirs"], sides["base"]
    merged = merge_catalogs(base_catalog, ours_catalog, theirs_catalog)
    if merged.unresolved:
        return _unresolved(ours, merged.unresolved, merged.conflicts)
    merged.text = po_writer.serialize(merged.catalog, ours)
    return merged


def merge_catalogs(base: babel_catalog.Catalog | None, ours: babel_catalog.Catalog,
                   theirs: babel_catalog.Catalog) -> Merged:
    """Merge three parsed catalogs into a new one (``Merged.catalog``); ``text`` is left empty."""
    template_theirs = _pot_date(theirs) > _pot_date(ours)
    result = po_writer.parse(po_writer.serialize(theirs if template_theirs else ours))
    headers, problem = _merge_headers(base, ours, theirs, template_theirs)
    if problem:
        return Merged("", [], problem)
    result.mime_headers = headers
    base_entries, our_entries, their_entries = _entries(base), _entries(ours), _entries(theirs)
    order = list(their_entries if template_theirs else our_entries)
    order += [k for k in (our_entries if template_theirs else their_entries) if k not in set(order)]
    conflicts: list[Conflict] = []
    for key in [key_of(m) for m in result if m.id]:
        result.delete(key[1], context=key[0])
    result.obsolete = collections.OrderedDict()
    for key in order:
        message = _merge_entry(key, base_entries.get(key), our_entries.get(key), their_entries.get(key),
                               template_theirs, conflicts)
        if message is None:
            continue
        state, chosen = message
        if state == "active":
            result[chosen.id] = chosen
        else:
            result.obsolete[key[1] if key[0] is None else (key[1], key[0])] = chosen
    return Merged("", conflicts, "", result)


def _merge_entry(key, base, ours, theirs, template_theirs, conflicts):
    state_of = lambda side: side[0] if side else None  # noqa: E731
    message_of = lambda side: side[1] if side else None  # noqa: E731
    b, o, t = message_of(base), message_of(ours), message_of(theirs)
    state, _ = _pick(state_of(base), state_of(ours), state_of(theirs), prefer_theirs=template_theirs)
    source_side = _pick(*(m and _source_of(m) for m in (b, o, t)), prefer_theirs=template_theirs)[0]
    value, both = _pick(*(translation_of(m) for m in (b, o, t)), prefer_theirs=False)
    comments = _pick(*(m and tuple(m.user_comments) for m in (b, o, t)), prefer_theirs=False)[0]
    if both and o is not None and t is not None:
        conflicts.append(Conflict(key[0], key[1], translation_of(o), translation_of(t)))
    if state is None:
        # Removed by one side: kept (obsolete) only when the other changed its translation since.
        survivor = o if o is not None else t
        value = translation_of(survivor)
        if survivor is None or value == translation_of(b) or not any(value["translation"]):
            return None
        state = "obsolete"
    candidates = [m for m in ((t, o) if template_theirs else (o, t)) if m is not None]
    model = next((m for m in candidates if _source_of(m) == source_side), candidates[0])
    flags = {f for f in model.flags if f != "fuzzy"}
    if value is not None and value["fuzzy"]:
        flags.add("fuzzy")
    string = value["translation"] if value is not None else ("" if not model.pluralizable else ())
    if model.pluralizable:
        string = tuple(string)
    else:
        string = string[0] if isinstance(string, list) else string
    return state, babel_catalog.Message(
        model.id, string, locations=list(model.locations), flags=flags,
        auto_comments=list(model.auto_comments), user_comments=list(comments or ()),
        previous_id=list(model.previous_id or ()), lineno=model.lineno, context=model.context,
    )


def _pot_date(catalog: babel_catalog.Catalog) -> str:
    return dict(catalog.mime_headers).get("POT-Creation-Date", "")


def _merge_headers(base, ours, theirs, template_theirs) -> tuple[list[tuple[str, str]], str]:
    b = dict(base.mime_headers) if base is not None else {}
    o, t = dict(ours.mime_headers), dict(theirs.mime_headers)
    locale = o.get("Language") or t.get("Language") or ""
    merged = []
    for name in list(dict.fromkeys([*o, *t])):
        if name in _LATER:
            values = [v for v in (o.get(name), t.get(name)) if v]
            merged.append((name, max(values, key=_date_key)))
            continue
        value, both = _pick(b.get(name), o.get(name), t.get(name), prefer_theirs=template_theirs)
        if both and name == "Plural-Forms":
            right = [v for v in (o[name], t[name]) if _is_cldr(v, locale)]
            if not right:
                return [], f"both sides changed Plural-Forms ({o[name]!r}, {t[name]!r}), neither CLDR's"
            value = right[0]
        if value is not None:
            merged.append((name, value))
    return merged, ""


def _date_key(value: str) -> str:
    # "2026-12-03 09:33+0000": the text orders by time within one offset, which is all pybabel writes.
    return re.sub(r"\s+", " ", value.strip())


def _is_cldr(header: str, locale: str) -> bool:
    try:
        return not plural_forms.header_mismatches(header, locale.replace("-", "_"))
    except (ValueError, LookupError):
        return False


def _unresolved(ours: str, reason: str, conflicts=None) -> Merged:
    reason = reason.replace("\n", " ")
    text = ours if ours.startswith(UNRESOLVED_MARK) else f"{UNRESOLVED_MARK} {reason}\n{ours}"
    return Merged(text, list(conflicts or []), reason)
