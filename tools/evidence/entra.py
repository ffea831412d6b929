"""Entra ID: directory audits and sign-ins, rendered as Graph JSON, Log Analytics CSV rows and
Entra diagnostic-setting records."""
import json

from common import (AISHA, APP_CLI, APP_MYSIGNINS, APP_OFFICE, APP_OUTLOOK, APP_PORTAL, APP_TEAMS, ATTACKER_DEVICE,
                    ATTACKER_IP, BACKDOOR, DEVOPS, GA_TEMPLATE, MAIL_DOMAIN, MARIA, NINA, PLACES, PRIYA, RES_ARM, RES_EXO,
                    RES_GRAPH, RES_KV, RES_OFFICE, RES_TEAMS, TENANT_ID, UA_AZCLI, UA_FIREFOX_LINUX, WORKSPACE_ID, at,
                    b64, f32, gid, hnum, iso0, iso7, json_compact, us_time)

LAGOS = "lagos"
CA001 = (gid("ca/CA001"), "CA001 - Block legacy authentication")
CA002 = (gid("ca/CA002"), "CA002 - Require MFA for Azure management")
CA004 = (gid("ca/CA004"), "CA004 - Block access from outside EU and UK")
BREAKGLASS = gid("group/grp-breakglass")
T_CA_OFF, T_CA_ON, T_CA004 = at(12, "08:55:14"), at(12, "14:55:22"), at(13, "08:41:55")
T_REVOKE, T_DISABLE_BACKDOOR = at(12, "14:40:12"), at(12, "14:50:41")
AZURE_MGMT_APPS = {APP_PORTAL[0], APP_CLI[0]}

# ---------------------------------------------------------------- sign-ins

FAILURES = {
    0: ("Other.", None),
    50126: ("Error validating credentials due to invalid username or password.", "The user did not enter the right credentials."),
    50173: ("The provided grant has expired due to it being revoked, a fresh auth token is needed.", "Sessions were revoked by an administrator."),
    50057: ("The user account is disabled.", "The account has been disabled by an administrator."),
}


def _ca(app, t, error):
    """appliedConditionalAccessPolicies for a sign-in at time t."""
    def item(pol, result, grant):
        return {"id": pol[0], "displayName": pol[1], "enforcedGrantControls": grant if result in ("success", "failure") else [],
                "enforcedSessionControls": [], "result": result}
    res = [item(CA001, "notApplied", ["Block"])]
    if app[0] in AZURE_MGMT_APPS:
        state = "notEnabled" if T_CA_OFF <= t < T_CA_ON else ("notApplied" if error else "success")
    else:
        state = "notApplied"
    res.append(item(CA002, state, ["Mfa"]))
    if t >= T_CA004:
        res.append(item(CA004, "notApplied", ["Block"]))
    return res


def signin(user, t, app, resource, *, ip=None, place=None, interactive=True, error=0, client="Browser", device=None,
           risky=False, ua=None, mfa=None, token="none"):
    key = f"signin/{user['key']}/{t}"
    ca = _ca(app, t, error)
    status = "success" if any(p["result"] == "success" for p in ca) else "notApplied"
    return dict(id=gid(key), key=key, t=t, user=user, app=app, resource=resource, ip=ip or user["ip"],
                place=place or user["place"], interactive=interactive, error=error, client=client,
                device=device or user["device"], risky=risky, ua=ua or user["ua"], corr=gid("corr/" + key),
                ca=ca, ca_status=status if not error else "notApplied", token=token,
                mfa=mfa if mfa is not None else (interactive and app[0] in AZURE_MGMT_APPS and not error))


def _location(s):
    p = PLACES[s["place"]]
    return {"city": p["city"], "state": p["state"], "countryOrRegion": p["countryOrRegion"],
            "geoCoordinates": {"altitude": None, "latitude": f32(p["lat"]), "longitude": f32(p["lon"])}}


