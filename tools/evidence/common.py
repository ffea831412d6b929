"""Shared pieces of the evidence generator: deterministic ids, times, the cast, serializers.

Everything here is fictional. Ids are uuid5 values derived from names, so every run
produces the same bytes.
"""
import base64
import csv
import datetime as dt
import hashlib
import io
import json
import struct
import uuid

# ---------------------------------------------------------------- ids

NS = uuid.uuid5(uuid.NAMESPACE_DNS, "evidence.azhunt.fabrikam-logistics.example")


def gid(name):
    """A well-formed lower-case GUID derived from a name."""
    return str(uuid.uuid5(NS, name))


def hexid(name, n=32):
    return hashlib.sha256(name.encode()).hexdigest()[:n]


def hnum(name, mod):
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % mod


def b64(name, n=22):
    """A token-like base64url string (for aio / uti / nameidentifier claims)."""
    raw = hashlib.sha512(name.encode()).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")[:n]


# ---------------------------------------------------------------- times
# A time is an int: 100-ns ticks since the Unix epoch (7 fractional digits, like ARM).

TPS = 10_000_000
UNIX_TO_DOTNET = 621355968000000000


def at(day, hms, key=None):
    """2026-11-<day> <hms> UTC plus a deterministic sub-second fraction."""
    h, m, s = (int(x) for x in hms.split(":"))
    base = int(dt.datetime(2026, 11, day, h, m, s, tzinfo=dt.timezone.utc).timestamp())
    return base * TPS + hnum(key or f"{day} {hms}", TPS)


def at0(day, hms):
    """2026-11-<day> <hms> UTC on the whole second."""
    t = at(day, hms)
    return t - t % TPS


def plus(t, seconds, key=None):
    """t + seconds (+ a deterministic fraction when key is given)."""
    return t + int(seconds * TPS) + (hnum(key, TPS) if key else 0)


