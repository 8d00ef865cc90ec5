"""The workspace's parts wired together for one data directory and one locale folder.

>>> import tempfile
>>> workspace = Workspace.open(tempfile.mkdtemp(), "/nonexistent/locale")
>>> workspace.store.locales()
[]
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import functools
import os

from website.workspace import accounts as accounts_module
from website.workspace.db import FILENAME, Database
from website.i18n import tags
from website.workspace.history import History
from website.workspace.memory import Memory
from website.workspace.po_store import CatalogStore
from website.workspace.review import Review

__all__ = ["Workspace"]


@dataclasses.dataclass
class Workspace:
    data_dir: str
    db: Database
    accounts: accounts_module.Accounts
    history: History
    store: CatalogStore
    review: Review
    memory: Memory
    _pools: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def open(cls, data_dir: str | os.PathLike, locale_dir: str | os.PathLike, **account_options) -> "Workspace":
        """Create the data directory and database if needed, and run the migrations."""
        data_dir = os.fspath(data_dir)
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        db = Database(os.path.join(data_dir, FILENAME))
        db.migrate()
        history = History(db)
        store = CatalogStore(os.fspath(locale_dir), history)
        return cls(
            data_dir=data_dir,
            db=db,
            accounts=accounts_module.Accounts(db, **account_options),
            history=history,
            store=store,
            review=Review(db, store),
            memory=Memory(db),
        )

    def help_for(self, gettext_id: str, entry: dict, user) -> dict:
        """What the help endpoint answers for one entry: memory, other languages, glossary, suggestions."""
        listing, _index = self.store.listing(gettext_id)
        others = []
        languages = self.store.locales() if user.is_admin else user.all_languages
        for other in languages:
            if other == gettext_id or self.store.po_path(other) is None:
                continue
            found = self.store.get(other, entry["id"])
            if found and not found["fuzzy"] and all(found["translation"]):
                others.append({"tag": tags.from_gettext_id(other), "translation": found["translation"]})
        return {
            "memory": self.memory.matches(gettext_id, entry, listing),
            "other_languages": others,
            "glossary": self.memory.glossary_for(gettext_id, entry["source"][0], entry["translation"]),
            "suggestions": self.review.suggestions(gettext_id, entry["id"]),
        }

    async def run(self, function, *args, **kwargs):
        """Run short blocking work (SQLite, scrypt, reading a catalog) off the IOLoop."""
        return await self._run("quick", 4, function, *args, **kwargs)

    async def run_catalog(self, function, *args, **kwargs):
        """Run changes to catalogs (file lock, write, recompile) off the IOLoop.

        Their own threads: saves waiting for a catalog's lock must not hold up
        the session lookups and reads of every other request.
        """
        return await self._run("catalog", 3, function, *args, **kwargs)

    async def _run(self, name: str, threads: int, function, *args, **kwargs):
        pool = self._pools.get(name)
        if pool is None:
            # Created on first use, so after the worker processes fork.
            pool = self._pools[name] = concurrent.futures.ThreadPoolExecutor(threads, f"workspace-{name}")
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(pool, call)