def _status(s):
    reason, detail = FAILURES[s["error"]]
    if s["error"] == 0 and s["mfa"]:
        detail = "MFA requirement satisfied by claim in the token" if s["risky"] else "MFA completed in Azure AD"
    return {"errorCode": s["error"], "failureReason": reason, "additionalDetails": detail}


def _risk(s):
    r = "medium" if s["risky"] else "none"
    return dict(riskDetail="none", riskLevelAggregated=r, riskLevelDuringSignIn=r,
                riskState="atRisk" if s["risky"] else "none",
                riskEventTypes=["unfamiliarFeatures"] if s["risky"] else [],
                riskEventTypes_v2=["unfamiliarFeatures"] if s["risky"] else [])


def graph_signin(s):
    """Microsoft Graph v1.0 signIn resource."""
    u = s["user"]
    d = {"id": s["id"], "createdDateTime": iso0(s["t"]), "userDisplayName": u["name"], "userPrincipalName": u["upn"],
         "userId": u["oid"], "appId": s["app"][0], "appDisplayName": s["app"][1], "ipAddress": s["ip"],
         "clientAppUsed": s["client"], "correlationId": s["corr"], "conditionalAccessStatus": s["ca_status"],
         "isInteractive": s["interactive"]}
    d.update(_risk(s))
    d.update({"resourceDisplayName": s["resource"][1], "resourceId": s["resource"][0], "status": _status(s),
              "deviceDetail": s["device"], "location": _location(s), "appliedConditionalAccessPolicies": s["ca"]})
    return d


def _auth_details(s):
    step = "Password" if s["interactive"] else "Previously satisfied"
    items = [{"authenticationStepDateTime": iso7(s["t"]).replace("Z", "+00:00"), "authenticationMethod": step,
              "succeeded": s["error"] == 0,
              "authenticationStepResultDetail": "First factor requirement satisfied by claim in the token" if not s["interactive"] else "Correct password",
              "authenticationStepRequirement": "Primary authentication", "StatusSequence": 0, "RequestSequence": 0}]
    return json.dumps(items, indent=2).replace("\n", "\r\n")


LA_HEADER = ["$table", "TenantId", "SourceSystem", "TimeGenerated [UTC]", "ResourceId", "OperationName",
             "OperationVersion", "Category", "ResultType", "ResultSignature", "ResultDescription", "DurationMs",
             "CorrelationId", "Resource", "ResourceGroup", "ResourceProvider", "Identity", "Level", "Location",
             "AlternateSignInName", "AppDisplayName", "AppId", "AuthenticationContextClassReferences",
             "AuthenticationDetails", "AuthenticationMethodsUsed", "AuthenticationProcessingDetails",
             "AuthenticationRequirement", "AuthenticationRequirementPolicies", "AutonomousSystemNumber",
             "ClientAppUsed", "ConditionalAccessPolicies_dynamic", "ConditionalAccessPolicies_string",
             "ConditionalAccessStatus", "CreatedDateTime [UTC]", "CrossTenantAccessType", "DeviceDetail_dynamic",
             "DeviceDetail_string", "HomeTenantId", "Id", "IncomingTokenType", "IPAddress", "IsInteractive",
             "IsRisky", "LocationDetails_dynamic", "LocationDetails_string", "MfaDetail_dynamic", "MfaDetail_string",
             "NetworkLocationDetails", "OriginalRequestId", "ProcessingTimeInMilliseconds", "ResourceDisplayName",
             "ResourceIdentity", "ResourceTenantId", "RiskDetail", "RiskEventTypes", "RiskEventTypes_V2",
             "RiskLevelAggregated", "RiskLevelDuringSignIn", "RiskState", "SessionId", "SignInIdentifier",
             "SignInIdentifierType", "Status_dynamic", "Status_string", "TokenIssuerName", "TokenIssuerType",
             "UniqueTokenIdentifier", "UserAgent", "UserDisplayName", "UserId", "UserPrincipalName", "UserType",
             "Type"]


