"""The benchmark still runs: a few-second version of `make bench`.

It asserts that every figure is measured and reported, never how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_smoke(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", f"--out={tmp_path}"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert set(report["pages"]) >= {"home_en", "home_ru", "home_ar", "languages_search", "language_ru",
                                    "static_versioned", "hello_world", "ratios", "home_ru_uncached",
                                    "home_ru_nginx", "home_ru_mode_off", "home_ru_uncached_mode_off"}
    for name, page in report["pages"].items():
        if name != "ratios":
            assert page["rps"]["median"] > 0 and page["non_2xx"] == 0, name
    assert report["git"]["sync_one_change_s"] > 0 and report["git"]["save_while_syncing_ms"]["n"] > 0
    assert report["git"]["save_while_syncing_cpu_ms"]["n"] == report["git"]["save_while_syncing_ms"]["n"]
    assert report["git"]["summary"].startswith("sync: ")
    assert report["idle"]["connections_open"] == report["size"]["idle"]
    # the peers' page from each stack, and the project's ratios to them
    assert set(report["peers"]) == {"tornado_alone", "flask_babel", "django", "project", "ratios"}
    for name, page in report["peers"].items():
        if name != "ratios":
            assert page["rps"]["median"] > 0 and page["non_2xx"] == 0, name
    assert set(report["peers"]["ratios"]) == {"project_over_tornado", "project_over_django",
                                              "project_over_flask_babel"}
    assert report["catalogs"]["generated"]["locales"] == report["size"]["locales"] + 1
    assert set(report["targets"]) == {"translated_over_source", "ru_over_ceiling", "negotiation_us",
                                      "ru_uncached_over_ceiling", "nginx_over_uncached",
                                      "generated_load_s", "generated_load_mb", "generated_check_s",
                                      "idle_p99_ms", "peers_over_tornado", "peers_over_django",
                                      "peers_over_flask_babel", "languages_search_over_ceiling",
                                      "language_page_over_ceiling", "sort_keys_s", "startup_ratio",
                                      "reload_one_max_ms", "reload_all_max_ms", "generated_rss_mb",
                                      "workspace_save_p95_ms", "workspace_list_ms", "workspace_rps_ratio",
                                      "workspace_help_p95_ms", "workspace_review_save_p95_ms",
                                      "visitor_with_over_without_mode",
                                      "visitor_with_over_without_mode_uncached", "git_sync_s", "git_save_while_syncing_p95_ms"}
    assert report["collation"]["locales"] >= 1 and report["collation"]["seconds"] > 0
    living = report["living"]
    assert living["startup_shipped_s"] > 0 and living["startup_generated_s"] > 0
    assert living["reload_one_max_ms"] > 0 and living["reload_all_max_ms"] > 0
    markdown = (tmp_path / "report.md").read_text()
    assert "## Targets" in markdown and "## The peers' page" in markdown
    assert "## Living catalogs" in markdown
    workspace = report["workspace"]
    assert workspace["save_ms"]["n"] >= 10 and workspace["save_ms"]["p95"] > 0
    assert workspace["list_rebuilt_ms"]["p95"] > 0 and workspace["rps_ratio"]["median"] > 0
    assert workspace["non_2xx"] == 0
    assert workspace["help_ms"]["n"] >= 10 and workspace["save_review_ms"]["p95"] > 0
    assert workspace["save_review_server_cpu_ms"] > 0
