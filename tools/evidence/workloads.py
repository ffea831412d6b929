"""Data-plane and in-cluster evidence: Key Vault AuditEvent records and AKS kube-audit records."""
from common import (AKS_ID, AKS_MI, APP_CLI, APP_MI, APP_PORTAL, ATTACKER_IP, DEVOPS, GH, KV_ID, MARIA, PRIYA, SUB_PROD,
                    at, gid, hexid, hnum, iso6, iso7, json_compact, plus)

VAULT = "https://kv-prod-fabrikam.vault.azure.net"

# ---------------------------------------------------------------- Key Vault


def _kv_claim(ident, app):
    c = {"oid": ident["oid"], "http://schemas.microsoft.com/identity/claims/objectidentifier": ident["oid"]}
    if ident["kind"] == "user":
        c.update({"appid": app[0], "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": ident["upn"]})
    else:
        c.update({"appid": ident["appid"], "xms_mirid": ident["mirid"]})
    return c


def kv_record(t, op, ident, *, secret=None, version=None, app=None, ip=None, client="", api="7.5"):
    key = f"kv/{op}/{ident['key']}/{t}"
    if op == "VaultGet":
        rid, uri = VAULT + "/", (f"https://control-prod-weu.vaultcore.azure.net/subscriptions/{SUB_PROD}/resourcegroups/"
                                 f"rg-security/providers/Microsoft.KeyVault/vaults/kv-prod-fabrikam?api-version={api}")
    elif op == "SecretList":
        rid, uri = VAULT + "/secrets", f"{VAULT}/secrets?api-version={api}"
    else:
        rid, uri = f"{VAULT}/secrets/{secret}/{version}", f"{VAULT}/secrets/{secret}{'/' if op == 'SecretGet' else ''}?api-version={api}"
    return dict(key=key, t=t, record={
        "time": iso7(t), "resourceId": KV_ID.upper(), "operationName": op, "operationVersion": api,
        "category": "AuditEvent", "resultType": "Success", "resultSignature": "OK", "resultDescription": "",
        "durationMs": str(4 + hnum("dur/" + key, 40)), "callerIpAddress": ip or ident["ip"],
        "correlationId": gid("corr/" + key), "identity": {"claim": _kv_claim(ident, app)},
        "properties": {"id": rid, "clientInfo": client, "httpStatusCode": 200, "requestUri": uri,
                       "isAccessPolicyMatch": True, "isRbacAuthorized": False, "tlsVersion": "TLS1_3"}})


def _version(secret, rotated):
    return hexid(f"secretversion/{secret}/{rotated}")


APP_CLIENT = "azsdk-net-Security.KeyVault.Secrets/4.7.0 (.NET 8.0.11; Linux 5.15.0-1079-azure #88-Ubuntu SMP)"
CLI_CLIENT = "azsdk-python-keyvault-secrets/4.9.0 Python/3.12.8 (Linux-6.8.0-49-generic-x86_64-with-glibc2.39) AZURECLI/2.67.0"
PORTAL_CLIENT = "FxVersion/4.8.9290.0 OSName/Windows OSVersion/Microsoft.Windows.10.0.20348 Microsoft.Azure.KeyVault.Keys/4.7.0"
T_ROTATE_DB, T_ROTATE_SB = at(12, "15:30:20"), at(13, "09:40:55")