def la_row(s):
    """A row of `union SigninLogs, AADNonInteractiveUserSignInLogs` exported from the portal (non-interactive row:
    the type-conflict columns are filled on the _string side)."""
    u, risk, st = s["user"], _risk(s), _status(s)
    status = {k: v for k, v in st.items() if v is not None and not (k == "failureReason" and s["error"] == 0)}
    return {"$table": "AADNonInteractiveUserSignInLogs", "TenantId": WORKSPACE_ID, "SourceSystem": "Azure AD",
            "TimeGenerated [UTC]": us_time(s["t"], millis=True), "ResourceId": f"/tenants/{TENANT_ID}/providers/Microsoft.aadiam",
            "OperationName": "Sign-in activity", "OperationVersion": "1.0", "Category": "NonInteractiveUserSignInLogs",
            "ResultType": str(s["error"]), "ResultSignature": "None",
            "ResultDescription": FAILURES[s["error"]][0] if s["error"] else "", "DurationMs": "0",
            "CorrelationId": s["corr"], "Resource": "Microsoft.aadiam", "ResourceGroup": "Microsoft.aadiam",
            "Identity": u["name"], "Level": "4", "Location": PLACES[s["place"]]["countryOrRegion"],
            "AppDisplayName": s["app"][1], "AppId": s["app"][0], "AuthenticationContextClassReferences": "[]",
            "AuthenticationDetails": _auth_details(s), "AuthenticationProcessingDetails":
                json.dumps([{"key": "IsCAEToken", "value": "True" if s["app"][0] != APP_CLI[0] else "False"}], indent=2).replace("\n", "\r\n"),
            "AuthenticationRequirement": "singleFactorAuthentication", "AuthenticationRequirementPolicies": "[]",
            "AutonomousSystemNumber": str(PLACES[s["place"]]["asn"]), "ClientAppUsed": s["client"],
            "ConditionalAccessPolicies_string": json_compact(s["ca"]), "ConditionalAccessStatus": s["ca_status"],
            "CreatedDateTime [UTC]": us_time(s["t"], millis=True), "CrossTenantAccessType": "none",
            "DeviceDetail_string": json_compact(s["device"]), "HomeTenantId": TENANT_ID, "Id": s["id"],
            "IncomingTokenType": s["token"], "IPAddress": s["ip"], "IsInteractive": "FALSE",
            "LocationDetails_string": json_compact(_location(s)), "MfaDetail_string": "{}",
            "NetworkLocationDetails": "[]", "OriginalRequestId": s["id"],
            "ProcessingTimeInMilliseconds": str(40 + hnum("ptm/" + s["key"], 180)),
            "ResourceDisplayName": s["resource"][1], "ResourceIdentity": s["resource"][0], "ResourceTenantId": TENANT_ID,
            "RiskDetail": risk["riskDetail"], "RiskEventTypes": json_compact(risk["riskEventTypes"]),
            "RiskEventTypes_V2": json_compact(risk["riskEventTypes_v2"]), "RiskLevelAggregated": risk["riskLevelAggregated"],
            "RiskLevelDuringSignIn": risk["riskLevelDuringSignIn"], "RiskState": risk["riskState"],
            "SessionId": gid(f"session/{u['key']}/{s['ip']}/{s['t'] // 864_000_000_000}"),
            "SignInIdentifier": u["upn"], "SignInIdentifierType": "userPrincipalName",
            "Status_string": json_compact(status), "TokenIssuerType": "AzureAD",
            "UniqueTokenIdentifier": b64("uti/" + s["key"]), "UserAgent": s["ua"], "UserDisplayName": u["name"],
            "UserId": u["oid"], "UserPrincipalName": u["upn"], "UserType": "Member",
            "Type": "AADNonInteractiveUserSignInLogs"}