def _dt(t):
    return dt.datetime.fromtimestamp(t // TPS, dt.timezone.utc)


def iso7(t):
    return _dt(t).strftime("%Y-%m-%dT%H:%M:%S") + ".%07dZ" % (t % TPS)


def iso6(t):
    return _dt(t).strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (t % TPS // 10)


def iso0(t):
    return _dt(t).strftime("%Y-%m-%dT%H:%M:%SZ")


def dotnet_ticks(t):
    return t + UNIX_TO_DOTNET


def epoch(t):
    return t // TPS


def us_time(t, comma=True, millis=False):
    """en-US display time: '11/12/2026, 9:14:03.123 AM' (Log Analytics) or '11/12/2026 9:14:03 AM'."""
    d = _dt(t)
    h12 = d.hour % 12 or 12
    frac = ".%03d" % (t % TPS // 10_000) if millis else ""
    ampm = "AM" if d.hour < 12 else "PM"
    return f"{d.month}/{d.day}/{d.year}{',' if comma else ''} {h12}:{d.minute:02d}:{d.second:02d}{frac} {ampm}"


def day_of(t):
    return _dt(t).day


def hour_of(t):
    return _dt(t).hour


# ---------------------------------------------------------------- tenant, subscriptions

TENANT_ID = gid("tenant/fabrikam-logistics")
TENANT_NAME = "Fabrikam Logistics"
INITIAL_DOMAIN = "fabrikamlogistics.onmicrosoft.com"
MAIL_DOMAIN = "fabrikam-logistics.com"
WORKSPACE_ID = gid("workspace/law-fabrikam-prod")   # Log Analytics "TenantId" column = workspace id
SUB_PROD, SUB_PROD_NAME = gid("subscription/fabrikam-prod"), "Fabrikam-Prod"
SUB_PLAT, SUB_PLAT_NAME = gid("subscription/fabrikam-platform"), "Fabrikam-Platform"
MG_ROOT = TENANT_ID                      # the tenant root management group has the tenant id
MG_PROD, MG_PLAT = "mg-fabrikam-prod", "mg-fabrikam-platform"
HIERARCHY = {SUB_PROD: f"{TENANT_ID}/{MG_PROD}/{SUB_PROD}", SUB_PLAT: f"{TENANT_ID}/{MG_PLAT}/{SUB_PLAT}"}

ROLE_OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
ROLE_CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
ROLE_READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
ROLE_UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
ROLE_VM_CONTRIBUTOR = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c"
GA_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10"


def sub_rg(sub, rg):
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


RG_AKS = sub_rg(SUB_PROD, "rg-aks-prod")
AKS_ID = f"{RG_AKS}/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu"
AKS_NODE_RG = sub_rg(SUB_PROD, "MC_rg-aks-prod_aks-prod-weu_westeurope")
NSG_ID = f"{RG_AKS}/providers/Microsoft.Network/networkSecurityGroups/nsg-aks-prod-weu"
KV_ID = f"{sub_rg(SUB_PROD, 'rg-security')}/providers/Microsoft.KeyVault/vaults/kv-prod-fabrikam"
APP_ID_RES = f"{sub_rg(SUB_PROD, 'rg-app')}/providers/Microsoft.Web/sites/app-fabrikam-tracking"
STORAGE_EXPORTS = f"{sub_rg(SUB_PROD, 'rg-data')}/providers/Microsoft.Storage/storageAccounts/stfabrikamexports"
STORAGE_LOGS = f"{sub_rg(SUB_PROD, 'rg-logging')}/providers/Microsoft.Storage/storageAccounts/stfabrikamlogs"
LAW_ID = f"{sub_rg(SUB_PROD, 'rg-logging')}/providers/Microsoft.OperationalInsights/workspaces/law-fabrikam-prod"

# ---------------------------------------------------------------- places (float32 coordinates, as Entra stores them)


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


PLACES = {
    "madrid": dict(city="Madrid", state="Madrid", countryOrRegion="ES", lat=40.4165, lon=-3.7026, asn=64502),
    "london": dict(city="London", state="England", countryOrRegion="GB", lat=51.5085, lon=-0.1257, asn=64503),
    "manchester": dict(city="Manchester", state="England", countryOrRegion="GB", lat=53.4809, lon=-2.2374, asn=64504),
    "lagos": dict(city="Lagos", state="Lagos", countryOrRegion="NG", lat=6.4541, lon=3.3947, asn=64501),
}

ATTACKER_IP = "203.0.113.66"      # fictional hosting provider, geolocated to Lagos, Nigeria

# ---------------------------------------------------------------- first-party applications (public, well-known ids)

APP_PORTAL = ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal")
APP_CLI = ("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI")
APP_TEAMS = ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams")
APP_OUTLOOK = ("5d661950-3475-41cd-a2c3-d671a3162bc1", "Microsoft Outlook")
APP_OFFICE = ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome")
APP_MYSIGNINS = ("19db86c3-b2b9-44cc-b339-36da233a3be2", "My Signins")
RES_ARM = ("797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API")
RES_GRAPH = ("00000003-0000-0000-c000-000000000000", "Microsoft Graph")
RES_KV = ("cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault")
RES_EXO = ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online")
RES_TEAMS = ("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services")
RES_OFFICE = ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome")
APP_POLICY = "1d78a85d-813d-46f0-b496-dd72f50a3ec0"   # Azure Policy Insights resource provider

# ---------------------------------------------------------------- the cast


def _device(name, os_, browser, managed):
    return {"deviceId": gid("device/" + name) if managed else "", "displayName": name if managed else "",
            "operatingSystem": os_, "browser": browser, "isCompliant": managed, "isManaged": managed,
            "trustType": "Azure AD joined" if managed else ""}


def _user(key, upn, name, given, surname, ip, place, device, title, ua):
    return dict(key=key, kind="user", upn=upn, name=name, given=given, surname=surname, oid=gid("user/" + upn),
                ip=ip, place=place, device=device, title=title, ua=ua, puid=hexid("puid/" + upn, 16).upper())


UA_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0")
UA_CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/142.0.0.0 Safari/537.36")
UA_FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0"
UA_AZCLI = "python-requests/2.32.3"

MARIA = _user("maria", "maria.lopez@" + MAIL_DOMAIN, "María López", "María", "López", "198.51.100.23", "madrid",
              _device("FAB-MAD-LT042", "Windows 10", "Edge 142.0.0", True), "Cloud Platform Lead", UA_EDGE)
DEVOPS = _user("devops", "dev.ops@" + MAIL_DOMAIN, "Sam Carter (DevOps)", "Sam", "Carter", "198.51.100.77", "london",
               _device("FAB-LON-MB017", "MacOs", "Chrome 142.0.0", True), "DevOps Engineer", UA_CHROME_MAC)
PRIYA = _user("priya", "priya.nair@" + MAIL_DOMAIN, "Priya Nair", "Priya", "Nair", "198.51.100.77", "london",
              _device("FAB-LON-LT003", "Windows 10", "Edge 142.0.0", True), "Security Lead", UA_EDGE)
AISHA = _user("aisha", "aisha.khan@" + MAIL_DOMAIN, "Aisha Khan", "Aisha", "Khan", "192.0.2.57", "manchester",
              _device("FAB-MAN-DT110", "Windows 10", "Edge 142.0.0", True), "IT Service Desk", UA_EDGE)
NINA = _user("nina", "nina.schmidt@" + MAIL_DOMAIN, "Nina Schmidt", "Nina", "Schmidt", "198.51.100.23", "madrid",
             _device("FAB-MAD-LT077", "Windows 10", "Edge 142.0.0", True), "Logistics Planner", UA_EDGE)
BACKDOOR = _user("backdoor", "svc-backup-sync@" + INITIAL_DOMAIN, "Backup Sync Service", "", "", ATTACKER_IP, "lagos",
                 _device("", "Linux", "Firefox 145.0", False), "", UA_FIREFOX_LINUX)
ATTACKER_DEVICE = _device("", "Linux", "Firefox 145.0", False)
USERS = [MARIA, DEVOPS, PRIYA, AISHA, NINA]


def _principal(key, kind, name, ip, mirid=None):
    return dict(key=key, kind=kind, name=name, appid=gid(f"appid/{name}"), oid=gid(f"principal/{name}"), ip=ip,
                mirid=mirid)


GH = _principal("gh", "sp", "gh-actions-deploy", "4.210.172.9")
AUTOMATION_MI = _principal("automation", "mi", "aa-fabrikam-ops", "20.103.17.45",
                           f"/subscriptions/{SUB_PLAT}/resourcegroups/rg-automation/providers/Microsoft.Automation/automationAccounts/aa-fabrikam-ops")
APP_MI = _principal("appmi", "mi", "app-fabrikam-tracking", "20.105.216.14",
                    APP_ID_RES.replace("resourceGroups", "resourcegroups"))
AKS_MI = _principal("aksmi", "mi", "aks-prod-weu", "20.103.88.12",
                    f"/subscriptions/{SUB_PROD}/resourcegroups/rg-aks-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-prod-weu-identity")
POLICY_RP = dict(key="policy", kind="rp", name="Azure Policy Insights", appid=APP_POLICY,
                 oid=gid("principal/policy-insights"), ip=None, mirid=None)

# RBAC evidence (role, role definition, assignment scope) per identity, used by the diagnostic shape.
RBAC = {
    "maria": ("Owner", ROLE_OWNER, f"/subscriptions/{SUB_PROD}"),
    "devops": ("Contributor", ROLE_CONTRIBUTOR, RG_AKS),
    "priya": ("Owner", ROLE_OWNER, f"/subscriptions/{SUB_PROD}"),
    "gh": ("Contributor", ROLE_CONTRIBUTOR, f"/subscriptions/{SUB_PROD}"),
    "automation": ("Virtual Machine Contributor", ROLE_VM_CONTRIBUTOR, sub_rg(SUB_PLAT, "rg-build-agents")),
    "aksmi": ("Contributor", ROLE_CONTRIBUTOR, AKS_NODE_RG),
    "backdoor": ("Owner", ROLE_OWNER, f"/providers/Microsoft.Management/managementGroups/{MG_ROOT}"),
}

# ---------------------------------------------------------------- serializers


def json_compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def json_az(obj):
    """What the az CLI prints: indent 2, sorted keys, UTF-8, trailing newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_PS_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
           "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def _ps_str(s):
    return '"' + "".join(_PS_ESC.get(c, c if ord(c) >= 0x20 else "\\u%04x" % ord(c)) for c in s) + '"'


def ps_json(value, col=0):
    """Windows PowerShell 5.1 ConvertTo-Json layout: '"key":  value', hanging indentation, CRLF."""
    if isinstance(value, dict):
        if not value:
            return "{\r\n\r\n" + " " * col + "}"
        lines = []
        for k, v in value.items():
            prefix = " " * (col + 4) + _ps_str(k) + ":  "
            lines.append(prefix + ps_json(v, len(prefix)))
        return "{\r\n" + ",\r\n".join(lines) + "\r\n" + " " * col + "}"
    if isinstance(value, list):
        if not value:
            return "[\r\n\r\n" + " " * col + "]"
        items = [" " * (col + 4) + ps_json(v, col + 4) for v in value]
        return "[\r\n" + ",\r\n".join(items) + "\r\n" + " " * col + "]"
    if isinstance(value, str):
        return _ps_str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def csv_text(header, rows, quote_all=False, crlf=True):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    return buf.getvalue()