def keyvault_world():
    """The app's managed identity reads two secrets every six hours; the attacker and the responder in between."""
    R = []
    for day in range(9, 16):
        for h in (0, 6, 12, 18):
            t = at(day, f"{h:02d}:05:{10 + hnum(f'kv{day}{h}', 40):02d}")
            for i, secret in enumerate(("tracking-db-connection", "servicebus-connection")):
                tt = plus(t, 0.05 + i * 0.08, f"kv{day}{h}{i}")
                rotated = tt > (T_ROTATE_DB if i == 0 else T_ROTATE_SB)
                R.append(kv_record(tt, "SecretGet", APP_MI, secret=secret, version=_version(secret, rotated), client=APP_CLIENT))
    a = dict(app=APP_CLI, ip=ATTACKER_IP, client=CLI_CLIENT)
    R.append(kv_record(at(12, "10:12:40"), "VaultGet", MARIA, api="2023-07-01", **dict(a, client="Azure-CLI/2.67.0")))
    R.append(kv_record(at(12, "10:13:05"), "SecretList", MARIA, **a))
    for hms, secret in (("10:13:18", "tracking-db-connection"), ("10:13:26", "servicebus-connection"),
                        ("10:13:31", "storage-account-key"), ("10:14:02", "payment-gateway-apikey")):
        R.append(kv_record(at(12, hms), "SecretGet", MARIA, secret=secret, version=_version(secret, False), **a))
    R.append(kv_record(at(12, "10:19:44"), "SecretList", MARIA, **a))
    R.append(kv_record(at(12, "10:20:03"), "SecretGet", MARIA, secret="sftp-partner-password",
                       version=_version("sftp-partner-password", False), **a))
    p = dict(app=APP_PORTAL, client=PORTAL_CLIENT)
    R.append(kv_record(at(12, "15:29:58"), "SecretList", PRIYA, **p))
    R.append(kv_record(T_ROTATE_DB, "SecretSet", PRIYA, secret="tracking-db-connection",
                       version=_version("tracking-db-connection", True), **p))
    R.append(kv_record(T_ROTATE_SB, "SecretSet", PRIYA, secret="servicebus-connection",
                       version=_version("servicebus-connection", True), **p))
    return sorted(R, key=lambda r: r["t"])


# ---------------------------------------------------------------- AKS kube-audit

KCM = {"username": "system:kube-controller-manager", "groups": ["system:authenticated"]}
SCHED = {"username": "system:kube-scheduler", "groups": ["system:authenticated"]}
MASTER = {"username": "masterclient", "groups": ["system:masters", "system:authenticated"]}
NODES = ("aks-system-31415926-vmss000000", "aks-user-27182818-vmss000001")
CI_USER = {"username": GH["oid"], "groups": [gid("group/grp-aks-deployers"), "system:authenticated"], "extra": {"oid": [GH["oid"]]}}
KUBECTL_ATTACKER = "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46"
KUBECTL_DEVOPS = "kubectl/v1.31.1 (darwin/arm64) kubernetes/948afe5"
CCP_NAMESPACE = hexid("ccp/aks-prod-weu", 24)
APISERVER_POD = "kube-apiserver-6c9f7d8b5-q4xzt"
RUN_POD = "command-7c1e4b2f"
EXEC_POD = "tracking-api-6d9f7b7c4-x2kqp"


def _sa(ns, name, pod):
    return {"username": f"system:serviceaccount:{ns}:{name}", "uid": gid(f"sa/{ns}/{name}"),
            "groups": ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"],
            "extra": {"authentication.kubernetes.io/pod-name": [pod], "authentication.kubernetes.io/pod-uid": [gid("pod/" + pod)]}}


COREDNS = _sa("kube-system", "coredns", "coredns-789465848c-7hwbm")
TRACKING = _sa("tracking", "tracking-api", EXEC_POD)


def _reason(user, obj):
    if user is MASTER:
        return ""
    if user is CI_USER:
        return 'RBAC: allowed by RoleBinding "tracking-deployers/tracking" of ClusterRole "edit" to Group "%s"' % CI_USER["groups"][0]
    name = user["username"].split(":")[-1]
    return f'RBAC: allowed by ClusterRoleBinding "system:{name}" of ClusterRole "system:{name}" to User "{user["username"]}"'


def kaudit(t, verb, uri, user, ip, ua, obj, code=200, level="Metadata", request=None):
    key = f"kube/{verb}/{uri}/{t}"
    obj = {k: v for k, v in obj.items() if v}
    ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": gid("audit/" + key),
          "stage": "ResponseComplete", "requestURI": uri, "verb": verb, "user": user, "sourceIPs": [ip],
          "userAgent": ua, "objectRef": obj, "responseStatus": {"metadata": {}, "code": code}}
    if request is not None:
        ev["requestObject"] = request
    stage = plus(t, 0.002 + hnum("st/" + key, 40) / 1000)
    ev.update({"requestReceivedTimestamp": iso6(t), "stageTimestamp": iso6(stage),
               "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": _reason(user, obj)}})
    # Go's encoder escapes <, > and & inside strings
    log = json_compact(ev).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return dict(key=key, t=stage, record={
        "time": iso7(stage), "resourceId": AKS_ID.upper(), "category": "kube-audit",
        "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
        "properties": {"log": log, "stream": "stdout", "pod": APISERVER_POD, "containerID": hexid("ctr/" + APISERVER_POD, 64)},
        "Cloud": "AzureCloud", "Environment": "prod", "ccpNamespace": CCP_NAMESPACE})