def diag_signin(s):
    """Entra diagnostic-setting record (insights-logs-signinlogs)."""
    props = graph_signin(s)
    props["createdDateTime"] = iso7(s["t"]).replace("Z", "+00:00")
    props.update({"userAgent": s["ua"], "authenticationRequirement": "multiFactorAuthentication" if s["mfa"] else "singleFactorAuthentication",
                  "tokenIssuerType": "AzureAD", "userType": "Member", "autonomousSystemNumber": PLACES[s["place"]]["asn"],
                  "processingTimeInMilliseconds": 90 + hnum("pt/" + s["key"], 400), "incomingTokenType": s["token"]})
    return {"time": iso7(s["t"]), "resourceId": f"/tenants/{TENANT_ID}/providers/Microsoft.aadiam",
            "operationName": "Sign-in activity", "operationVersion": "1.0", "category": "SignInLogs",
            "tenantId": TENANT_ID, "resultType": str(s["error"]), "resultSignature": "None",
            "resultDescription": FAILURES[s["error"]][0] if s["error"] else "", "durationMs": 0,
            "callerIpAddress": s["ip"], "correlationId": s["corr"], "identity": s["user"]["name"], "Level": 4,
            "location": PLACES[s["place"]]["countryOrRegion"], "properties": props}


def interactive_world():
    """Interactive sign-ins Mon-Fri (Graph signIns covers Mon-Thu, the Entra archive zip covers Friday 08:00)."""
    S = []
    for day in range(9, 13):
        for u, hm, res in ((MARIA, "08:1", RES_ARM), (AISHA, "08:2", RES_GRAPH), (DEVOPS, "08:3", RES_ARM)):
            hms = f"{hm}{hnum(u['key'] + str(day), 10)}:{hnum(u['key'] + 's' + str(day), 60):02d}"
            S.append(signin(u, at(day, "08:12:09" if (u is MARIA and day == 12) else hms), APP_PORTAL, res))
    S += [signin(MARIA, at(9, "12:44:51"), APP_OFFICE, RES_OFFICE), signin(MARIA, at(11, "12:47:03"), APP_OFFICE, RES_OFFICE),
          signin(PRIYA, at(9, "09:00:37"), APP_PORTAL, RES_ARM), signin(NINA, at(9, "09:40:12"), APP_OFFICE, RES_OFFICE),
          signin(NINA, at(11, "10:29:26"), APP_MYSIGNINS, RES_GRAPH),
          signin(DEVOPS, at(10, "08:29:02"), APP_PORTAL, RES_ARM, error=50126),
          signin(DEVOPS, at(10, "09:58:40"), APP_CLI, RES_ARM, client="Mobile Apps and Desktop clients"),
          signin(AISHA, at(11, "08:26:14"), APP_PORTAL, RES_GRAPH, error=50126),
          signin(PRIYA, at(12, "14:35:08"), APP_PORTAL, RES_ARM)]
    lagos = dict(ip=ATTACKER_IP, place=LAGOS, device=ATTACKER_DEVICE, ua=UA_FIREFOX_LINUX)
    S += [signin(MARIA, at(12, "08:52:31"), APP_PORTAL, RES_ARM, risky=True, **lagos),           # step 1
          signin(MARIA, at(12, "09:11:48"), APP_CLI, RES_ARM, client="Mobile Apps and Desktop clients", mfa=False, **lagos),
          signin(BACKDOOR, at(12, "13:38:05"), APP_PORTAL, RES_ARM, mfa=False, **lagos),
          signin(BACKDOOR, at(12, "13:39:22"), APP_MYSIGNINS, RES_GRAPH, mfa=False, **lagos)]
    # Friday morning (Entra diagnostic archive, hour 08)
    S += [signin(PRIYA, at(13, "08:05:44"), APP_PORTAL, RES_ARM), signin(AISHA, at(13, "08:14:29"), APP_PORTAL, RES_GRAPH),
          signin(MARIA, at(13, "08:30:02"), APP_OFFICE, RES_OFFICE, error=50126),
          signin(MARIA, at(13, "08:31:10"), APP_OFFICE, RES_OFFICE),
          signin(MARIA, at(13, "08:35:37"), APP_MYSIGNINS, RES_GRAPH),
          signin(DEVOPS, at(13, "08:40:18"), APP_PORTAL, RES_ARM)]
    return S


