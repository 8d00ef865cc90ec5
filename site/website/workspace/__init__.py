"""The translator workspace: accounts, sign-in, and editing catalogs in the browser.

The ``.po`` files stay the truth; the workspace's SQLite database
(:mod:`~website.workspace.db`) holds only accounts, sessions, throttling,
the history of edits, the audit log, and what is not publishable text:
suggestions, approvals, translation memory and glossaries.

Its core, which knows nothing of HTTP:

- :mod:`~website.workspace.db`: one SQLite file (WAL), numbered migrations;
- :mod:`~website.workspace.passwords`: scrypt hashes that name their parameters;
- :mod:`~website.workspace.roles`: what an account may do in each language (``User``);
- :mod:`~website.workspace.accounts`: accounts, sessions, throttling, audit log;
- :mod:`~website.workspace.history`: who changed which entry, when, how;
- :mod:`~website.workspace.entries`: an entry's value, revision and validation;
- :mod:`~website.workspace.file_lock`: one writer per catalog across processes;
- :mod:`~website.workspace.po_text`: changed entries spliced into a catalog's text;
- :mod:`~website.workspace.recompile`: compiling a saved catalog, into the log;
- :mod:`~website.workspace.po_store`: locked compare-and-swap edits of one ``.po``;
- :mod:`~website.workspace.review`: suggestions, approvals, review states;
- :mod:`~website.workspace.memory`: translation memory and glossaries;
- :mod:`~website.workspace.upload`: merging an uploaded ``.po`` entry by entry;
- :mod:`~website.workspace.service`: the parts wired together for one data directory;
- :mod:`~website.workspace.catalog_sync`: saves committed to git per translator, the sync;
- :mod:`~website.workspace.sync_cli`: ``website-catalog sync``;
- :mod:`~website.workspace.admin_cli`: ``website-admin``.

Its core imports only website.i18n, website.toolchain, website.files and
website.config from the rest of the package (and rapidfuzz for the memory). Over HTTP, above
:mod:`website.handlers`:

- :mod:`~website.workspace.sessions`: the session and translator-mode cookies;
- :mod:`~website.workspace.base_handler`: what every workspace handler checks;
- :mod:`~website.workspace.handlers`: sign-in pages, the editor and its JSON API;
- :mod:`~website.workspace.review_handlers`: help, suggestions and review over JSON;
- :mod:`~website.workspace.translator_mode`: the page hook, ``/translate/mode``, the live socket.

website.workspace.handlers and website.workspace.translator_mode do not
import each other: what they share is in the two modules above them.
"""
