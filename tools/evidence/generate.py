#!/usr/bin/env python3
"""Generate examples/evidence/: a fictional, self-consistent Azure investigation in many export formats.

Usage: python3 tools/evidence/generate.py [--out DIR]

Standard library only, deterministic (run it twice: byte-identical output). The story, the
cast and the expected counts are written to examples/evidence/README.md and printed.
"""
import argparse
import gzip
import io
import json
import os
import shutil
import sys
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import arm  # noqa: E402
import entra  # noqa: E402
import readme  # noqa: E402
import workloads  # noqa: E402
from common import (AUTOMATION_MI, MARIA, SUB_PROD, TENANT_ID, at0, csv_text, day_of, hour_of, json_az,  # noqa: E402
                    json_compact, ps_json)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUBU = SUB_PROD.upper()
WINDOW = "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z"

# Which hourly blobs of the subscription's diagnostic-settings archive were handed over (day, hour); one is gzipped.
ACTIVITY_BLOBS = [(9, 1), (10, 10), (10, 13), (11, 1), (12, 10)]
GZIPPED_BLOB = (11, 1)
# Portal download of rg-aks-prod: "Last 24 hours", taken Friday 13 Nov 12:00 UTC.
PORTAL_FROM, PORTAL_TO = at0(12, "12:00:00"), at0(13, "12:00:00")


class Evidence:
    """Collects files and the event keys of their records, so counts and duplicates are computed, not typed."""

    def __init__(self, root):
        self.root, self.files = root, []

    def write(self, rel, data, fmt, what, keys, members=None):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        self.files.append(dict(path=rel, fmt=fmt, what=what, keys=list(keys), members=members or []))

    def unique(self):
        return {k for f in self.files for k in f["keys"]}

    def total(self):
        return sum(len(f["keys"]) for f in self.files)


def newest_first(evs):
    return sorted(evs, key=lambda e: e["t"], reverse=True)


def oldest_first(evs):
    return sorted(evs, key=lambda e: e["t"])


