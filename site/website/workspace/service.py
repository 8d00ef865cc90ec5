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
from website.workspace.history import History
from website.workspace.po_store import CatalogStore

__all__ = ["Workspace"]


@dataclasses.dataclass
class Workspace:
    data_dir: str
    db: Database
    accounts: accounts_module.Accounts
    history: History
    store: CatalogStore
    _pool: concurrent.futures.ThreadPoolExecutor | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike, locale_dir: str | os.PathLike, **account_options) -> "Workspace":
        """Create the data directory and database if needed, and run the migrations."""
        data_dir = os.fspath(data_dir)
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        db = Database(os.path.join(data_dir, FILENAME))
        db.migrate()
        history = History(db)
        return cls(
            data_dir=data_dir,
            db=db,
            accounts=accounts_module.Accounts(db, **account_options),
            history=history,
            store=CatalogStore(os.fspath(locale_dir), history),
        )

    async def run(self, function, *args, **kwargs):
        """Run blocking work (file locks, scrypt, SQLite, compiling) off the IOLoop."""
        if self._pool is None:
            # Created on first use, so after the worker processes fork.
            self._pool = concurrent.futures.ThreadPoolExecutor(4, "workspace")
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)
