"""Azure Resource Manager activity-log events: one model, four renderings.

`operation()` turns one ARM operation (Started / Accepted / Succeeded|Failed) into canonical
events; `rest()`, `diag()`, `portal_row()` and `ps_row()` render a canonical event the way the
REST API / az CLI, a diagnostic-settings archive, the portal CSV download and PowerShell
`Export-Csv` would. `world()` is the whole week of ARM activity; files select from it.
"""
import json

from common import (AKS_ID, AKS_MI, AKS_NODE_RG, APP_CLI, APP_ID_RES, APP_PORTAL, ATTACKER_IP, AUTOMATION_MI,
                    BACKDOOR, DEVOPS, GH, HIERARCHY, KV_ID, MARIA, MG_PROD, MG_ROOT, NSG_ID, POLICY_RP, PRIYA, RBAC,
                    RG_AKS, ROLE_OWNER, ROLE_READER, ROLE_UAA, STORAGE_EXPORTS, SUB_PLAT, SUB_PROD, SUB_PROD_NAME,
                    SUB_PLAT_NAME, TENANT_ID, at, b64, epoch, gid, hexid, hnum, iso7, json_compact, plus, sub_rg,
                    us_time, dotnet_ticks)

STATUS = {"Started": ("Start", "BeginRequest", "Begin request"),
          "Accepted": ("Accept", "EndRequest", "End request"),
          "Succeeded": ("Success", "EndRequest", "End request"),
          "Failed": ("Failure", "EndRequest", "End request")}
HTTP = {200: ("OK", "OK (HTTP Status Code: 200)"), 201: ("Created", "Created (HTTP Status Code: 201)"),
        202: ("Accepted", "Accepted (HTTP Status Code: 202)"), 404: ("NotFound", "Not Found (HTTP Status Code: 404)"),
        409: ("Conflict", "Conflict (HTTP Status Code: 409)")}
# Localized display names (REST operationName.localizedValue, portal "Operation name").
DISPLAY = {
    "Microsoft.ContainerService/managedClusters/write": "Create or Update Managed Cluster",
    "Microsoft.ContainerService/managedClusters/delete": "Delete Managed Cluster",
    "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action": "List clusterAdmin credential of a Managed Cluster",
    "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action": "List clusterUser credential of a Managed Cluster",
    "Microsoft.ContainerService/managedClusters/runCommand/action": "RunCommand",
    "Microsoft.ContainerService/managedClusters/agentPools/write": "Create or Update Agent Pool",
    "Microsoft.Insights/diagnosticSettings/delete": "Delete resource diagnostic setting",
    "Microsoft.Insights/diagnosticSettings/write": "Create or update resource diagnostic setting",
    "Microsoft.Network/networkSecurityGroups/securityRules/write": "Create or Update Security Rule",
    "Microsoft.Network/networkSecurityGroups/securityRules/delete": "Delete Security Rule",
    "Microsoft.KeyVault/vaults/accessPolicies/write": "Update Access Policy",
    "Microsoft.Resources/deployments/write": "Create Deployment",
    "Microsoft.Web/sites/write": "Create or Update Web App",
    "Microsoft.Web/sites/restart/action": "Restart Web App",
    "Microsoft.Web/sites/config/write": "Update Web App Configuration",
    "Microsoft.Resources/tags/write": "Update resource tags",
    "Microsoft.Storage/storageAccounts/write": "Create/Update Storage Account",
    "Microsoft.Storage/storageAccounts/delete": "Delete Storage Account",
    "Microsoft.Compute/virtualMachineScaleSets/write": "Create or Update Virtual Machine Scale Set",
    "Microsoft.Compute/virtualMachines/start/action": "Start Virtual Machine",
    "Microsoft.Compute/virtualMachines/deallocate/action": "Deallocate Virtual Machine",
    "Microsoft.Authorization/roleAssignments/write": "Create role assignment",
    "Microsoft.Authorization/roleAssignments/delete": "Delete role assignment",
    "Microsoft.Authorization/policyAssignments/write": "Create policy assignment",
    "Microsoft.Authorization/elevateAccess/action": "Assigns the caller to User Access Administrator role",
}


# ---------------------------------------------------------------- claims and identity


