"""examples/evidence/README.md, rendered from the same data the files were written from."""
from arm import DISPLAY
from common import (AISHA, AKS_MI, APP_MI, ATTACKER_IP, AUTOMATION_MI, BACKDOOR, DEVOPS, GH, INITIAL_DOMAIN, MARIA,
                    MG_PROD, NINA, POLICY_RP, PRIYA, SUB_PLAT, SUB_PLAT_NAME, SUB_PROD, SUB_PROD_NAME, TENANT_ID,
                    WORKSPACE_ID, day_of, iso7)

P = {  # short names of the files, for cross references
    "a": "activity-log/az-cli/az-monitor-activity-log-list_caller-maria.lopez_2026-11-09_2026-11-16.json",
    "tenant": "activity-log/rest-api/tenant-directory-activity_2026-11-09_2026-11-16.json",
    "mg": "activity-log/rest-api/managementgroup-tenant-root_2026-11-09_2026-11-16.json",
    "blob10": "activity-log/storage-archive/insights-activity-logs/resourceId=/SUBSCRIPTIONS/…/y=2026/m=11/d=12/h=10/m=00/PT1H.json",
    "portal": "activity-log/portal-download/rg-aks-prod_activity-log_last-24h_2026-11-13.csv",
    "kv2": "keyvault/eventhub-capture/kv-prod-fabrikam_AuditEvent_2026-11-12_2026-11-15.json",
    "kube09": "aks/storage-archive/insights-logs-kube-audit/resourceId=/…/AKS-PROD-WEU/y=2026/m=11/d=12/h=09/m=00/PT1H.json",
    "audits": "entra/graph/directoryAudits_2026-11-09_2026-11-12.json",
    "signins": "entra/graph/signIns_2026-11-09_2026-11-12.json",
    "la": "entra/log-analytics/query_data_noninteractive-signins_2026-11-11_2026-11-12.csv",
}


def _t(t):
    s = iso7(t)
    return s[:10] + " " + s[11:19]


def _ops(evs, op, ident=None, ip=None):
    return [e for e in evs if e["op"] == op and (ident is None or e["ident"] is ident) and (ip is None or e["ip"] == ip)]


def _span(evs):
    evs = sorted(evs, key=lambda e: e["t"])
    parts = ", ".join(f"{e['status']} {_t(e['t'])[11:]}" for e in evs)
    return f"{_t(evs[0]['t'])[:10]} {parts}"