def noninteractive_world():
    """Token refreshes of María López and of the backdoor account, Wed-Thu."""
    S, ni = [], dict(interactive=False, token="refreshToken")
    for day in (11, 12):
        for h in (8, 10, 12, 14, 16):
            t = at(day, f"{h:02d}:1{hnum(f't{day}{h}', 9)}:{hnum(f'ts{day}{h}', 59):02d}")
            err = 50173 if t > T_REVOKE else 0
            S.append(signin(MARIA, t, APP_TEAMS, RES_TEAMS, client="Mobile Apps and Desktop clients", error=err,
                            ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Teams/25290.205.4069.4894/49",
                            interactive=False, token="primaryRefreshToken"))
        for h in (9, 13):
            S.append(signin(MARIA, at(day, f"{h:02d}:0{hnum(f'o{day}{h}', 9)}:{hnum(f'os{day}{h}', 59):02d}"), APP_OUTLOOK,
                            RES_EXO, client="Mobile Apps and Desktop clients", ua="Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19127; Pro)",
                            interactive=False, token="primaryRefreshToken"))
    lagos = dict(ip=ATTACKER_IP, place=LAGOS, device=ATTACKER_DEVICE, **ni)
    cli = dict(client="Mobile Apps and Desktop clients", ua=UA_AZCLI, **lagos)
    S += [signin(MARIA, at(12, "08:54:02"), APP_PORTAL, RES_GRAPH, ua=UA_FIREFOX_LINUX, **lagos),
          signin(MARIA, at(12, "08:57:40"), APP_PORTAL, RES_GRAPH, ua=UA_FIREFOX_LINUX, **lagos),
          signin(MARIA, at(12, "09:12:30"), APP_CLI, RES_ARM, **cli),
          signin(MARIA, at(12, "09:41:15"), APP_CLI, RES_ARM, **cli),
          signin(MARIA, at(12, "10:09:50"), APP_CLI, RES_ARM, **cli),
          signin(MARIA, at(12, "10:12:05"), APP_CLI, RES_KV, **cli),
          signin(MARIA, at(12, "11:02:33"), APP_CLI, RES_ARM, **cli),
          signin(MARIA, at(12, "15:01:40"), APP_CLI, RES_ARM, error=50173, **cli),
          signin(MARIA, at(12, "15:31:12"), APP_CLI, RES_KV, error=50173, **cli),
          signin(BACKDOOR, at(12, "13:44:20"), APP_PORTAL, RES_ARM, ua=UA_FIREFOX_LINUX, **lagos),
          signin(BACKDOOR, at(12, "13:46:51"), APP_PORTAL, RES_GRAPH, ua=UA_FIREFOX_LINUX, **lagos),
          signin(BACKDOOR, at(12, "15:02:09"), APP_PORTAL, RES_ARM, error=50057, ua=UA_FIREFOX_LINUX, **lagos)]
    return S


# ---------------------------------------------------------------- directory audits

SERVICE_PREFIX = {"Core Directory": "Directory", "Conditional Access": "IPCGraph",
                  "Azure RBAC (Elevated Access)": "Azure RBAC (Elevated Access)",
                  "Authentication Methods": "UserManagement", "Self-service Password Management": "SSPR"}


def jv(x):
    return json.dumps(x, ensure_ascii=False)


def t_user(u, mods=()):
    return {"id": u["oid"], "displayName": None, "type": "User", "userPrincipalName": u["upn"], "groupType": None,
            "modifiedProperties": [{"displayName": n, "oldValue": o, "newValue": v} for n, o, v in mods]}