def claims(ident, app, t, ip):
    """JWT claims as ARM records them (strings only)."""
    iat = epoch(t) - 300 - hnum(f"iat/{ident['key']}/{t // 36_000_000_000}", 2400)
    c = {"aud": "https://management.core.windows.net/", "iss": f"https://sts.windows.net/{TENANT_ID}/",
         "iat": str(iat), "nbf": str(iat), "exp": str(iat + 4200 + hnum(f"exp/{iat}", 900))}
    seed = f"{ident['key']}/{ip}/{iat}"
    if ident["kind"] == "user":
        c.update({
            "http://schemas.microsoft.com/claims/authnclassreference": "1",
            "aio": b64("aio/" + seed, 56),
            "http://schemas.microsoft.com/claims/authnmethodsreferences": "pwd,mfa",
            "appid": app[0], "appidacr": "0",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": ident["surname"],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ident["given"],
            "idtyp": "user", "ipaddr": ip, "name": ident["name"],
            "http://schemas.microsoft.com/identity/claims/objectidentifier": ident["oid"],
            "puid": ident["puid"], "rh": b64("rh/" + seed, 40) + ".",
            "http://schemas.microsoft.com/identity/claims/scope": "user_impersonation",
            "sid": gid(f"sid/{ident['key']}/{ip}/{t // (TPS_DAY)}"),
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier": b64("nid/" + ident["oid"], 43),
            "http://schemas.microsoft.com/identity/claims/tenantid": TENANT_ID,
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": ident["upn"],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": ident["upn"],
            "uti": b64("uti/" + seed), "ver": "1.0"})
    else:
        c.update({
            "aio": b64("aio/" + seed, 48), "appid": ident["appid"], "appidacr": "2",
            "http://schemas.microsoft.com/identity/claims/identityprovider": f"https://sts.windows.net/{TENANT_ID}/",
            "idtyp": "app",
            "http://schemas.microsoft.com/identity/claims/objectidentifier": ident["oid"],
            "rh": b64("rh/" + seed, 40) + ".",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier": ident["oid"],
            "http://schemas.microsoft.com/identity/claims/tenantid": TENANT_ID,
            "uti": b64("uti/" + seed), "ver": "1.0"})
        if ident.get("mirid"):
            c["xms_mirid"] = ident["mirid"]
    return c


TPS_DAY = 86400 * 10_000_000


def caller_of(ident):
    return ident["upn"] if ident["kind"] == "user" else ident["oid"]


def evidence(ident, override=None):
    role, role_def, scope = override or RBAC[ident["key"]]
    return {"role": role, "roleAssignmentScope": scope,
            "roleAssignmentId": hexid(f"ra/{ident['key']}/{scope}"), "roleDefinitionId": role_def.replace("-", ""),
            "principalId": ident["oid"].replace("-", ""),
            "principalType": "User" if ident["kind"] == "user" else "ServicePrincipal"}


# ---------------------------------------------------------------- the operation model


def _split(rid, op):
    low = rid.lower()
    sub = rid.split("/")[2] if low.startswith("/subscriptions/") else ""
    rg = ""
    if "/resourcegroups/" in low:
        i = low.index("/resourcegroups/") + len("/resourcegroups/")
        rg = rid[i:].split("/")[0]
    parts = op.split("/")
    rtype = "/".join(parts[:-2] if parts[-1].lower() == "action" else parts[:-1])
    return sub, rg, parts[0], rtype


