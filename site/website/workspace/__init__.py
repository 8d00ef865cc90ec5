"""The translator workspace: accounts, sign-in, and editing catalogs in the browser.

The ``.po`` files stay the truth; the workspace's SQLite database
(:mod:`~website.workspace.db`) holds only accounts, sessions, throttling,
the history of edits and the audit log.

- :mod:`~website.workspace.db`: one SQLite file (WAL), numbered migrations;
- :mod:`~website.workspace.passwords`: scrypt hashes that name their parameters;
- :mod:`~website.workspace.accounts`: accounts, sessions, throttling, audit log;
- :mod:`~website.workspace.po_store`: locked compare-and-swap edits of one ``.po``;
- :mod:`~website.workspace.upload`: merging an uploaded ``.po`` entry by entry;
- :mod:`~website.workspace.handlers`: sign-in pages, the editor and its JSON API;
- :mod:`~website.workspace.admin_cli`: ``website-admin``.
"""