def _obj(resource, ns=None, name=None, group=None, version="v1", sub=None):
    return {"resource": resource, "namespace": ns, "name": name, "apiGroup": group, "apiVersion": version, "subresource": sub}


def background(day, hour, minutes):
    """Control-plane chatter: leader-election leases, node heartbeats, CoreDNS and the app's config reads."""
    R = []
    for i, m in enumerate(minutes):
        t = at(day, f"{hour:02d}:{m:02d}:{hnum(f'bg{day}{hour}{m}', 59):02d}")
        kind = i % 4
        if kind == 0:
            who, lease = (KCM, "kube-controller-manager") if i % 8 == 0 else (SCHED, "kube-scheduler")
            R.append(kaudit(t, "update", f"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{lease}?timeout=5s", who,
                            "172.31.2.18", f"{lease}/v1.31.2 (linux/amd64) kubernetes/5864a46/leader-election",
                            _obj("leases", "kube-system", lease, "coordination.k8s.io")))
        elif kind == 1:
            node = NODES[(i // 4) % 2]
            user = {"username": f"system:node:{node}", "groups": ["system:nodes", "system:authenticated"]}
            R.append(kaudit(t, "patch", f"/api/v1/nodes/{node}/status?timeout=10s", user, "10.224.0.%d" % (4 + (i // 4) % 2),
                            "kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46", _obj("nodes", None, node, sub="status")))
        elif kind == 2:
            R.append(kaudit(t, "list", "/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0", COREDNS,
                            "10.244.0.12", "coredns/v1.11.3 (linux/amd64) kubernetes/v1.11.3",
                            _obj("endpointslices", None, None, "discovery.k8s.io")))
        else:
            R.append(kaudit(t, "get", "/api/v1/namespaces/tracking/configmaps/tracking-config", TRACKING, "10.244.1.37",
                            "tracking-api/2026.11 (linux/amd64)", _obj("configmaps", "tracking", "tracking-config")))
    return R


def helm_release(day, revision):
    """The nightly pipeline upgrades the tracking-api Helm release."""
    t = at(day, "01:38:12")
    ua, ip, ns = "Helm/3.16.2", GH["ip"], "tracking"
    steps = [("list", f"/api/v1/namespaces/{ns}/secrets?labelSelector=name%3Dtracking-api%2Cowner%3Dhelm", _obj("secrets", ns), 200),
             ("get", f"/apis/apps/v1/namespaces/{ns}/deployments/tracking-api", _obj("deployments", ns, "tracking-api", "apps"), 200),
             ("create", f"/api/v1/namespaces/{ns}/secrets", _obj("secrets", ns, f"sh.helm.release.v1.tracking-api.v{revision}"), 201),
             ("patch", f"/apis/apps/v1/namespaces/{ns}/deployments/tracking-api?fieldManager=helm",
              _obj("deployments", ns, "tracking-api", "apps"), 200),
             ("update", f"/api/v1/namespaces/{ns}/secrets/sh.helm.release.v1.tracking-api.v{revision - 1}",
              _obj("secrets", ns, f"sh.helm.release.v1.tracking-api.v{revision - 1}"), 200)]
    return [kaudit(plus(t, 1.7 * i), v, uri, CI_USER, ip, ua, o, code) for i, (v, uri, o, code) in enumerate(steps)]


def devops_checks():
    """Tuesday's upgrade: Sam Carter uses the admin kubeconfig from the London office."""
    ip = DEVOPS["ip"]
    return [kaudit(at(10, hms), verb, uri, MASTER, ip, KUBECTL_DEVOPS, o) for hms, verb, uri, o in (
        ("10:06:10", "list", "/api/v1/nodes?limit=500", _obj("nodes")),
        ("10:06:25", "list", "/api/v1/pods?limit=500", _obj("pods")),
        ("10:20:40", "list", "/api/v1/nodes?limit=500", _obj("nodes")),
        ("10:39:02", "get", "/apis/apps/v1/namespaces/tracking/deployments/tracking-api", _obj("deployments", "tracking", "tracking-api", "apps")))]


def attack_kube():
    """Step 9 in the cluster: the run-command pod, then kubectl with the admin credential from the attacker's host."""
    rp, pod_ip = AKS_MI["ip"], "10.244.1.54"
    pod = {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": RUN_POD, "namespace": "aks-command"},
           "spec": {"restartPolicy": "Never", "containers": [{"name": "command", "image": "mcr.microsoft.com/aks/command/runtime:master.251028.1",
                                                              "command": ["/bin/bash", "-c", "kubectl get secrets --all-namespaces -o json"]}]}}
    crb = {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "node-helper-admin"},
           "subjects": [{"kind": "ServiceAccount", "name": "node-helper", "namespace": "kube-system"}],
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}}
    k = KUBECTL_ATTACKER
    R = [kaudit(at(12, "09:16:04"), "create", "/api/v1/namespaces/aks-command/pods", MASTER, rp, "aks-command-runner/1.0",
                _obj("pods", "aks-command", RUN_POD), 201, "Request", pod),
         kaudit(at(12, "09:16:09"), "get", f"/api/v1/namespaces/aks-command/pods/{RUN_POD}", MASTER, rp, "aks-command-runner/1.0",
                _obj("pods", "aks-command", RUN_POD)),
         kaudit(at(12, "09:16:31"), "list", "/api/v1/secrets?limit=500", MASTER, pod_ip, k, _obj("secrets")),
         kaudit(at(12, "09:16:40"), "get", f"/api/v1/namespaces/aks-command/pods/{RUN_POD}/log?container=command", MASTER, rp,
                "aks-command-runner/1.0", _obj("pods", "aks-command", RUN_POD, sub="log")),
         kaudit(at(12, "09:16:43"), "delete", f"/api/v1/namespaces/aks-command/pods/{RUN_POD}", MASTER, rp, "aks-command-runner/1.0",
                _obj("pods", "aks-command", RUN_POD))]
    a = ATTACKER_IP
    R += [kaudit(at(12, "09:19:12"), "list", "/api/v1/namespaces?limit=500", MASTER, a, k, _obj("namespaces")),
          kaudit(at(12, "09:19:30"), "list", "/api/v1/secrets?limit=500", MASTER, a, k, _obj("secrets")),
          kaudit(at(12, "09:20:02"), "get", "/api/v1/namespaces/tracking/secrets/tracking-db-credentials", MASTER, a, k,
                 _obj("secrets", "tracking", "tracking-db-credentials")),
          kaudit(at(12, "09:20:40"), "get", "/api/v1/namespaces/payments/secrets/payments-api-keys", MASTER, a, k,
                 _obj("secrets", "payments", "payments-api-keys")),
          kaudit(at(12, "09:22:10"), "create", "/api/v1/namespaces/kube-system/serviceaccounts?fieldManager=kubectl-create&fieldValidation=Strict",
                 MASTER, a, k, _obj("serviceaccounts", "kube-system", "node-helper"), 201),
          kaudit(at(12, "09:22:31"), "create", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create&fieldValidation=Strict",
                 MASTER, a, k, _obj("clusterrolebindings", None, "node-helper-admin", "rbac.authorization.k8s.io"), 201, "RequestResponse", crb),
          kaudit(at(12, "09:23:05"), "create", "/api/v1/namespaces/kube-system/serviceaccounts/node-helper/token", MASTER, a, k,
                 _obj("serviceaccounts", "kube-system", "node-helper", sub="token"), 201),
          kaudit(at(12, "09:24:40"), "create",
                 f"/api/v1/namespaces/tracking/pods/{EXEC_POD}/exec?command=sh&container=api&stdin=true&stdout=true&tty=true",
                 MASTER, a, k, _obj("pods", "tracking", EXEC_POD, sub="exec"), 101),
          kaudit(at(12, "09:27:55"), "list", "/api/v1/pods?limit=500", MASTER, a, k, _obj("pods")),
          kaudit(at(12, "09:28:20"), "list", "/api/v1/nodes?limit=500", MASTER, a, k, _obj("nodes"))]
    return R


# Kube-audit blobs shipped: (day, hour) -> records. Nothing after 09:31 on Thursday: the setting was deleted.
def kube_blobs():
    return {(9, 1): background(9, 1, (3, 11, 19, 27, 36, 44)) + helm_release(9, 41),
            (10, 10): background(10, 10, (1, 9, 17, 25, 33, 41, 49)) + devops_checks(),
            (12, 1): background(12, 1, (4, 12, 20, 28, 37)) + helm_release(12, 44),
            (12, 9): background(12, 9, (2, 8, 10, 15, 12, 18, 22, 29, 25, 30)) + attack_kube()}
