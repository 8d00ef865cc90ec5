"""``website-catalog sync``: commit the workspace's saves, integrate the remote's changes, push.

``website-catalog sync [--remote R] [--branch B] [--push-branch P]
[--data-dir DIR] [--origin URL] [--locale-dir DIR]`` runs one
:meth:`website.workspace.catalog_sync.CatalogSync.sync` (what the server does
every ``--sync_interval`` with ``--catalog_sync``) and prints one line::

    sync: C commits pushed, U entries from upstream, K kept from the workspace, 0 lost

Exit status 0, or 1 with the reason on stderr. (``website-catalog`` is the
toolchain's command; this one needs the workspace's history, which is above
the toolchain, so the toolchain's CLI runs it as its own process.)
"""

from __future__ import annotations

import argparse
import os
import sys

from website.config import DATA_DIR, ROOT
from website.workspace.catalog_sync import CatalogSync
from website.workspace.service import Workspace

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="website-catalog sync", description=__doc__.split("\n")[0])
    parser.add_argument("--remote", default="origin", help="a remote name or URL (default: origin)")
    parser.add_argument("--branch", default=None, help="the branch to sync with (default: the checked-out one)")
    parser.add_argument("--push-branch", default=None, help="push to this branch instead (pull-request workflow)")
    parser.add_argument("--data-dir", default=str(DATA_DIR), help="the workspace's data (its history)")
    parser.add_argument("--locale-dir", default=os.path.join(str(ROOT), "locale"))
    parser.add_argument("--origin", default="", help="the site's origin: authors' default mail domain")
    parser.add_argument("--commit-interval", type=float, default=0.0,
                        help="commit saves only once the oldest is this old (the server's --commit_interval); "
                             "0, the default: commit every pending save now")
    args = parser.parse_args(argv)
    workspace = Workspace.open(args.data_dir, args.locale_dir)
    syncer = CatalogSync(workspace, origin=args.origin, remote=args.remote, branch=args.branch,
                         push_branch=args.push_branch, commit_interval=args.commit_interval)
    report = syncer.sync()
    if report is None:
        print("website-catalog sync: another sync is running", file=sys.stderr)
        return 1
    if report.error:
        print(f"website-catalog sync: {report.error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