def t_obj(oid, name, typ, mods=()):
    return {"id": oid, "displayName": name, "type": typ, "userPrincipalName": None, "groupType": None,
            "modifiedProperties": [{"displayName": n, "oldValue": o, "newValue": v} for n, o, v in mods]}


def audit(t, activity, category, service, op_type, by, targets, details=(), ip=None):
    key = f"audit/{activity}/{t}"
    corr = gid("corr/" + key)
    if "app" in by:
        initiated = {"app": by["app"], "user": None}
        ip = ""
    else:
        ip = ip or by["ip"]
        initiated = {"app": None, "user": {"id": by["oid"], "displayName": None, "userPrincipalName": by["upn"],
                                           "ipAddress": ip, "userType": None, "homeTenantId": None, "homeTenantName": None}}
    rid = f"{SERVICE_PREFIX[service]}_{corr}_{b64('aid/' + key, 5).upper()}_{10_000_000 + hnum('n/' + key, 89_999_999)}"
    g = {"id": rid, "category": category, "correlationId": corr, "result": "success", "resultReason": "",
         "activityDisplayName": activity, "activityDateTime": iso7(t), "loggedByService": service,
         "operationType": op_type, "initiatedBy": initiated, "targetResources": targets,
         "additionalDetails": [{"key": k, "value": v} for k, v in details]}
    return dict(key=key, t=t, graph=g, ip=ip, by=by)


def diag_audit(a):
    g = dict(a["graph"], activityDateTime=iso7(a["t"]).replace("Z", "+00:00"))
    who = a["by"]["app"]["displayName"] if "app" in a["by"] else a["by"]["name"]
    return {"time": iso7(a["t"]), "resourceId": f"/tenants/{TENANT_ID}/providers/Microsoft.aadiam",
            "operationName": g["activityDisplayName"], "operationVersion": "1.0", "category": "AuditLogs",
            "tenantId": TENANT_ID, "resultSignature": "None", "durationMs": 0, "callerIpAddress": a["ip"],
            "correlationId": g["correlationId"], "identity": who, "Level": 4, "location": "EU", "properties": g}


def _ca_policy(pol, state, modified, exclude_groups):
    """The policy as Conditional Access writes it into old/new values: JSON text."""
    return json_compact({"id": pol[0], "displayName": pol[1], "createdDateTime": "2025-03-18T10:42:07.5512348+00:00",
                         "modifiedDateTime": modified, "state": state,
                         "conditions": {"applications": {"includeApplications": [RES_ARM[0]] if pol is CA002 else ["All"]},
                                        "users": {"includeUsers": ["All"], "excludeGroups": exclude_groups},
                                        "clientAppTypes": ["all"] if pol is CA002 else ["exchangeActiveSync", "other"]},
                         "grantControls": {"operator": "OR", "builtInControls": ["mfa"] if pol is CA002 else ["block"]}})


def _ca_update(t, by, pol, old_state, new_state, old_ex, new_ex, ip=None):
    before = _ca_policy(pol, old_state, "2026-10-02T09:13:44.2095518+00:00", old_ex)
    after = _ca_policy(pol, new_state, iso7(t).replace("Z", "+00:00"), new_ex)
    return audit(t, "Update conditional access policy", "Policy", "Conditional Access", "Update", by,
                 [t_obj(pol[0], pol[1], "Policy", [("ConditionalAccessPolicy", before, after)])], ip=ip)


GA_ROLE_OBJECT = gid("directoryrole/global-administrator")
MSI_APP = {"app": {"appId": None, "displayName": "Managed Service Identity", "servicePrincipalId": gid("sp/msi-service"),
                   "servicePrincipalName": None}}