def operation(ident, op, rid, steps, *, app=APP_PORTAL, ip=None, method="PUT", request=None, response=None,
              code=200, fail=None, corr=None, key=None, category="Administrative", rtype=None, auth_action=None,
              extra=None, evid=None, hierarchy=None):
    """One ARM operation -> canonical events. steps: [(status, time)]; fail: (http code, error code, message)."""
    key = key or f"{op}|{rid}|{steps[0][1]}"
    opid = gid("opid/" + key) if corr else None
    corr = corr or gid("corr/" + key)
    sub, rg, prov, derived_type = _split(rid, op)
    ip = ip if ip is not None else ident.get("ip")
    if hierarchy is None:
        hierarchy = HIERARCHY.get(sub, "")
    srid = gid("srid/" + key)
    policy = category == "Policy"
    token = claims(ident, app, steps[0][1], ip or "")   # one token for all events of the operation
    events = []
    for status, t in steps:
        if status == "Started":
            sub_status = ("", "")
        elif status == "Accepted":
            sub_status = HTTP[202]
        elif status == "Failed":
            sub_status = HTTP[fail[0]]
        else:
            sub_status = ("", "") if policy else HTTP[code]
        props = {}
        if status == "Started" and request is not None:
            props["requestbody"] = json_compact(request)
        if status != "Started" and not policy:
            props["statusCode"] = sub_status[0]
            props["serviceRequestId"] = srid
        if status == "Failed":
            props["statusMessage"] = json_compact({"error": {"code": fail[1], "message": fail[2]}})
        if status == "Succeeded" and response is not None:
            props["responseBody"] = json_compact(response)
        props.update(extra or {})
        props.update({"eventCategory": category, "entity": rid, "message": op, "hierarchy": hierarchy})
        ev = dict(uid=gid(f"event/{key}/{status}"), key=f"{key}/{status}", op=op, status=status, sub_status=sub_status,
                  t=t, submit=plus(t, 20 + hnum("sub/" + key + status, 160), "subfrac/" + key + status),
                  rid=rid, sub=sub, rg=rg, provider=prov, rtype=rtype or derived_type, ident=ident, app=app, ip=ip,
                  method=method, corr=corr, opid=opid or corr, creq=gid("creq/" + key), props=props,
                  category=category, auth_action=auth_action or op, scope=rid,
                  level="Error" if status == "Failed" else ("Warning" if category == "Policy" else "Informational"),
                  claims=token, evidence=None if ident["kind"] == "rp" else (evid or evidence(ident)),
                  duration=0 if status in ("Started", "Accepted") else int((t - steps[0][1]) // 10_000))
        events.append(ev)
    return events


def policy_audit(t, rid, policy_name, effect="audit", caller=None, app=APP_PORTAL, trigger=None, location="westeurope"):
    """A Policy-category event (compliance scan by the Policy Insights RP, or triggered by a caller's write)."""
    ident = caller or POLICY_RP
    assignment = f"/providers/Microsoft.Management/managementGroups/{MG_PROD}/providers/Microsoft.Authorization/policyAssignments/{hexid('pa/' + MG_PROD, 24)}"
    definition = gid("policydef/" + policy_name)
    policies = [{"policyDefinitionId": f"/providers/Microsoft.Authorization/policyDefinitions/{definition}",
                 "policyDefinitionName": definition, "policyDefinitionDisplayName": policy_name,
                 "policyDefinitionEffect": effect.capitalize() if effect == "audit" else "AuditIfNotExists",
                 "policyAssignmentId": assignment, "policyAssignmentName": hexid("pa/" + MG_PROD, 24),
                 "policyAssignmentScope": f"/providers/Microsoft.Management/managementGroups/{MG_PROD}",
                 "policyAssignmentParameters": {}}]
    extra = {"isComplianceCheck": "False" if trigger else "True", "resourceLocation": location,
             "ancestors": f"{MG_PROD},{TENANT_ID}", "policies": json_compact(policies)}
    return operation(ident, f"Microsoft.Authorization/policies/{effect}/action", rid, [("Succeeded", t)], app=app,
                     method="", ip=caller["ip"] if caller else "", category="Policy", extra=extra,
                     rtype="Microsoft.Resources/checkPolicyCompliance",
                     auth_action=trigger or "Microsoft.Resources/checkPolicyCompliance/read",
                     key=f"policy|{policy_name}|{rid}|{t}")


# ---------------------------------------------------------------- renderings


def rest(ev):
    """REST / az CLI shape (camelCase, value/localizedValue objects)."""
    status, (name, lname) = ev["status"], STATUS[ev["status"]][1:]
    r = {"authorization": {"action": ev["auth_action"], "scope": ev["scope"]},
         "caller": caller_of(ev["ident"]), "channels": "Operation", "claims": ev["claims"],
         "correlationId": ev["corr"], "description": "", "eventDataId": ev["uid"],
         "eventName": {"value": name, "localizedValue": lname},
         "category": {"value": ev["category"], "localizedValue": ev["category"]},
         "eventTimestamp": iso7(ev["t"])}
    if ev["ip"] and ev["method"]:
        r["httpRequest"] = {"clientRequestId": ev["creq"], "clientIpAddress": ev["ip"], "method": ev["method"]}
    r.update({"id": f"{ev['rid']}/events/{ev['uid']}/ticks/{dotnet_ticks(ev['t'])}", "level": ev["level"],
              "operationId": ev["opid"],
              "operationName": {"value": ev["op"], "localizedValue": DISPLAY.get(ev["op"], ev["op"])},
              "properties": ev["props"]})
    if ev["rg"]:
        r["resourceGroupName"] = ev["rg"]
    r.update({"resourceProviderName": {"value": ev["provider"], "localizedValue": ev["provider"]},
              "resourceType": {"value": ev["rtype"], "localizedValue": ev["rtype"]},
              "resourceId": ev["rid"],
              "status": {"value": status, "localizedValue": status},
              "subStatus": {"value": ev["sub_status"][0], "localizedValue": ev["sub_status"][1]},
              "submissionTimestamp": iso7(ev["submit"]), "subscriptionId": ev["sub"], "tenantId": TENANT_ID})
    return r


def diag(ev):
    """Diagnostic-settings (storage / Event Hub) shape: upper-case ids, resultType, identity{}."""
    d = {"time": iso7(ev["t"]), "resourceId": ev["rid"].upper(), "operationName": ev["op"].upper(),
         "category": ev["category"], "resultType": STATUS[ev["status"]][0],
         "resultSignature": f"{ev['status']}.{ev['sub_status'][0]}", "durationMs": ev["duration"]}
    if ev["ip"] and ev["method"]:
        d["callerIpAddress"] = ev["ip"]
    auth = {"scope": ev["scope"], "action": ev["auth_action"]}
    if ev["evidence"]:
        auth["evidence"] = ev["evidence"]
    d.update({"correlationId": ev["corr"], "identity": {"authorization": auth, "claims": ev["claims"]},
              "level": {"Informational": "Information"}.get(ev["level"], ev["level"]), "location": "global",
              "properties": ev["props"]})
    return d


PORTAL_HEADER = ["Correlation id", "Operation name", "Status", "Event category", "Level", "Time", "Subscription",
                 "Event initiated by", "Resource type", "Resource group", "Resource"]


def portal_row(ev):
    ident = ev["ident"]
    return [ev["corr"], DISPLAY.get(ev["op"], ev["op"]), ev["status"], ev["category"], ev["level"],
            us_time(ev["t"]), SUB_PROD_NAME if ev["sub"] == SUB_PROD else SUB_PLAT_NAME,
            ident["upn"] if ident["kind"] == "user" else ident["name"], ev["rtype"], ev["rg"], ev["rid"]]


PS_HEADER = ["Authorization", "Caller", "Category", "Claims", "CorrelationId", "Description", "EventDataId", "EventName",
             "EventTimestamp", "HttpRequest", "Id", "Level", "OperationId", "OperationName", "Properties",
             "ResourceGroupName", "ResourceProviderName", "ResourceId", "ResourceType", "Status",
             "SubmissionTimestamp", "SubscriptionId", "SubStatus", "TenantId"]
_PS_NS = "Microsoft.Azure.Commands.Insights.OutputClasses."


def ps_row(ev):
    """Get-AzActivityLog | Export-Csv -NoTypeInformation: nested objects become type names."""
    return [_PS_NS + "PSEventDataAuthorization", caller_of(ev["ident"]), ev["category"], _PS_NS + "PSDictionaryElement",
            ev["corr"], "", ev["uid"], STATUS[ev["status"]][1], us_time(ev["t"], comma=False),
            _PS_NS + "PSEventDataHttpRequest", f"{ev['rid']}/events/{ev['uid']}/ticks/{dotnet_ticks(ev['t'])}",
            ev["level"], ev["opid"], ev["op"], _PS_NS + "PSDictionaryElement", ev["rg"], ev["provider"], ev["rid"],
            ev["rtype"], ev["status"], us_time(ev["submit"], comma=False), ev["sub"], ev["sub_status"][0], TENANT_ID]


# ---------------------------------------------------------------- the week

def _steps(t, *spec):
    """_steps(t, ("Started", 0), ("Succeeded", 1.3)) -> [(status, t + offset)] with deterministic jitter."""
    return [(s, plus(t, off, f"{t}/{s}") if off else t) for s, off in spec]


SA = (("Started", 0), ("Succeeded", 1.4))
SAS = (("Started", 0), ("Accepted", 1.2), ("Succeeded", 38))

RA_ROOT_OWNER = gid("roleassignment/root-owner/svc-backup-sync")
RA_ROOT_RID = f"/providers/Microsoft.Management/managementGroups/{MG_ROOT}/providers/Microsoft.Authorization/roleAssignments/{RA_ROOT_OWNER}"
MG_ROOT_SCOPE = f"/providers/Microsoft.Management/managementGroups/{MG_ROOT}"
DIAG_RID = f"{AKS_ID}/providers/Microsoft.Insights/diagnosticSettings/aks-audit-to-la"
NSG_RULE_RID = f"{NSG_ID}/securityRules/AllowSSHInbound"
MINERPOOL_RID = f"{AKS_ID}/agentPools/minerpool"


def nightly_deploys():
    evs = []
    for day in range(9, 14):
        run = 4180 + day
        t0 = at(day, f"01:{30 + hnum(f'gh{day}', 4):02d}:{hnum(f'ghs{day}', 50) + 5:02d}")
        dep = f"{sub_rg(SUB_PROD, 'rg-app')}/providers/Microsoft.Resources/deployments/tracking-infra-{run}"
        corr = gid(f"corr/nightly/{day}")
        evs += operation(GH, "Microsoft.Resources/deployments/write", dep,
                         _steps(t0, ("Started", 0), ("Accepted", 1.3), ("Succeeded", 62)), app=(GH["appid"], GH["name"]),
                         request={"properties": {"mode": "Incremental", "templateLink": {"id": "", "uri": ""},
                                                 "parameters": {"imageTag": {"value": f"2026.11.{day}-{run}"}}}},
                         corr=corr, key=f"nightly/{day}/deployment", code=201)
        evs += operation(GH, "Microsoft.Web/sites/write", APP_ID_RES,
                         _steps(plus(t0, 20, f"site{day}"), ("Started", 0), ("Succeeded", 24)), app=(GH["appid"], GH["name"]),
                         corr=corr, key=f"nightly/{day}/site")
        t1 = plus(t0, 150 + hnum(f"aks{day}", 30))
        if day < 13:
            steps = _steps(t1, *SA)
            fail = None
        else:  # the cluster no longer exists on Friday night
            steps, fail = _steps(t1, ("Started", 0), ("Failed", 0.4)), (404, "ResourceNotFound",
                                                                         "The Resource 'Microsoft.ContainerService/managedClusters/aks-prod-weu' under resource group 'rg-aks-prod' was not found.")
        evs += operation(GH, "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", AKS_ID,
                         steps, app=(GH["appid"], GH["name"]), method="POST", fail=fail, key=f"nightly/{day}/aks")
    return evs


def automation_runs():
    """Runbooks of the automation account: start build agents 05:45, deallocate 19:00 (Mon-Fri)."""
    evs = []
    for day in range(9, 14):
        for vm_i, vm in enumerate(("vm-build-01", "vm-build-02")):
            rid = f"{sub_rg(SUB_PLAT, 'rg-build-agents')}/providers/Microsoft.Compute/virtualMachines/{vm}"
            for op, hms, dur in (("start", "05:45:1", 44), ("deallocate", "19:00:2", 71)):
                t = at(day, hms + str(2 * vm_i + hnum(f"{vm}{day}{op}", 3)))
                evs += operation(AUTOMATION_MI, f"Microsoft.Compute/virtualMachines/{op}/action", rid,
                                 _steps(t, ("Started", 0), ("Succeeded", dur)), app=(AUTOMATION_MI["appid"], ""),
                                 method="POST")
    return evs


def maria_benign():
    m = dict(app=APP_PORTAL, ip=MARIA["ip"])
    rg_app = sub_rg(SUB_PROD, "rg-app")
    evs = operation(MARIA, "Microsoft.Resources/tags/write", f"{rg_app}/providers/Microsoft.Resources/tags/default",
                    _steps(at(9, "14:05:33"), *SA), request={"properties": {"tags": {"costCenter": "CC-4410", "owner": "platform-team"}}}, **m)
    t = at(10, "09:30:12")
    evs += operation(MARIA, "Microsoft.Storage/storageAccounts/write", STORAGE_EXPORTS, _steps(t, ("Started", 0), ("Accepted", 1.6), ("Succeeded", 29)),
                     request={"sku": {"name": "Standard_ZRS"}, "kind": "StorageV2", "location": "westeurope",
                              "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": True, "supportsHttpsTrafficOnly": True}}, **m)
    evs += policy_audit(plus(t, 2, "pol/storage"), STORAGE_EXPORTS, "Storage account public access should be disallowed",
                        caller=MARIA, trigger="Microsoft.Storage/storageAccounts/write")
    rule = f"{sub_rg(SUB_PROD, 'rg-network')}/providers/Microsoft.Network/networkSecurityGroups/nsg-app-weu/securityRules/AllowHttpsFromOffices"
    evs += operation(MARIA, "Microsoft.Network/networkSecurityGroups/securityRules/write", rule, _steps(at(11, "11:02:50"), *SA), code=201,
                     request={"properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "443",
                                             "sourceAddressPrefix": "198.51.100.0/24", "destinationAddressPrefix": "*",
                                             "access": "Allow", "priority": 210, "direction": "Inbound"}}, **m)
    evs += operation(MARIA, "Microsoft.Web/sites/config/write", APP_ID_RES + "/config/appsettings", _steps(at(11, "13:40:05"), *SA),
                     request={"properties": {"FEATURE_ROUTING_V2": "true", "KEYVAULT_URI": "https://kv-prod-fabrikam.vault.azure.net/"}}, **m)
    evs += operation(MARIA, "Microsoft.Web/sites/restart/action", APP_ID_RES, _steps(at(12, "08:20:44"), *SA), method="POST", **m)
    evs += operation(MARIA, "Microsoft.Resources/tags/write", f"{rg_app}/providers/Microsoft.Resources/tags/default",
                     _steps(at(12, "11:05:09"), *SA), request={"properties": {"tags": {"costCenter": "CC-4420", "owner": "platform-team"}}}, **m)
    return evs


