"""Translation memory and glossary: what helps a translator with one entry.

Memory matches are sources similar to the entry's (rapidfuzz's normalized
Levenshtein ratio, 0 to 100, at least :data:`THRESHOLD`, as
translate-toolkit's matcher does), taken from this language's published
entries and from imported memories (TMX files and PO compendia,
:meth:`Memory.import_file`). Nothing is machine-translated.

>>> import tempfile, os
>>> from website.workspace.db import Database
>>> db = Database(os.path.join(tempfile.mkdtemp(), "w.sqlite3")); _ = db.migrate()
>>> memory = Memory(db)
>>> memory.add_units("fr", [("Save the file", "Enregistrer le fichier")], origin="doc")
1
>>> [(m["translation"], m["score"]) for m in memory.imported_matches("fr", "Save the files")]
[(['Enregistrer le fichier'], 96)]
>>> memory.set_glossary("fr", [("file", "fichier", "")])
1
>>> memory.glossary_for("fr", "Open a file", ["Ouvrir un document"])
[{'term': 'file', 'translation': 'fichier', 'note': '', 'missing': True}]
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
import xml.etree.ElementTree as ET

import polib
from rapidfuzz import fuzz, process

from website.i18n import negotiation, tags
from website.workspace.db import Database

__all__ = ["Memory", "MemoryError_", "THRESHOLD", "LIMIT"]

THRESHOLD = 75
LIMIT = 5
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_IMPORT_BYTES = 200 * 1024 * 1024


class MemoryError_(ValueError):  # noqa: N801 - MemoryError is Python's own
    """A file that cannot be imported: the message says why."""


class Memory:
    """Imported memory units and glossaries, per language, in the workspace database."""

    def __init__(self, db: Database):
        self.db = db
        self._cache: dict[str, tuple[int, list[str], list[tuple[str, str]]]] = {}
        self._guard = threading.Lock()

    # -- importing ------------------------------------------------------------------

    def add_units(self, gettext_id: str, units, *, origin: str) -> int:
        """Add (source, translation) pairs of one language; return how many were new."""
        rows = [(gettext_id, s, t, origin) for s, t in units if s and t]

        def insert(c):
            before = c.total_changes
            c.executemany("INSERT OR IGNORE INTO memory (locale, source, translation, origin) VALUES (?, ?, ?, ?)",
                          rows)
            return c.total_changes - before

        return self.db.write(insert)

    def import_file(self, path: str, language: str | None = None, *, locales=None) -> dict[str, int]:
        """Import a TMX file or a PO compendium; return new units per gettext id.

        A TMX file gives every language it holds besides its source language
        (its header's ``srclang``, English when it names none); a PO
        compendium the language of its ``Language`` header or ``language``.
        With ``locales`` (gettext ids of the catalogs), each language goes to
        the catalog that serves it the BCP 47 way (``ru-RU`` to ``ru``) and
        languages no catalog serves are left out.
        """
        if os.path.getsize(path) > MAX_IMPORT_BYTES:
            raise MemoryError_(f"{path} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        origin = os.path.basename(path)
        with open(path, "rb") as fp:
            data = fp.read()
        if path.lower().endswith(".tmx") or data.lstrip()[:200].find(b"<tmx") >= 0:
            by_language = _read_tmx(data, path)
        else:
            by_language = _read_po(data, path, language)
        if locales is not None:
            available = tuple(tags.from_gettext_id(i) for i in locales)
            served: dict[str, list[tuple[str, str]]] = {}
            for gettext_id, units in by_language.items():
                match = negotiation.best_match(tags.from_gettext_id(gettext_id) or "", available)
                if match is not None:
                    served.setdefault(tags.to_gettext_id(match), []).extend(units)
            by_language = served
        if language is not None:
            wanted = _gettext_id(language)
            by_language = {k: v for k, v in by_language.items() if k == wanted}
        return {gettext_id: self.add_units(gettext_id, units, origin=origin)
                for gettext_id, units in sorted(by_language.items())}

    def import_glossary(self, language: str, path: str) -> int:
        """Import a CSV (term, translation, note; a header row is optional); return the terms."""
        gettext_id = _gettext_id(language)
        with open(path, encoding="utf-8-sig", newline="") as fp:
            rows = list(csv.reader(fp))
        if rows and [c.strip().casefold() for c in rows[0][:2]] == ["term", "translation"]:
            rows = rows[1:]
        terms = []
        for number, row in enumerate(rows, 1):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise MemoryError_(f"{path}, row {number}: expected term,translation[,note]")
            terms.append((row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else ""))
        return self.set_glossary(gettext_id, terms)

    def set_glossary(self, gettext_id: str, terms) -> int:
        """Add or replace glossary terms of a language; return how many were given."""
        rows = [(gettext_id, term, translation, note) for term, translation, note in terms]
        self.db.write(lambda c: c.executemany(
            "INSERT INTO glossary (locale, term, translation, note) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (locale, term) DO UPDATE SET translation = excluded.translation, note = excluded.note",
            rows))
        return len(rows)

    # -- matching -------------------------------------------------------------------------

    def _units(self, gettext_id: str) -> tuple[list[str], list[tuple[str, str]]]:
        # Rebuilt when the language's units change: an import is rare, a
        # lookup is on every entry a translator opens.
        count = self.db.read(lambda c: c.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM memory WHERE locale = ?", (gettext_id,)).fetchone())
        stamp = (count[0], count[1])
        with self._guard:
            cached = self._cache.get(gettext_id)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
        rows = self.db.read(lambda c: c.execute(
            "SELECT source, translation, origin FROM memory WHERE locale = ? ORDER BY id",
            (gettext_id,)).fetchall())
        sources = [r["source"] for r in rows]
        values = [(r["translation"], r["origin"]) for r in rows]
        with self._guard:
            self._cache[gettext_id] = (stamp, sources, values)
        return sources, values

    def imported_matches(self, gettext_id: str, source: str, limit: int = LIMIT) -> list[dict]:
        """The imported units whose source is most like ``source``, best first."""
        sources, values = self._units(gettext_id)
        found = process.extract(source, sources, scorer=fuzz.ratio, limit=limit, score_cutoff=THRESHOLD)
        return [{"source": sources[i], "translation": [values[i][0]], "score": round(score),
                 "origin": values[i][1]} for _match, score, i in found]

    def matches(self, gettext_id: str, entry: dict, listing, limit: int = LIMIT) -> list[dict]:
        """Up to ``limit`` matches for an API entry: the language's own entries, then imports."""
        source = entry["source"][0]
        own = [e for e in listing
               if e["id"] != entry["id"] and not e["fuzzy"] and all(e["translation"])
               and len(e["source"]) == len(entry["source"])]
        found = process.extract(source, [e["source"][0] for e in own], scorer=fuzz.ratio, limit=limit,
                                score_cutoff=THRESHOLD)
        results = [{"source": own[i]["source"][0], "translation": own[i]["translation"], "score": round(score),
                    "origin": "catalog"} for _match, score, i in found]
        if len(entry["source"]) == 1:  # imported units have one form
            results += self.imported_matches(gettext_id, source, limit)
        seen, unique = set(), []
        for match in sorted(results, key=lambda m: -m["score"]):
            key = tuple(match["translation"])
            if key not in seen:
                seen.add(key)
                unique.append(match)
        return unique[:limit]

    def glossary_for(self, gettext_id: str, source: str, translation: list[str]) -> list[dict]:
        """The glossary terms found in ``source``; ``missing`` when the translation lacks theirs."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT term, translation, note FROM glossary WHERE locale = ? ORDER BY term",
            (gettext_id,)).fetchall())
        folded = source.casefold()
        text = " ".join(translation).casefold()
        found = []
        for row in rows:
            if re.search(r"(?<!\w)" + re.escape(row["term"].casefold()) + r"(?!\w)", folded):
                found.append({"term": row["term"], "translation": row["translation"], "note": row["note"],
                              "missing": bool(text.strip()) and row["translation"].casefold() not in text})
        return found


def _gettext_id(language: str) -> str:
    gettext_id = tags.to_gettext_id(language)
    if gettext_id is None:
        raise MemoryError_(f"{language!r} is not a language tag (try fr or pt-BR)")
    return gettext_id


def _read_tmx(data: bytes, path: str) -> dict[str, list[tuple[str, str]]]:
    if b"<!ENTITY" in data:
        raise MemoryError_(f"{path}: entity declarations are not accepted in a TMX file")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise MemoryError_(f"{path}: not valid XML ({error})") from None
    header = root.find("header")
    source_language = (header.get("srclang") if header is not None else None) or "en"
    if source_language == "*all*":
        source_language = "en"
    source_key = tags.to_gettext_id(source_language)
    units: dict[str, list[tuple[str, str]]] = {}
    for tu in root.iter("tu"):
        segments = {}
        for tuv in tu.findall("tuv"):
            language = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if language and seg is not None:
                segments[tags.to_gettext_id(language)] = "".join(seg.itertext())
        source = segments.pop(source_key, None)
        if source is None and source_key == "en":
            source = next((v for k, v in segments.items() if k and k.startswith("en")), None)
        if not source:
            continue
        for gettext_id, text in segments.items():
            if gettext_id and gettext_id != source_key and text:
                units.setdefault(gettext_id, []).append((source, text))
    return units


def _read_po(data: bytes, path: str, language: str | None) -> dict[str, list[tuple[str, str]]]:
    try:
        po = polib.pofile(data.decode("utf-8"))
    except (UnicodeDecodeError, OSError, ValueError) as error:
        raise MemoryError_(f"{path}: not a readable .po file ({error})") from None
    named = language or po.metadata.get("Language", "")
    if not named:
        raise MemoryError_(f"{path} has no Language header: give the language")
    gettext_id = _gettext_id(named)
    units = [(e.msgid, e.msgstr) for e in po
             if not e.obsolete and "fuzzy" not in e.flags and not e.msgid_plural and e.msgstr]
    return {gettext_id: units}