PLANNERS, MADRID_GRP, AKS_ADMINS = gid("group/grp-logistics-planners"), gid("group/grp-madrid-office"), gid("group/grp-aks-admins")
MI_SP = gid("principal/app-fabrikam-tracking")
MI_KEY = jv(["[KeyIdentifier=%s,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=%s]" % (gid("key/msi/2026-11-10"), MI_SP)])
LUCAS = dict(key="lucas", oid=gid("user/lucas.martin@" + MAIL_DOMAIN), upn="lucas.martin@" + MAIL_DOMAIN)


def _add_user(t, by, u, display, ip=None, ua=None):
    nick = u["upn"].split("@")[0]
    props = [("AccountEnabled", "[]", "[true]"), ("DisplayName", "[]", jv([display])), ("MailNickname", "[]", jv([nick])),
             ("UserPrincipalName", "[]", jv([u["upn"]])), ("UserType", "[]", '["Member"]'),
             ("Included Updated Properties", None, jv("AccountEnabled, DisplayName, MailNickname, UserPrincipalName, UserType"))]
    return audit(t, "Add user", "UserManagement", "Core Directory", "Add", by, [t_user(u, props)], ip=ip,
                 details=[("User-Agent", ua or by["ua"])])


def _group_add(t, by, u, gid_, gname):
    return audit(t, "Add member to group", "GroupManagement", "Core Directory", "Assign", by,
                 [t_obj(gid_, gname, "Group"), t_user(u, [("Group.ObjectID", None, jv(gid_)), ("Group.DisplayName", None, jv(gname))])])


def _role(t, by, u, activity, ip=None):
    mods = [("Role.ObjectID", None, jv(GA_ROLE_OBJECT)), ("Role.DisplayName", None, jv("Global Administrator")),
            ("Role.TemplateId", None, jv(GA_TEMPLATE)), ("Role.WellKnownObjectName", None, jv("TenantAdmins"))]
    if activity.startswith("Remove"):
        mods = [(n, v, None) for n, _, v in mods]
    return audit(t, activity, "RoleManagement", "Core Directory", "Assign" if activity.startswith("Add") else "Unassign", by,
                 [t_user(u, mods), t_obj(GA_ROLE_OBJECT, "Global Administrator", "Role")], ip=ip)