def steps(w):
    """The 12 planted steps: (number, title, time text, evidence files)."""
    sub, m = w["sub_world"], MARIA
    si = [s for s in w["interactive"] if s["user"] is m and day_of(s["t"]) == 12]
    madrid = min((s for s in si if s["ip"] != ATTACKER_IP), key=lambda s: s["t"])
    lagos = min((s for s in si if s["ip"] == ATTACKER_IP), key=lambda s: s["t"])
    audit = {x["graph"]["activityDisplayName"] + ("/" + x["ip"] if x["ip"] == ATTACKER_IP else ""): x for x in w["audits"]}
    kube = sorted([r for r in w["kube"][(12, 9)] if "masterclient" in r["record"]["properties"]["log"]], key=lambda r: r["t"])
    kv = [r for r in w["kv"] if r["record"]["callerIpAddress"] == ATTACKER_IP]
    return [
        (1, "Impossible travel: María López signs in from Madrid, then from Lagos (Nigeria) 40 minutes later",
         f"{_t(madrid['t'])} ({madrid['ip']}, Madrid ES) and {_t(lagos['t'])} ({ATTACKER_IP}, Lagos NG)", [P["signins"], P["la"]]),
        (2, "Conditional Access policy \"CA002 - Require MFA for Azure management\" disabled (enabled -> disabled)",
         _t(audit["Update conditional access policy/" + ATTACKER_IP]["t"]), [P["audits"]]),
        (3, "Global Administrator granted to the new account svc-backup-sync (created 3 minutes earlier)",
         f"{_t(audit['Add member to role/' + ATTACKER_IP]['t'])} (Add user at {_t(audit['Add user/' + ATTACKER_IP]['t'])[11:]})", [P["audits"]]),
        (4, "Elevate access: Microsoft.Authorization/elevateAccess/action at tenant scope",
         _span(_ops(w["tenant"], "Microsoft.Authorization/elevateAccess/action", m)), [P["tenant"] + " (second page)", P["audits"]]),
        (5, "Owner on the tenant root management group assigned to svc-backup-sync",
         _span(_ops(w["mg"], "Microsoft.Authorization/roleAssignments/write", m, ATTACKER_IP)), [P["mg"]]),
        (6, "AKS listClusterAdminCredential on aks-prod-weu",
         _span(_ops(sub, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", m)), [P["a"]]),
        (7, "New AKS node pool minerpool (10 x Standard_NC24ads_A100_v4)",
         _span(_ops(sub, "Microsoft.ContainerService/managedClusters/agentPools/write", m)), [P["a"], P["blob10"] + " (Accepted, Succeeded)"]),
        (8, "Diagnostic setting aks-audit-to-la of the cluster deleted",
         _span(_ops(sub, "Microsoft.Insights/diagnosticSettings/delete", m)), [P["a"]]),
        (9, "AKS runCommand, then kubectl as masterclient: secrets read, cluster-admin binding, token request, exec",
         f"{_span(_ops(sub, 'Microsoft.ContainerService/managedClusters/runCommand/action', m))}; kube-audit "
         f"{_t(kube[0]['t'])[11:]} to {_t(kube[-1]['t'])[11:]}", [P["a"], P["kube09"]]),
        (10, "NSG rule AllowSSHInbound: TCP 22 from * allowed inbound on nsg-aks-prod-weu",
         _span(_ops(sub, "Microsoft.Network/networkSecurityGroups/securityRules/write", m, ATTACKER_IP)), [P["a"], P["blob10"]]),
        (11, "Key Vault kv-prod-fabrikam secrets listed and read from the attacker address (after an access-policy change)",
         f"{_t(kv[0]['t'])} to {_t(kv[-1]['t'])[11:]} ({len(kv)} records; access policy {_span(_ops(sub, 'Microsoft.KeyVault/vaults/accessPolicies/write', m))[11:]})",
         [P["kv2"], P["a"], P["blob10"], P["la"]]),
        (12, "Cluster aks-prod-weu deleted by svc-backup-sync",
         _span(_ops(sub, "Microsoft.ContainerService/managedClusters/delete", BACKDOOR)), [P["portal"]]),
    ]


def _file_table(ev):
    rows = ["| # | File (under `examples/evidence/`) | Format | Records | What it holds |", "|---|---|---|---:|---|"]
    for i, f in enumerate(ev.files, 1):
        what = f["what"]
        if f["members"]:
            what += "; members: " + "; ".join(f"`{n}` ({c})" for n, c in f["members"])
        rows.append(f"| {i} | `{f['path']}` | {f['fmt']} | {len(f['keys'])} | {what} |")
    return "\n".join(rows)


def _dup_table(w, overlap):
    rows = ["| Time (UTC) | Operation | Status | correlationId |", "|---|---|---|---|"]
    for e in sorted((e for e in w["sub_world"] if e["uid"] in overlap), key=lambda e: e["t"]):
        rows.append(f"| {iso7(e['t'])} | `{e['op']}` | {e['status']} | `{e['corr']}` |")
    return "\n".join(rows)


def _cast():
    def user(u, role):
        return f"| {u['name']} | `{u['upn']}` | user | `{u['oid']}` | {u['ip']} | {u['place'].title()} | {role} |"

    def app(p, role, where):
        return f"| {p['name']} | app id `{p['appid']}` | {'managed identity' if p['kind'] == 'mi' else 'service principal'} | `{p['oid']}` | {p['ip'] or '-'} | {where} | {role} |"
    return "\n".join([
        "| Name | UPN / app | Kind | Object id | Usual IP | Location | Role in the story |", "|---|---|---|---|---|---|---|",
        user(MARIA, "Cloud Platform Lead; Global Administrator, Owner of Fabrikam-Prod. **Phished.**"),
        user(DEVOPS, "DevOps engineer; Contributor on rg-aks-prod; uses the AKS admin kubeconfig during upgrades"),
        user(PRIYA, "Security Lead (Global Administrator); leads the response on Thursday afternoon"),
        user(AISHA, "IT service desk (User Administrator); joiners and group changes"),
        user(NINA, "New hire (Monday); shares the Madrid office address with María"),
        f"| {BACKDOOR['name']} | `{BACKDOOR['upn']}` | user | `{BACKDOOR['oid']}` | {ATTACKER_IP} | Lagos | **Backdoor account created by the attacker** |",
        app(GH, "Nightly deployment pipeline (GitHub Actions, 01:30 UTC Mon-Fri): ARM deployment, web app, Helm upgrade", "Azure (runner)"),
        app(AUTOMATION_MI, "Automation account aa-fabrikam-ops: starts build VMs 05:45, deallocates them 19:00 (Mon-Fri)", "Azure"),
        app(APP_MI, "System identity of web app app-fabrikam-tracking; reads two Key Vault secrets every 6 hours", "Azure (App Service outbound)"),
        app(AKS_MI, "Identity of cluster aks-prod-weu (scale sets in the node resource group); also the address the AKS run-command reaches the API server from", "Azure"),
        f"| {POLICY_RP['name']} | app id `{POLICY_RP['appid']}` | resource provider | `{POLICY_RP['oid']}` | - | - | Policy compliance scans (Policy category) |",
        f"| *attacker* | - | - | - | **{ATTACKER_IP}** | Lagos, NG (fictional hosting provider, ASN 64501) | Uses María's session and the backdoor account |",
    ])


def render(ev, w, overlap):
    total, unique = ev.total(), len(ev.unique())
    step_rows = "\n".join(f"| {n} | {title} | {when} | {'<br>'.join('`' + f + '`' for f in files)} |" for n, title, when, files in steps(w))
    by_fmt = {}
    for f in ev.files:
        key = f["path"].split("/")[0] + "/" + f["path"].split("/")[1]
        by_fmt[key] = by_fmt.get(key, 0) + len(f["keys"])
    fmt_rows = "\n".join(f"| `{k}/` | {v} |" for k, v in by_fmt.items())
    return TEMPLATE.format(
        tenant=TENANT_ID, domain=INITIAL_DOMAIN, sub_prod=SUB_PROD, sub_prod_name=SUB_PROD_NAME, sub_plat=SUB_PLAT,
        sub_plat_name=SUB_PLAT_NAME, mg_prod=MG_PROD, workspace=WORKSPACE_ID, cast=_cast(), files=_file_table(ev),
        steps=step_rows, dups=_dup_table(w, overlap), total=total, unique=unique, ndup=total - unique,
        nfiles=len(ev.files), fmt_rows=fmt_rows, attacker=ATTACKER_IP, p=P,
        display_delete=DISPLAY["Microsoft.ContainerService/managedClusters/delete"])


TITLE = "# Shipped evidence set: the Fabrikam Logistics intrusion (fictional)"
TEMPLATE = TITLE + """

A week of Azure control-plane, Entra ID, Key Vault and AKS logs from a made-up company, in the
export formats investigators actually receive. It is the demo data of `azhunt` and a
regression corpus for its readers, de-duplication and detections.

**Everything here is fictional and generated** by `tools/evidence/generate.py` (Python 3.11,
standard library, deterministic: two runs give byte-identical files). No record was copied
from a real tenant or from the sample corpus; the files only follow the public shapes.
IP addresses come from the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24), except a few Azure-looking addresses used for cloud services; autonomous
system numbers come from the documentation range 64496-64511. Ids are uuid5 values derived
from names. Application ids of Microsoft first-party apps (Azure Portal, Azure CLI, ...) are
the public well-known ones.

Regenerate with `python3 tools/evidence/generate.py` (it rewrites this directory and prints
the counts below).

## The story

Fabrikam Logistics (tenant `{tenant}`, `{domain}`, mail domain `fabrikam-logistics.com`) runs
its parcel-tracking platform in subscription **{sub_prod_name}** (`{sub_prod}`, management
group `{mg_prod}`): AKS cluster `aks-prod-weu` (rg-aks-prod, West Europe), web app
`app-fabrikam-tracking` (rg-app) and Key Vault `kv-prod-fabrikam` (rg-security). Build agents
live in **{sub_plat_name}** (`{sub_plat}`).

From Monday 9 to Sunday 15 November 2026 the tenant shows ordinary work: admins in Madrid,
London and Manchester during office hours, a nightly deployment pipeline, an automation account
starting and stopping VMs, Azure Policy scans, the AKS control plane, the web app reading its
secrets, two mistyped passwords.

On **Thursday 12 November** an attacker who phished María López (Cloud Platform Lead, Global
Administrator) replays her session from **{attacker}** (a hosting provider geolocated in Lagos,
Nigeria). In under two hours they disable a Conditional Access policy, create a backdoor
account and make it Global Administrator, elevate to User Access Administrator at root scope,
give the backdoor Owner on the tenant root management group, take the AKS admin credential,
run commands in the cluster, read secrets, bind a service account to cluster-admin, delete the
cluster's audit diagnostic setting, add a GPU node pool for mining, open SSH to the Internet and
read Key Vault secrets. At 13:48 the backdoor account deletes the cluster. Sam Carter (DevOps)
notices at 14:05; Priya Nair (Security Lead) responds from 14:40: sessions revoked, password
reset, backdoor removed from Global Administrator, disabled and deleted, CA policy re-enabled,
root assignments removed, secrets rotated. On Friday the team rebuilds the cluster.

## Cast

{cast}

Other fixed values: Log Analytics workspace id `{workspace}` (the `TenantId` column of Log
Analytics exports is the workspace id, not the Entra tenant); Conditional Access policies
`CA001 - Block legacy authentication`, `CA002 - Require MFA for Azure management`,
`CA004 - Block access from outside EU and UK` (created Friday). For service principals and
managed identities `caller` is the object (principal) id.

## Files

{files}

Records per folder:

| Folder | Records |
|---|---:|
{fmt_rows}

## Expected counts

- Files: **{nfiles}** (the zip counts as one file with two members).
- Records in all files: **{total}**.
- Deliberate duplicates: **{ndup}** (listed below; the same events in two formats).
- **Unique events: {unique}** (= records - deliberate duplicates). Nothing else is repeated:
  every other record is a distinct event, including the Entra audit record of the elevation
  (a different log than the Directory Activity event) and the kube-audit records (a different
  log than the ARM `runCommand` event).

"Record" means one event: an array element, a JSON line, a `records[]` / `value[]` element or a
CSV row (CSV cells may span lines).

## The planted intrusion (times UTC, 2026-11-12)

| # | Step | Time | Evidence |
|---|---|---|---|
{steps}

The order on the cluster is: admin credential (09:14) -> run command and kubectl (09:16-09:28)
-> diagnostic setting deleted (09:31) -> node pool (09:59-10:06). kube-audit records exist only
up to 09:30: the archive stops because the setting was deleted, and the cluster is gone after
13:55. The Thursday 09:00 kube-audit blob is the last one.

Attacker activity beyond the 12 steps, worth finding too:

- Sign-in risk: the Lagos sign-in at 08:52 is `riskLevelDuringSignIn: medium`,
  `riskEventTypes_v2: ["unfamiliarFeatures"]`, `riskState: atRisk`, MFA "satisfied by claim in
  the token" (session replay); nobody acted on it.
- Azure CLI sign-in from Lagos at 09:11 (`signIns`) and token refreshes for Microsoft Graph,
  Azure Resource Manager and Azure Key Vault from {attacker} (`query_data_...csv`).
- `Add user` svc-backup-sync at 08:58 (`directoryAudits`), interactive sign-ins of
  svc-backup-sync from {attacker} at 13:38 and 13:39, `User registered security info` at 13:39
  (the attacker registers an authenticator for the backdoor).
- `Microsoft.KeyVault/vaults/accessPolicies/write` granting María `get`/`list` on secrets at
  10:11 (az CLI file and archive blob), just before the reads.
- The run-command itself runs `kubectl get secrets --all-namespaces -o json` (ARM `requestbody`
  and the pod spec in kube-audit), and its pod lists secrets from pod address 10.244.1.54.
- After the response: refresh tokens from {attacker} fail with 50173 (grant revoked, 15:01 and
  15:31) and svc-backup-sync fails with 50057 (account disabled, 15:02).

Response actions (benign, but they touch the same objects): Priya Nair revokes María's sessions
14:40, resets her password 14:43, removes svc-backup-sync from Global Administrator 14:47,
disables it 14:50, re-enables CA002 14:55, deletes the root-group Owner assignment 15:05,
elevates herself 15:08 and removes both root User Access Administrator assignments 15:10 and
15:12, rotates `tracking-db-connection` 15:30; Friday: hard-deletes svc-backup-sync 08:45,
creates CA004 08:41, Sam Carter deletes the SSH rule 09:10 and redeploys the cluster 10:30-10:42
with the diagnostic setting restored 10:52.

## Deliberate duplicates

The archive blob `{p[blob10]}` and the az CLI output
`{p[a]}` both contain these {ndup} events (same time to 100 ns, correlation id,
operation, status and resource; REST shape in one, diagnostic shape with upper-case
`resourceId`/`operationName` and `resultType` Accept/Start/Success in the other). The
diagnostic shape has no `eventDataId`, so a de-duplicator must match on content.

{dups}

The `.json.gz` blob is not a copy of a `.json` file (it is the only copy of that hour), and the
zip holds Friday's Entra records, which appear nowhere else.

## What a good tool should find

1. **Impossible travel** for maria.lopez@fabrikam-logistics.com: Madrid 08:12 -> Lagos 08:52
   (about 3,800 km in 40 minutes), both interactive successes to the Azure Portal; the Lagos
   session is also flagged risky (`{p[signins]}`), and the attacker address keeps
   refreshing tokens (`{p[la]}`).
2. **Conditional Access policy disabled**: `Update conditional access policy`, CA002 `state`
   enabled -> disabled, by María from {attacker}, 08:55 (`{p[audits]}`). (A benign CA001
   exclusion change by María from Madrid on Wednesday 12:10 is also there.)
3. **Global Administrator granted** to a three-minute-old account: `Add member to
   role`, `Role.TemplateId` 62e90394-69f5-4237-9190-012177145e10, 09:01 (`{p[audits]}`).
4. **Elevate access** at tenant scope, 09:04 (`{p[tenant]}`, second page: a collector that
   ignores `nextLink` misses it; also the Entra record "User has elevated their access ..." in
   `{p[audits]}`). Priya's elevation at 15:08 is incident response.
5. **Owner on the tenant root management group** for svc-backup-sync, 09:07 (`{p[mg]}`;
   `requestbody` is a JSON string with `RoleDefinitionId` .../8e3af657-a8ff-443c-a75c-2fe8c4bcb635
   and `Scope` /providers/Microsoft.Management/managementGroups/{tenant}).
6. **AKS admin credential listed** by María from a never-seen address, 09:14 (`{p[a]}`).
   Sam Carter lists it too, from London, on Tuesday 10:05 (upgrade) and Friday 11:05
   (rebuild): the new caller address is the signal.
7. **New GPU node pool** `minerpool`, 09:59-10:06 (`{p[a]}`, archive blob).
8. **Diagnostic setting deleted** (`aks-audit-to-la`), 09:31 (`{p[a]}`), with kube-audit
   ending at 09:30 (`{p[kube09]}`).
9. **AKS runCommand** 09:16 (`{p[a]}`) and, in kube-audit, `masterclient` from {attacker}:
   cluster-wide secret list, `get` of two secrets, service account `kube-system/node-helper`,
   ClusterRoleBinding `node-helper-admin` -> `cluster-admin`, a token request, `create pods/exec`
   on `tracking/tracking-api-6d9f7b7c4-x2kqp`, 09:16-09:28 (`{p[kube09]}`). On Tuesday
   `masterclient` was used only from London (198.51.100.77).
10. **NSG rule opening SSH to the Internet**: `securityRules/write` AllowSSHInbound,
    `sourceAddressPrefix` `*`, `destinationPortRange` 22, Allow, Inbound, 10:08
    (`{p[a]}`, archive blob). María's Wednesday rule (443 from 198.51.100.0/24) is benign.
11. **Key Vault secrets read from a never-seen address**: VaultGet, SecretList x2, SecretGet x5
    by María (Azure CLI) from {attacker}, 10:12-10:20 (`{p[kv2]}`); before that the vault only
    saw the app's managed identity from 20.105.216.14.
12. **Cluster deleted**: "{display_delete}" by svc-backup-sync, 13:48-13:55
    (`{p[portal]}`; the portal CSV has no caller address: the link to the attacker is the
    backdoor account).

## Benign look-alikes (should not be reported as the intrusion)

- Sam Carter's `listClusterAdminCredential` (Tue 10:05, Fri 11:05) and `masterclient` kubectl
  from London on Tuesday; his failed `listClusterUserCredential` at 14:05 Thursday (404, cluster
  gone) and the pipeline's failed one at 01:3x Friday.
- The nightly pipeline reads and writes Helm release secrets (`sh.helm.release.v1.*`) in
  namespace `tracking`.
- María's Wednesday CA001 change (exclusion of the break-glass group, state stays enabled), her
  Wednesday NSG rule for 443 from the office range, her Tuesday storage account (with a
  Policy-category audit) and her Thursday 08:20 and 11:05 actions from Madrid (her own session
  runs in parallel with the attacker's).
- Priya Nair's elevation and deletions of role assignments on Thursday afternoon, the Friday
  password change, security-info registration and new CA policy.
- Two mistyped passwords (error 50126: Sam Tuesday 08:29, Aisha Wednesday 08:26) and María's
  Friday 08:30 attempt with her old password.

## Format notes

- **az CLI** (`az-cli/`): top-level JSON array, keys sorted, indent 2, newest first, as
  `az monitor activity-log list` prints it; `eventTimestamp` with 7 fractional digits; `id` ends
  in `/ticks/<.NET ticks>` matching the timestamp; `operationName.localizedValue` is a display
  name (key on `value`).
- **REST pages** (`rest-api/`): the tenant file is two `{{"value":[...],"nextLink":...}}` pages
  written back to back with no separator (not one JSON document; the second page has
  `"nextLink": null`); tenant-scope events have `"subscriptionId": ""` and no resource group.
  The management-group file is one indented page.
- **Storage archive** (`storage-archive/`): JSON Lines, upper-case `resourceId` and
  `operationName`, `resultType` Start/Accept/Success/Failure, `resultSignature` like
  `Succeeded.Created`, `identity.authorization.evidence` with dash-less ids, JSON strings in
  `properties.requestbody`/`responseBody`/`statusMessage`/`policies`; one blob only as
  `PT1H.json.gz`.
- **Key Vault** (`keyvault/`): Event Hub bodies `{{"records":[...]}}`, one compact and one
  indented; `durationMs` is a string.
- **kube-audit** (`aks/`): AKS envelope with `properties.log` holding the audit.k8s.io/v1 event
  as a JSON string (with Go's `\\u0026` escaping of `&`).
- **Graph** (`entra/graph/`): `directoryAudits` as Windows PowerShell 5.1 `ConvertTo-Json`
  writes it (UTF-8 BOM, CRLF, `"key":  value`, hanging indentation, empty arrays split over two
  lines, newest first); `signIns` as one Graph v1.0 page on one line (no `userAgent`, as in v1.0).
  `modifiedProperties` values are JSON-encoded strings.
- **Log Analytics CSV** (`entra/log-analytics/`): UTF-8 BOM, CRLF, `$table` first (a `union`
  export), `TimeGenerated [UTC]`/`CreatedDateTime [UTC]` as `11/12/2026, 9:12:30.123 AM`,
  `Status`/`DeviceDetail`/`LocationDetails`/`ConditionalAccessPolicies`/`MfaDetail` split in
  `_dynamic`/`_string` (only `_string` filled: these are non-interactive rows), multi-line JSON
  in `AuthenticationDetails`.
- **Entra diagnostic archive** (`entra/diagnostic-archive/`): zip with two PT1H.json blobs;
  `identity` is a display-name string, `Level` is the integer 4, `resultType` is the error code.
- **Synthetic and unverified layouts**: the portal activity-log "Download as CSV" file (column
  set from third-party loaders; display operation names, `11/13/2026, 2:02:11 PM` times in UTC,
  no caller address, CRLF, no BOM) and the `Get-AzActivityLog | Export-Csv -NoTypeInformation`
  file (nested objects written as .NET type names, `EventTimestamp` as `11/10/2026 5:45:12 AM`
  without a zone, meant as UTC) were never compared with real exports. The user name and source
  address of the AKS run-command pod in kube-audit are assumptions.
"""