def jsonl(records, compact=False):
    return "".join((json_compact(r) if compact else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def blob_path(container, resource, day, hour):
    return f"{container}/resourceId={resource}/y=2026/m=11/d={day:02d}/h={hour:02d}/m=00/PT1H.json"


def build(out):
    ev = Evidence(out)
    sub_world = arm.subscription_world()

    # (a) az monitor activity-log list --caller maria.lopez@... (subscription Fabrikam-Prod, whole week)
    a = newest_first([e for e in sub_world if e["sub"] == SUB_PROD and e["ident"] is MARIA])
    ev.write("activity-log/az-cli/az-monitor-activity-log-list_caller-maria.lopez_2026-11-09_2026-11-16.json",
             json_az([arm.rest(e) for e in a]), "REST JSON array (az CLI)",
             "`az monitor activity-log list --caller maria.lopez@fabrikam-logistics.com` over the week, subscription Fabrikam-Prod",
             [e["uid"] for e in a])

    # (b) REST pages: tenant scope (two pages appended by a naive collector) and the tenant root management group
    tenant = newest_first(arm.tenant_world())
    filt = "eventTimestamp%20ge%20%272026-11-09T00%3A00%3A00Z%27%20and%20eventTimestamp%20le%20%272026-11-16T00%3A00%3A00Z%27"
    next_link = ("https://management.azure.com/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01"
                 f"&$filter={filt}&$skipToken=EU1%3A{tenant[3]['uid'].replace('-', '')}%3BUS1%3A-1%3AFFFFFFFF%3BAS1%3A-1%3AFFFFFFFF")
    pages = json_compact({"value": [arm.rest(e) for e in tenant[:4]], "nextLink": next_link}) + \
        json_compact({"value": [arm.rest(e) for e in tenant[4:]], "nextLink": None})
    ev.write("activity-log/rest-api/tenant-directory-activity_2026-11-09_2026-11-16.json", pages,
             "REST pages, concatenated", "Tenant-scope Directory Activity (`/providers/Microsoft.Insights/eventtypes/management/values`), "
             "two pages written back to back with no separator", [e["uid"] for e in tenant])
    mg = newest_first(arm.mg_world())
    ev.write("activity-log/rest-api/managementgroup-tenant-root_2026-11-09_2026-11-16.json",
             json.dumps({"value": [arm.rest(e) for e in mg], "nextLink": None}, indent=2, ensure_ascii=False) + "\n",
             "REST page", f"Management-group scope query on the tenant root group `{TENANT_ID}` (api-version 2017-03-01-preview)",
             [e["uid"] for e in mg])

    # (c) diagnostic-settings archive of the subscription activity log, selected hourly blobs
    for day, hour in ACTIVITY_BLOBS:
        recs = oldest_first([e for e in sub_world if e["sub"] == SUB_PROD and day_of(e["t"]) == day and hour_of(e["t"]) == hour])
        rel = blob_path("activity-log/storage-archive/insights-activity-logs", f"/SUBSCRIPTIONS/{SUBU}", day, hour)
        data = jsonl([arm.diag(e) for e in recs]).encode()
        if (day, hour) == GZIPPED_BLOB:
            rel, data, fmt = rel + ".gz", gzip.compress(data, mtime=0), "JSON Lines, gzip"
        else:
            fmt = "JSON Lines (PT1H.json)"
        ev.write(rel, data, fmt, f"Activity log archive, 2026-11-{day:02d} {hour:02d}:00-{hour:02d}:59 UTC", [e["uid"] for e in recs])

    # (h) portal "Download as CSV" for rg-aks-prod, last 24 hours as of Friday 12:00
    h = newest_first([e for e in sub_world if e["rg"].lower() == "rg-aks-prod" and PORTAL_FROM <= e["t"] < PORTAL_TO])
    ev.write("activity-log/portal-download/rg-aks-prod_activity-log_last-24h_2026-11-13.csv",
             csv_text(arm.PORTAL_HEADER, [arm.portal_row(e) for e in h]), "Portal CSV (synthetic, unverified layout)",
             "Portal Activity log blade, resource group rg-aks-prod, 2026-11-12 12:00 to 2026-11-13 12:00 UTC", [e["uid"] for e in h])

    # (i) Get-AzActivityLog -Caller <automation MI> | Export-Csv -NoTypeInformation (subscription Fabrikam-Platform)
    ps = newest_first([e for e in sub_world if e["ident"] is AUTOMATION_MI])
    ev.write("activity-log/powershell/Get-AzActivityLog_aa-fabrikam-ops_2026-11-09_2026-11-16.csv",
             csv_text(arm.PS_HEADER, [arm.ps_row(e) for e in ps], quote_all=True).encode("ascii"),
             "PowerShell Export-Csv", "Automation account managed identity (VM start/deallocate), subscription Fabrikam-Platform",
             [e["uid"] for e in ps])

    # (d) Key Vault AuditEvent records as Event Hub message bodies
    kv = workloads.keyvault_world()
    cut = at0(12, "00:00:00")
    kv1, kv2 = [r for r in kv if r["t"] < cut], [r for r in kv if r["t"] >= cut]
    ev.write("keyvault/eventhub-capture/kv-prod-fabrikam_AuditEvent_2026-11-09_2026-11-11.json",
             json_compact({"records": [r["record"] for r in kv1]}) + "\n", "Event Hub `{\"records\":[...]}` (one line)",
             "Key Vault kv-prod-fabrikam AuditEvent, Mon-Wed", [r["key"] for r in kv1])
    ev.write("keyvault/eventhub-capture/kv-prod-fabrikam_AuditEvent_2026-11-12_2026-11-15.json",
             json.dumps({"records": [r["record"] for r in kv2]}, indent=4, ensure_ascii=False) + "\n",
             "Event Hub `{\"records\":[...]}` (indented)", "Key Vault kv-prod-fabrikam AuditEvent, Thu-Sun", [r["key"] for r in kv2])

    # (e) AKS kube-audit archive
    aks_res = f"/SUBSCRIPTIONS/{SUBU}/RESOURCEGROUPS/RG-AKS-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD-WEU"
    for (day, hour), recs in sorted(workloads.kube_blobs().items()):
        recs = sorted(recs, key=lambda r: r["t"])
        ev.write(blob_path("aks/storage-archive/insights-logs-kube-audit", aks_res, day, hour),
                 jsonl([r["record"] for r in recs], compact=True), "JSON Lines (PT1H.json), kube-audit",
                 f"AKS aks-prod-weu kube-audit, 2026-11-{day:02d} {hour:02d}:00-{hour:02d}:59 UTC", [r["key"] for r in recs])

    # (f) Microsoft Graph: directoryAudits (PowerShell 5.1 ConvertTo-Json) and signIns (v1.0 page)
    audits = entra.audits_world()
    fri = at0(13, "00:00:00")
    graph_audits = sorted([x for x in audits if x["t"] < fri], key=lambda x: x["t"], reverse=True)
    ev.write("entra/graph/directoryAudits_2026-11-09_2026-11-12.json",
             b"\xef\xbb\xbf" + (ps_json([x["graph"] for x in graph_audits]) + "\r\n").encode("utf-8"),
             "Graph JSON, PowerShell 5.1 (BOM, CRLF)", "Graph auditLogs/directoryAudits, Mon-Thu, saved with ConvertTo-Json",
             [x["key"] for x in graph_audits])
    interactive = entra.interactive_world()
    graph_si = sorted([s for s in interactive if s["t"] < fri], key=lambda s: s["t"], reverse=True)
    ev.write("entra/graph/signIns_2026-11-09_2026-11-12.json",
             json_compact({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
                           "value": [entra.graph_signin(s) for s in graph_si]}), "Graph v1.0 page (one line)",
             "Graph auditLogs/signIns (interactive), Mon-Thu", [s["key"] for s in graph_si])

    # (g) Log Analytics portal export of non-interactive sign-ins
    ni = sorted(entra.noninteractive_world(), key=lambda s: s["t"], reverse=True)
    ev.write("entra/log-analytics/query_data_noninteractive-signins_2026-11-11_2026-11-12.csv",
             b"\xef\xbb\xbf" + csv_text(entra.LA_HEADER, [entra.la_row(s) for s in ni]).encode("utf-8"),
             "Log Analytics CSV (BOM, CRLF)", "`union SigninLogs, AADNonInteractiveUserSignInLogs`, non-interactive rows of "
             "maria.lopez and svc-backup-sync, Wed-Thu", [s["key"] for s in ni])

    # zip: Entra diagnostic-settings blobs for Friday 08:00-08:59
    fri_audits = sorted([x for x in audits if x["t"] >= fri], key=lambda x: x["t"])
    fri_si = sorted([s for s in interactive if s["t"] >= fri], key=lambda s: s["t"])
    aad = f"/tenants/{TENANT_ID}/providers/Microsoft.aadiam"
    members = [(blob_path("insights-logs-auditlogs", aad, 13, 8), jsonl([entra.diag_audit(x) for x in fri_audits], compact=True), fri_audits),
               (blob_path("insights-logs-signinlogs", aad, 13, 8), jsonl([entra.diag_signin(s) for s in fri_si], compact=True), fri_si)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text, _ in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 13, 9, 12, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, text)
    ev.write("entra/diagnostic-archive/entra-diagnostic-logs_2026-11-13_h08.zip", buf.getvalue(), "zip of JSON Lines",
             "Entra diagnostic-settings blobs (AuditLogs, SignInLogs), Friday 08:00-08:59 UTC",
             [x["key"] for _, _, xs in members for x in xs],
             members=[(name, len(xs)) for name, _, xs in members])
    return ev, dict(sub_world=sub_world, a=a, tenant=tenant, mg=mg, kv=kv, audits=audits, interactive=interactive, ni=ni,
                    kube=workloads.kube_blobs())


# ---------------------------------------------------------------- verification


def _json_records(text):
    text = text.lstrip("\ufeff")
    try:
        doc = json.loads(text)
        docs = [doc]
    except json.JSONDecodeError:
        try:
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:       # concatenated documents (naively appended pages)
            dec, docs, i = json.JSONDecoder(), [], 0
            while i < len(text):
                doc, i = dec.raw_decode(text, i)
                docs.append(doc)
    n = 0
    for d in docs:
        if isinstance(d, list):
            n += len(d)
        elif isinstance(d, dict) and "records" in d:
            n += len(d["records"])
        elif isinstance(d, dict) and "value" in d:
            n += len(d["value"])
        else:
            n += 1
    return n


def verify(ev):
    """Re-read every file from disk with a plain parser and compare record counts."""
    import csv
    for f in ev.files:
        path = os.path.join(ev.root, f["path"])
        raw = open(path, "rb").read()
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                n = sum(_json_records(z.read(name).decode("utf-8")) for name in z.namelist())
        elif path.endswith(".gz"):
            n = _json_records(gzip.decompress(raw).decode("utf-8"))
        elif path.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
            assert len({len(r) for r in rows}) == 1, f"ragged CSV {path}"
            n = len(rows) - 1
        else:
            n = _json_records(raw.decode("utf-8"))
        assert n == len(f["keys"]), f"{f['path']}: parsed {n} records, expected {len(f['keys'])}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(REPO, "examples", "evidence"))
    args = ap.parse_args()
    if os.path.isdir(args.out) and os.listdir(args.out):
        marker = os.path.join(args.out, "README.md")
        if not (os.path.isfile(marker) and open(marker, encoding="utf-8").read().startswith(readme.TITLE)):
            sys.exit(f"refusing to replace {args.out}: it does not look like a generated evidence set")
        shutil.rmtree(args.out)
    ev, world = build(args.out)
    verify(ev)
    unique = ev.unique()
    dups = ev.total() - len(unique)
    a_keys = set(ev.files[0]["keys"])
    blob_keys = {k for f in ev.files if "insights-activity-logs" in f["path"] for k in f["keys"]}
    overlap = a_keys & blob_keys
    assert dups == len(overlap) == 6, f"expected exactly 6 deliberate duplicates, found {dups} (a/c overlap {len(overlap)})"
    text = readme.render(ev, world, overlap)
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    width = max(len(f["path"]) for f in ev.files)
    for f in ev.files:
        print(f"{len(f['keys']):4d}  {f['path']:<{width}}  {f['fmt']}")
    print(f"files: {len(ev.files)}  records: {ev.total()}  deliberate duplicates: {dups}  unique events: {len(unique)}")
    print("planted steps (UTC):")
    for num, title, when, _ in readme.steps(world):
        print(f"  {num:>2}. {when}  {title}")


if __name__ == "__main__":
    main()