def others_benign():
    dv = dict(app=APP_CLI, ip=DEVOPS["ip"])
    evs = operation(DEVOPS, "Microsoft.ContainerService/managedClusters/write", AKS_ID,
                    _steps(at(10, "10:02:11"), ("Started", 0), ("Accepted", 1.9), ("Succeeded", 2201)),
                    request={"location": "westeurope", "properties": {"kubernetesVersion": "1.31.2"}}, **dv)
    evs += operation(DEVOPS, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", AKS_ID,
                     _steps(at(10, "10:05:30"), *SA), method="POST", **dv)
    vmss_user = f"{AKS_NODE_RG}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-user-27182818-vmss"
    for t in (at(10, "10:10:41"), at(10, "13:21:07")):
        evs += operation(AKS_MI, "Microsoft.Compute/virtualMachineScaleSets/write", vmss_user, _steps(t, ("Started", 0), ("Succeeded", 96)),
                         app=(AKS_MI["appid"], ""), evid=evidence(AKS_MI))
    tmp = f"{sub_rg(SUB_PROD, 'rg-data')}/providers/Microsoft.Storage/storageAccounts/stfabrikamtmp01"
    evs += operation(DEVOPS, "Microsoft.Storage/storageAccounts/delete", tmp, _steps(at(10, "13:44:10"), ("Started", 0), ("Failed", 0.7)),
                     method="DELETE", fail=(409, "ScopeLocked", "The scope '%s' cannot perform delete operation because following scope(s) are locked: '%s'. Please remove the lock and try again." % (tmp, sub_rg(SUB_PROD, "rg-data"))),
                     evid=evidence(DEVOPS, ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", sub_rg(SUB_PROD, "rg-data"))), **dv)
    evs += policy_audit(at(10, "13:12:40"), STORAGE_EXPORTS, "Storage account public access should be disallowed")
    evs += policy_audit(at(10, "13:12:58"), AKS_ID, "Kubernetes cluster containers should only use allowed images")
    evs += policy_audit(at(10, "13:13:20"), AKS_ID, "Azure Kubernetes Service clusters should have Defender profile enabled", effect="auditIfNotExists")
    return evs


def attack_subscription():
    """Steps 6-12 of the intrusion as subscription-scope ARM events."""
    a = dict(app=APP_CLI, ip=ATTACKER_IP)
    evs = operation(MARIA, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", AKS_ID,
                    _steps(at(12, "09:14:03"), *SA), method="POST", **a)
    evs += operation(MARIA, "Microsoft.ContainerService/managedClusters/runCommand/action", AKS_ID,
                     _steps(at(12, "09:16:02"), ("Started", 0), ("Accepted", 1.1), ("Succeeded", 42)), method="POST",
                     request={"command": "kubectl get secrets --all-namespaces -o json", "context": ""}, **a)
    evs += operation(MARIA, "Microsoft.Insights/diagnosticSettings/delete", DIAG_RID, _steps(at(12, "09:31:17"), *SA),
                     method="DELETE", **a)
    pool = {"properties": {"count": 10, "vmSize": "Standard_NC24ads_A100_v4", "osType": "Linux", "mode": "User",
                           "orchestratorVersion": "1.31.2", "enableAutoScaling": False, "nodeLabels": {"workload": "batch"}}}
    done = json.loads(json.dumps(pool))
    done["properties"].update({"provisioningState": "Succeeded", "powerState": {"code": "Running"},
                               "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202611.03.0"})
    done.update({"id": MINERPOOL_RID, "name": "minerpool", "type": "Microsoft.ContainerService/managedClusters/agentPools"})
    evs += operation(MARIA, "Microsoft.ContainerService/managedClusters/agentPools/write", MINERPOOL_RID,
                     [("Started", at(12, "09:59:57")), ("Accepted", at(12, "10:00:01")), ("Succeeded", at(12, "10:06:32"))],
                     request=pool, response=done, **a)
    rule = {"properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "22",
                           "sourceAddressPrefix": "*", "destinationAddressPrefix": "*", "access": "Allow",
                           "priority": 100, "direction": "Inbound"}}
    created = {"name": "AllowSSHInbound", "id": NSG_RULE_RID, "etag": 'W/"%s"' % gid("etag/nsgrule"),
               "type": "Microsoft.Network/networkSecurityGroups/securityRules",
               "properties": dict(rule["properties"], provisioningState="Succeeded", sourcePortRanges=[],
                                  destinationPortRanges=[], sourceAddressPrefixes=[], destinationAddressPrefixes=[])}
    evs += operation(MARIA, "Microsoft.Network/networkSecurityGroups/securityRules/write", NSG_RULE_RID,
                     _steps(at(12, "10:08:21"), ("Started", 0), ("Succeeded", 2.4)), request=rule, response=created, code=201, **a)
    evs += operation(MARIA, "Microsoft.KeyVault/vaults/accessPolicies/write", KV_ID + "/accessPolicies/add",
                     _steps(at(12, "10:11:02"), ("Started", 0), ("Succeeded", 1.8)),
                     request={"properties": {"accessPolicies": [{"tenantId": TENANT_ID, "objectId": MARIA["oid"],
                                                                 "permissions": {"keys": [], "secrets": ["get", "list"], "certificates": []}}]}}, **a)
    # the AKS resource provider builds the GPU scale set for the new pool
    evs += operation(AKS_MI, "Microsoft.Compute/virtualMachineScaleSets/write",
                     f"{AKS_NODE_RG}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-minerpool-16180339-vmss",
                     _steps(at(12, "10:00:45"), ("Started", 0), ("Succeeded", 145)), app=(AKS_MI["appid"], ""), evid=evidence(AKS_MI))
    # step 12: the backdoor account deletes the cluster (Owner inherited from the root management group)
    evs += operation(BACKDOOR, "Microsoft.ContainerService/managedClusters/delete", AKS_ID,
                     [("Started", at(12, "13:48:12")), ("Accepted", at(12, "13:48:14")), ("Succeeded", at(12, "13:55:40"))],
                     method="DELETE", app=APP_PORTAL, ip=ATTACKER_IP)
    return evs


def recovery():
    dv = dict(app=APP_CLI, ip=DEVOPS["ip"])
    evs = operation(DEVOPS, "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", AKS_ID,
                    _steps(at(12, "14:05:51"), ("Started", 0), ("Failed", 0.3)), method="POST",
                    fail=(404, "ResourceNotFound", "The Resource 'Microsoft.ContainerService/managedClusters/aks-prod-weu' under resource group 'rg-aks-prod' was not found."), **dv)
    evs += operation(DEVOPS, "Microsoft.Network/networkSecurityGroups/securityRules/delete", NSG_RULE_RID,
                     _steps(at(13, "09:10:26"), ("Started", 0), ("Succeeded", 11)), method="DELETE", **dv)
    corr = gid("corr/rebuild")
    dep = f"{RG_AKS}/providers/Microsoft.Resources/deployments/aks-prod-weu-rebuild"
    evs += operation(DEVOPS, "Microsoft.Resources/deployments/write", dep,
                     _steps(at(13, "10:30:04"), ("Started", 0), ("Accepted", 1.5), ("Succeeded", 731)), corr=corr, code=201,
                     request={"properties": {"mode": "Incremental", "parameters": {"clusterName": {"value": "aks-prod-weu"}}}}, **dv)
    evs += operation(DEVOPS, "Microsoft.ContainerService/managedClusters/write", AKS_ID,
                     _steps(at(13, "10:30:19"), ("Started", 0), ("Accepted", 2.2), ("Succeeded", 702)), corr=corr, code=201,
                     request={"location": "westeurope", "properties": {"kubernetesVersion": "1.31.2", "disableLocalAccounts": True}}, **dv)
    evs += operation(DEVOPS, "Microsoft.Insights/diagnosticSettings/write", DIAG_RID, _steps(at(13, "10:52:37"), *SA),
                     request={"properties": {"workspaceId": "/subscriptions/%s/resourceGroups/rg-logging/providers/Microsoft.OperationalInsights/workspaces/law-fabrikam-prod" % SUB_PROD,
                                             "storageAccountId": "/subscriptions/%s/resourceGroups/rg-logging/providers/Microsoft.Storage/storageAccounts/stfabrikamlogs" % SUB_PROD,
                                             "logs": [{"category": "kube-audit", "enabled": True}, {"category": "kube-audit-admin", "enabled": True}]}}, **dv)
    evs += operation(DEVOPS, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", AKS_ID,
                     _steps(at(13, "11:05:48"), *SA), method="POST", **dv)
    return evs


def subscription_world():
    return nightly_deploys() + automation_runs() + maria_benign() + others_benign() + attack_subscription() + recovery()


# ---------------------------------------------------------------- tenant and management-group scope


def _ra_body(ra_id, principal, ptype, role, scope):
    return {"Id": ra_id, "Properties": {"PrincipalId": principal, "PrincipalType": ptype,
                                        "RoleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{role}",
                                        "Scope": scope, "Condition": None, "ConditionVersion": None}}


def _ra_response(ra_id, rid, principal, ptype, role, scope, t, by):
    return {"properties": {"roleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{role}",
                           "principalId": principal, "principalType": ptype, "scope": scope, "condition": None,
                           "conditionVersion": None, "createdOn": iso7(t), "updatedOn": iso7(t), "createdBy": None,
                           "updatedBy": by, "delegatedManagedIdentityResourceId": None, "description": None},
            "id": rid, "type": "Microsoft.Authorization/roleAssignments", "name": ra_id}


def tenant_world():
    """Directory Activity: elevation to User Access Administrator at root scope, and its removal."""
    auth = "/providers/Microsoft.Authorization"
    uaa_root = ("User Access Administrator", ROLE_UAA, "/")
    evs = operation(MARIA, "Microsoft.Authorization/elevateAccess/action", auth, _steps(at(12, "09:04:10"), ("Started", 0), ("Succeeded", 0.8)),
                    method="POST", app=APP_PORTAL, ip=ATTACKER_IP, evid=evidence(MARIA, ("Global Administrator", ROLE_UAA, "/")))
    evs += operation(PRIYA, "Microsoft.Authorization/elevateAccess/action", auth, _steps(at(12, "15:08:33"), ("Started", 0), ("Succeeded", 0.9)),
                     method="POST", app=APP_PORTAL, evid=evidence(PRIYA, uaa_root))
    for who, t in ((MARIA, at(12, "15:10:02")), (PRIYA, at(12, "15:12:47"))):
        ra = gid(f"roleassignment/root-uaa/{who['key']}")
        rid = f"{auth}/roleAssignments/{ra}"
        evs += operation(PRIYA, "Microsoft.Authorization/roleAssignments/delete", rid, _steps(t, ("Started", 0), ("Succeeded", 1.1)),
                         method="DELETE", app=APP_PORTAL, evid=evidence(PRIYA, uaa_root),
                         response=_ra_response(ra, rid, who["oid"], "User", ROLE_UAA, "/", at(12, "09:04:11") if who is MARIA else at(12, "15:08:34"), PRIYA["oid"]))
    return evs


def mg_world():
    mg_prod = f"/providers/Microsoft.Management/managementGroups/{MG_PROD}"
    uaa_root = ("User Access Administrator", ROLE_UAA, "/")
    pa = f"{mg_prod}/providers/Microsoft.Authorization/policyAssignments/{hexid('pa/' + MG_PROD, 24)}"
    evs = operation(MARIA, "Microsoft.Authorization/policyAssignments/write", pa, _steps(at(9, "10:20:48"), *SA), code=201,
                    hierarchy=f"{TENANT_ID}/{MG_PROD}", evid=evidence(MARIA, ("Owner", ROLE_OWNER, mg_prod)),
                    request={"properties": {"displayName": "Fabrikam production baseline",
                                            "policyDefinitionId": f"/providers/Microsoft.Authorization/policySetDefinitions/{gid('initiative/baseline')}",
                                            "enforcementMode": "Default"}})
    ra = gid("roleassignment/mg-prod/finance-readers")
    rid = f"{mg_prod}/providers/Microsoft.Authorization/roleAssignments/{ra}"
    group = gid("group/grp-finance-readers")
    evs += operation(MARIA, "Microsoft.Authorization/roleAssignments/write", rid, _steps(at(10, "15:10:26"), *SA), code=201,
                     hierarchy=f"{TENANT_ID}/{MG_PROD}", evid=evidence(MARIA, ("Owner", ROLE_OWNER, mg_prod)),
                     request=_ra_body(ra, group, "Group", ROLE_READER, mg_prod),
                     response=_ra_response(ra, rid, group, "Group", ROLE_READER, mg_prod, at(10, "15:10:27"), MARIA["oid"]))
    t = at(12, "09:07:41")
    evs += operation(MARIA, "Microsoft.Authorization/roleAssignments/write", RA_ROOT_RID, _steps(t, ("Started", 0), ("Succeeded", 1.5)),
                     code=201, ip=ATTACKER_IP, hierarchy=TENANT_ID, evid=evidence(MARIA, uaa_root),
                     request=_ra_body(RA_ROOT_OWNER, BACKDOOR["oid"], "User", ROLE_OWNER, MG_ROOT_SCOPE),
                     response=_ra_response(RA_ROOT_OWNER, RA_ROOT_RID, BACKDOOR["oid"], "User", ROLE_OWNER, MG_ROOT_SCOPE,
                                           plus(t, 1), MARIA["oid"]))
    evs += operation(PRIYA, "Microsoft.Authorization/roleAssignments/delete", RA_ROOT_RID, _steps(at(12, "15:05:14"), ("Started", 0), ("Succeeded", 1.2)),
                     method="DELETE", hierarchy=TENANT_ID, evid=evidence(PRIYA, ("Owner", ROLE_OWNER, MG_ROOT_SCOPE)),
                     response=_ra_response(RA_ROOT_OWNER, RA_ROOT_RID, BACKDOOR["oid"], "User", ROLE_OWNER, MG_ROOT_SCOPE,
                                           plus(t, 1), MARIA["oid"]))
    return evs
