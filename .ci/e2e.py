#!/usr/bin/env python3
"""End-to-end: the real binary, the real server, a real browser.

Builds the small demo company with `fulcrum demo`, starts `fulcrum serve` on a free loopback port,
opens every page in headless Chromium (the DOM after rendering, and a screenshot into
.ci/artifacts/), and checks that the key numbers on the Overview, Segments and an Account Control
Center page equal what `fulcrum report … --format json` and `fulcrum accounts show … --format json`
print for the same store. Stops the server with SIGTERM and expects a graceful exit.

Usage: python3 .ci/e2e.py [--binary .build/debug/fulcrum]
"""
import html.parser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / ".ci" / "artifacts"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


def run(binary, *args):
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True)
    return out.stdout


def report(binary, store, rid, *args):
    return json.loads(run(binary, "report", rid, "--store", store, "--format", "json", *args))


class Values(html.parser.HTMLParser):
    """Collects data-metric values, and table cells (data-column/data-value) by report and row key."""

    def __init__(self):
        super().__init__()
        self.metrics = {}
        self.tables = {}
        # Rows by every row-header cell joined with "|" (tables whose key spans several columns).
        self.full = {}
        self.headers = []
        self.report = None
        self.row_key = None
        self.in_row_header = False
        self.row_cells = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-metric" in a and "data-value" in a:
            self.metrics[a["data-metric"]] = a["data-value"]
        if tag == "table" and "data-report" in a:
            self.report = a["data-report"]
            self.tables.setdefault(self.report, {})
            self.full.setdefault(self.report, {})
        if tag == "tr":
            self.row_key = None
            self.row_cells = {}
            self.headers = []
        if tag == "th" and a.get("scope") == "row":
            self.in_row_header = True
            self.row_key = ""
        if tag == "td" and "data-column" in a:
            self.row_cells[a["data-column"]] = a.get("data-value", "")

    def handle_data(self, data):
        if self.in_row_header:
            self.row_key += data

    def handle_endtag(self, tag):
        if tag == "th" and self.in_row_header:
            self.headers.append(self.row_key.replace("*", "").strip())
        if tag == "th":
            self.in_row_header = False
        if tag == "tr" and self.report and self.row_key is not None:
            key = self.row_key.replace("*", "").strip()
            self.tables[self.report][key] = dict(self.row_cells)
            self.full[self.report]["|".join(self.headers)] = dict(self.row_cells)
        if tag == "table":
            self.report = None


def close(a, b):
    if a in (None, "") or b is None:
        return a in (None, "") and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    sys.exit("e2e: Chromium is not installed (apt-get install -y chromium)")


def browse(browser, url, shot):
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1800"]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", url], check=True, capture_output=True, timeout=120
    )
    return dom