def audits_world():
    A = [_add_user(at(9, "09:12:07"), AISHA, NINA, NINA["name"]),
         _group_add(at(9, "09:12:40"), AISHA, NINA, PLANNERS, "grp-logistics-planners"),
         audit(at(9, "09:13:05"), "Change user license", "UserManagement", "Core Directory", "Update", AISHA, [t_user(NINA)]),
         audit(at(10, "08:41:30"), "Reset user password", "UserManagement", "Core Directory", "Reset", AISHA, [t_user(LUCAS)]),
         _group_add(at(10, "11:15:02"), MARIA, DEVOPS, AKS_ADMINS, "grp-aks-admins"),
         audit(at(10, "14:02:55"), "Add service principal credentials", "ApplicationManagement", "Core Directory", "Update", MSI_APP,
               [t_obj(MI_SP, "app-fabrikam-tracking", "ServicePrincipal", [("KeyDescription", "[]", MI_KEY)])]),
         audit(at(11, "09:05:20"), "Update user", "UserManagement", "Core Directory", "Update", AISHA,
               [t_user(LUCAS, [("JobTitle", '["Warehouse Operator"]', '["Warehouse Shift Lead"]'),
                               ("Included Updated Properties", None, jv("JobTitle"))])]),
         audit(at(11, "10:31:40"), "User registered security info", "UserManagement", "Authentication Methods", "Add", NINA,
               [t_user(NINA)], details=[("Method", "Microsoft Authenticator App")]),
         _ca_update(at(11, "12:10:18"), MARIA, CA001, "enabled", "enabled", [], [BREAKGLASS]),
         _group_add(at(11, "15:45:02"), AISHA, NINA, MADRID_GRP, "grp-madrid-office"),
         audit(at(12, "08:25:36"), "Update user", "UserManagement", "Core Directory", "Update", AISHA,
               [t_user(NINA, [("Department", '["Planning"]', '["Network Planning"]'), ("Included Updated Properties", None, jv("Department"))])]),
         # ---- the intrusion (María López's account, attacker address)
         _ca_update(T_CA_OFF, MARIA, CA002, "enabled", "disabled", [BREAKGLASS], [BREAKGLASS], ip=ATTACKER_IP),
         _add_user(at(12, "08:58:02"), MARIA, BACKDOOR, BACKDOOR["name"], ip=ATTACKER_IP, ua=UA_FIREFOX_LINUX),
         _role(at(12, "09:01:27"), MARIA, BACKDOOR, "Add member to role", ip=ATTACKER_IP),
         audit(at(12, "09:04:11"), "User has elevated their access to User Access Administrator for their Azure Resources",
               "AzureRBACRoleManagementElevateAccess", "Azure RBAC (Elevated Access)", "", MARIA,
               [t_obj(None, None, None)], ip=ATTACKER_IP,
               details=[("APP ID", APP_PORTAL[0]), ("Resource", "/providers/Microsoft.Authorization"),
                        ("OperationName", "Microsoft.Authorization/elevateAccess/action")]),
         audit(at(12, "13:39:50"), "User registered security info", "UserManagement", "Authentication Methods", "Add", BACKDOOR,
               [t_user(BACKDOOR)], details=[("Method", "Microsoft Authenticator App")]),
         # ---- response
         audit(T_REVOKE, "Update user", "UserManagement", "Core Directory", "Update", PRIYA,
               [t_user(MARIA, [("StsRefreshTokensValidFrom", '["2026-10-21T07:58:13Z"]', jv([iso0(T_REVOKE)])),
                               ("Included Updated Properties", None, jv("StsRefreshTokensValidFrom"))])]),
         audit(at(12, "14:43:30"), "Reset user password", "UserManagement", "Core Directory", "Reset", PRIYA, [t_user(MARIA)]),
         _role(at(12, "14:47:05"), PRIYA, BACKDOOR, "Remove member from role"),
         audit(T_DISABLE_BACKDOOR, "Disable account", "UserManagement", "Core Directory", "Update", PRIYA,
               [t_user(BACKDOOR, [("AccountEnabled", "[true]", "[false]"), ("Included Updated Properties", None, jv("AccountEnabled"))])]),
         _ca_update(T_CA_ON, PRIYA, CA002, "disabled", "enabled", [BREAKGLASS], [BREAKGLASS]),
         audit(at(12, "15:20:09"), "Delete user", "UserManagement", "Core Directory", "Delete", PRIYA, [t_user(BACKDOOR)]),
         # ---- Friday 08:00-09:00 (Entra diagnostic archive)
         audit(at(13, "08:33:40"), "Change password (self-service)", "UserManagement", "Self-service Password Management", "Update",
               MARIA, [t_user(MARIA)]),
         audit(at(13, "08:36:12"), "User registered security info", "UserManagement", "Authentication Methods", "Add", MARIA,
               [t_user(MARIA)], details=[("Method", "Microsoft Authenticator App")]),
         audit(T_CA004, "Add conditional access policy", "Policy", "Conditional Access", "Add", PRIYA,
               [t_obj(CA004[0], CA004[1], "Policy", [("ConditionalAccessPolicy", None, _ca_policy(CA004, "enabled", iso7(T_CA004).replace("Z", "+00:00"), [BREAKGLASS]))])]),
         audit(at(13, "08:45:03"), "Hard Delete user", "UserManagement", "Core Directory", "Delete", PRIYA, [t_user(BACKDOOR)]),
         _group_add(at(13, "08:52:30"), AISHA, PRIYA, gid("group/grp-ir-2611"), "grp-incident-2611-responders")]
    return A