def main():
    binary = str(ROOT / ".build" / "debug" / "fulcrum")
    if "--binary" in sys.argv:
        binary = sys.argv[sys.argv.index("--binary") + 1]
    browser = chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fulcrum-e2e-")
    store = os.path.join(work, "demo.sqlite")
    run(binary, "demo", "--store", store, "--size", "small")
    for kind in ("churn", "conversion", "trial"):
        run(binary, "model", "train", kind, "--store", store)

    server = subprocess.Popen(
        [binary, "serve", "--store", store, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            sys.exit(f"e2e: the server did not say where it listens: {line!r} {server.stderr.read()}")
        base = f"http://127.0.0.1:{match.group(1)}"
        print("e2e: server at", base)

        accounts = json.loads(subprocess.run(
            ["curl", "-sf", base + "/api/v1/accounts?limit=1"], check=True, capture_output=True, text=True
        ).stdout)
        account = accounts["accounts"][0]["id"]

        pages = {
            "overview": "/", "revenue": "/revenue", "segments": "/segments", "funnel": "/funnel", "attribution": "/attribution", "goals": "/goals", "predictions": "/predictions", "accounts": "/accounts",
            "account": f"/accounts/{account}", "definitions": "/definitions", "import": "/import",
            "overview-telecom": "/?segment=Telecom", "revenue-quarter": "/revenue?period=quarter",
        }
        doms = {}
        for name, path in pages.items():
            doms[name] = browse(browser, base + path, ARTIFACTS / f"{name}.png")
            check("<main id=\"main\">" in doms[name], f"{name}: page did not render")
            check("fulcrum: error" not in doms[name], f"{name}: shows an error")

        # Overview against the CLI.
        overview = Values()
        overview.feed(doms["overview"])
        mrr = report(binary, store, "mrr")
        last = [r for r in mrr["rows"] if not r["partial"]][-1]
        retention = report(binary, store, "retention")
        last_retention = [r for r in retention["rows"] if not r["partial"]][-1]
        unit = report(binary, store, "unit-economics")["rows"][0]
        expected = {
            "mrr": last["mrr"], "arr": last["arr"], "customers": last["customers"], "nrr": last_retention["nrr"],
            "grr": last_retention["grr"], "ltv-cac": unit["ltv_cac_fully_loaded"],
            "acv-cac": unit["acv_cac_fully_loaded"], "cac-payback": unit["payback_months"],
        }
        for metric, value in expected.items():
            shown = overview.metrics.get(metric)
            check(close(shown, value), f"overview {metric}: page {shown} vs fulcrum report {value}")

        # The Telecom filter shows the Telecom slice of the same reports.
        telecom = Values()
        telecom.feed(doms["overview-telecom"])
        by_segment = report(binary, store, "mrr", "--by", "segment")
        rows = [r for r in by_segment["rows"] if r["segment"] == "Telecom" and not r["partial"]]
        check(close(telecom.metrics.get("mrr"), rows[-1]["mrr"]), "overview?segment=Telecom mrr differs from --by segment")

        # Segments: every cell of the segment economics table.
        segments = Values()
        segments.feed(doms["segments"])
        economics = report(binary, store, "segment-economics")
        shown_rows = segments.tables.get("segment-economics", {})
        check(len(shown_rows) == len(economics["rows"]), f"segments: {len(shown_rows)} rows vs {len(economics['rows'])}")
        for row in economics["rows"]:
            shown = shown_rows.get(row["segment"], {})
            for column in economics["columns"][1:]:
                check(close(shown.get(column), row[column]), f"segments {row['segment']} {column}: page {shown.get(column)} vs {row[column]}")

        # Funnel: the period view of the last complete quarter, stage by stage.
        funnel_page = Values()
        funnel_page.feed(doms["funnel"])
        funnel = report(binary, store, "funnel", "--period", "quarter")
        quarter = [r for r in funnel["rows"] if not r["partial"]][-1]["quarter"]
        period_rows = [r for r in funnel["rows"] if r["quarter"] == quarter and r["view"] == "period"]
        shown_funnel = funnel_page.tables.get("funnel-period", {})
        for row in period_rows:
            shown = shown_funnel.get(row["stage"], {})
            for column in ("reached", "pct_previous", "median_days"):
                check(close(shown.get(column), row[column]), f"funnel {row['stage']} {column}: page {shown.get(column)} vs {row[column]}")

        # Goals: every node's value equals `fulcrum goals --format json`.
        goals_page = Values()
        goals_page.feed(doms["goals"])
        for node in json.loads(run(binary, "goals", "--store", store, "--format", "json")):
            shown = goals_page.metrics.get("goal-" + node["id"])
            check(close(shown, node["value"]), f"goals {node['id']}: page {shown} vs fulcrum goals {node['value']}")

        # Predictions: the stored models, the buckets and the first next step equal the CLI's.
        predictions = Values()
        predictions.feed(doms["predictions"])
        models = json.loads(run(binary, "model", "list", "--store", store, "--format", "json"))
        for row in models["rows"]:
            shown = predictions.tables.get("models", {}).get(row["kind"], {})
            for column in ("training_rows", "test_rows", "roc_auc", "pr_auc", "brier"):
                check(close(shown.get(column), row[column]), f"predictions model {row['kind']} {column}: page {shown.get(column)} vs {row[column]}")
        buckets = json.loads(run(binary, "model", "buckets", "--store", store, "--format", "json"))
        shown_buckets = predictions.full.get("buckets", {})
        check(len(shown_buckets) == len(buckets["rows"]), f"predictions: {len(shown_buckets)} bucket rows vs {len(buckets['rows'])}")
        for row in buckets["rows"]:
            shown = shown_buckets.get(row["outcome"] + "|" + row["bucket"], {})
            for column in ("accounts", "outcomes", "rate", "rest_rate", "difference_pp"):
                check(close(shown.get(column), row[column]), f"bucket {row['outcome']} {row['bucket']} {column}: page {shown.get(column)} vs {row[column]}")
        steps = json.loads(run(binary, "next-steps", "--store", store, "--limit", "1", "--format", "json"))["rows"][0]
        shown = predictions.tables.get("next-steps", {}).get(steps["account"], {})
        check(close(shown.get("expected_value"), steps["expected_value"]), f"next step {steps['account']}: page {shown.get('expected_value')} vs {steps['expected_value']}")
        indicators = json.loads(run(binary, "model", "indicators", "--store", store, "--format", "json"))
        shown_indicators = predictions.full.get("indicators", {})
        check(len(shown_indicators) == len(indicators["rows"]), "predictions: indicator rows differ from fulcrum model indicators")
        for row in indicators["rows"]:
            shown = shown_indicators.get(f"{row['stage']}|{row['outcome']}|{row['indicator']}", {})
            for column in ("rows", "rate_low", "rate_high", "difference_pp", "p"):
                check(close(shown.get(column), row[column]), f"indicator {row['stage']} {row['outcome']} {row['indicator']} {column}: page {shown.get(column)} vs {row[column]}")

        # Account Control Center against accounts show and accounts-ltv.
        acc = Values()
        acc.feed(doms["account"])
        show = json.loads(run(binary, "accounts", "show", str(account), "--store", store, "--format", "json"))
        check(close(acc.metrics.get("mrr"), show["account"]["mrrMinor"] / 100), f"account mrr: {acc.metrics.get('mrr')} vs {show['account']['mrrMinor']}")
        ltv = report(binary, store, "accounts-ltv", "--limit", "100000")
        row = next(r for r in ltv["rows"] if r["account"] == str(account))
        for field in ("ltv", "revenue_to_date", "expected_residual", "cac_fully_loaded", "ltv_cac_fully_loaded"):
            check(close(acc.metrics.get(field), row[field]), f"account {field}: page {acc.metrics.get(field)} vs accounts-ltv {row[field]}")
        check(show["account"]["name"] in doms["account"].replace("&amp;", "&"), "account page lacks the account's name")
        by_ltv = json.loads(run(binary, "accounts", "--by-ltv", "--store", store, "--limit", "100000", "--format", "json"))
        predicted = next(r for r in by_ltv["rows"] if r["account"] == str(account))
        for field in ("churn_90d", "predicted_residual", "predicted_ltv"):
            check(close(acc.metrics.get(field), predicted[field]), f"account {field}: page {acc.metrics.get(field)} vs accounts --by-ltv {predicted[field]}")

        # The API's report JSON is the CLI's.
        api = json.loads(subprocess.run(["curl", "-sf", base + "/api/v1/reports/mrr"], check=True, capture_output=True, text=True).stdout)
        check(api == mrr, "GET /api/v1/reports/mrr differs from fulcrum report mrr --format json")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
            check(code == 0, f"server exited with {code} after SIGTERM (expected a graceful 0)")
        except subprocess.TimeoutExpired:
            server.kill()
            check(False, "server did not stop within 30 s of SIGTERM")
        shutil.rmtree(work, ignore_errors=True)

    if failures:
        print(f"e2e: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)
    print(f"e2e: every page rendered; key numbers equal the CLI's; screenshots in {ARTIFACTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
