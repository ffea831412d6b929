//! Built-in role names for Azure RBAC and Microsoft Entra ID.
//!
//! Activity Log and Entra audit records name roles by GUID
//! (`roleDefinitionId`, role template id), and what an investigator needs to
//! know is which role that was and whether it could hand out access. This
//! module keeps Microsoft's published built-in role tables as static data and
//! answers both questions without I/O or allocation.
//!
//! The Azure table below is taken from the Microsoft Learn page "Azure
//! built-in roles" (Azure RBAC documentation, revision of 2026-04-09: the
//! name and ID columns of its summary tables). The Entra table lives in
//! [`entra`].

mod entra;

/// Length of a GUID in its canonical 8-4-4-4-12 text form.
const GUID_LEN: usize = 36;

/// Azure RBAC built-in roles as (lowercase role definition GUID, role name),
/// sorted by GUID for binary search. Source: "Azure built-in roles"
/// (Microsoft Learn), every role listed there on 2026-04-09.
#[rustfmt::skip]
static AZURE_ROLES: [(&str, &str); 498] = [
    ("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator"),
    ("00493d72-78f6-4148-b6c5-d3ce8e4799dd", "Azure Arc Enabled Kubernetes Cluster User Role"),
    ("00c29273-979b-4161-815c-10b084fb9324", "Backup Operator"),
    ("028f4ed7-e2a9-465e-a8f4-9c0ffdfdc027", "Data Box Reader"),
    ("02ca0879-e8e4-47a5-a61e-5c618b76e64a", "Device Update Administrator"),
    ("0336e1d3-7a87-462b-b6db-342b63f7802c", "Azure Red Hat OpenShift Cluster Ingress Operator"),
    ("0358943c-7e01-48ba-8889-02cc51d78637", "Azure Red Hat OpenShift Machine API Operator"),
    ("0378884a-3af5-44ab-8323-f5b22f9f3c98", "Device Update Content Administrator"),
    ("03a6d094-3444-4b3d-88af-7477090a9e5e", "Intelligent Systems Account Contributor"),
    ("04165923-9d83-45d5-8227-78b77b0a687e", "SignalR AccessKey Reader"),
    ("05352d14-a920-4328-a0de-4cbe7430e26b", "Azure Center for SAP solutions reader"),
    ("056cd41c-7e88-42e1-933e-88ba6a50c9c3", "SQL Security Manager"),
    ("082f0a83-3be5-4ba1-904c-961cca79b387", "Desktop Virtualization Contributor"),
    ("08954f03-6346-4c2e-81c0-ec3a5cfae23b", "Application Insights Snapshot Debugger"),
    ("08bbd89e-9f13-488c-ac41-acfcb10c90ab", "Key Vault Crypto Service Release User"),
    ("08d4c71a-cc63-4ce4-a9c8-5dd251b4d619", "Azure Container Storage Operator"),
    ("090c5cfd-751d-490a-894a-3ce6f1109419", "Azure Service Bus Data Owner"),
    ("09267e11-2e06-40b5-8fe4-68cea20794c9", "Azure Device Registry Credentials Contributor"),
    ("0a5ae4ab-0d65-4eeb-be61-29fc9b54394b", "Cognitive Services Custom Vision Trainer"),
    ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor"),
    ("0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", "Azure Kubernetes Service Cluster Admin Role"),
    ("0ab34830-df19-4f8c-b84e-aa85b8afa6e8", "Azure Front Door Domain Contributor"),
    ("0ad04412-c4d5-4796-b79c-f76d14c8d402", "Durable Task Data Contributor"),
    ("0b962ed2-6d56-471c-bd5f-3477d83a7ba4", "Azure Resource Notifications System Topics Subscriber"),
    ("0c34c906-8d99-4cb7-8bb7-33f5b0a1a799", "API Management Workspace Contributor"),
    ("0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb", "Storage File Data SMB Share Contributor"),
    ("0d7aedc0-15fd-4a67-a412-efad370c947e", "Azure Red Hat OpenShift File Storage Operator"),
    ("0db238c4-885e-4c4f-a933-aa2cef684fca", "Azure Front Door Secret Reader"),
    ("0e5f05e5-9ab9-446b-b98d-1e2157c94125", "Quota Request Operator"),
    ("0e75ca1e-0464-4b4d-8b93-68208a576181", "Cognitive Services Speech Contributor"),
    ("0f37683f-2463-46b6-9ce7-9b788b988ba2", "App Compliance Automation Administrator"),
    ("0f99d363-226e-4dca-9920-b807cf8e1a5f", "Azure Front Door Domain Reader"),
    ("0fa44ee9-7a7d-466b-9bb2-2bf446b1204d", "Desktop Virtualization Workspace Reader"),
    ("10745317-c249-44a1-a5ce-3a4353c0bbd8", "Device Provisioning Service Data Reader"),
    ("11076f67-66f6-4be0-8f6b-f0609fd05cc9", "Azure Batch Account Reader"),
    ("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User"),
    ("12cf5a90-567b-43ae-8102-96cf46c7d9b4", "Web PubSub Service Owner"),
    ("1407120a-92aa-4202-b7e9-c0e197c71c8f", "Search Index Data Reader"),
    ("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", "Key Vault Crypto Officer"),
    ("150f5e0c-0603-4f03-8c7f-cf70034c4e90", "Data Purger"),
    ("175b81b9-6e0d-490a-85e4-0d422273c10c", "App Configuration Reader"),
    ("17d1049b-9a84-46fb-8f53-869881c3d3ab", "Storage Account Contributor"),
    ("1823dd4f-9b8c-4ab6-ab4e-7397a3684615", "AzureML Registry User"),
    ("18500a29-7fe2-46b2-a342-b16a415e101d", "Managed HSM contributor"),
    ("188a0f2f-5c9e-469b-ae67-2aa5ce574b94", "Scheduler Job Collections Contributor"),
    ("18ab4d3d-a1bf-4477-8ad9-8359bc988f69", "Azure Kubernetes Fleet Manager RBAC Cluster Admin"),
    ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"),
    ("18e40d4e-8d2e-438d-97e1-9528336e149c", "Deployment Environments User"),
    ("18e81cdc-4e98-4e29-a639-e7d10c5a6226", "Cognitive Services LUIS Reader"),
    ("19d36063-d00b-4ea5-a1ac-a7c4926a0b78", "Playwright Workspace Reader"),
    ("19e7f393-937e-4f77-808e-94535e297925", "Storage Queue Data Reader"),
    ("1a40e87e-6645-48e0-b27a-0b115d849a20", "Chaos Studio Operator"),
    ("1a928ab0-1fee-43cf-9266-f9d8c22a8ddb", "Service Health Security Reader"),
    ("1afdec4b-e479-420e-99e7-f82237c7c5e6", "Azure Kubernetes Service Cluster Monitoring User"),
    ("1b32c00b-7eff-4c22-93e6-93d11d72d2d8", "Container Apps ManagedEnvironments Reader"),
    ("1c0163c0-47e6-4577-8991-ea5c82e286e4", "Virtual Machine Administrator Login"),
    ("1c9b6475-caf0-4164-b5a1-2142a7116f4b", "Template Spec Contributor"),
    ("1cfa4eac-9a23-481c-a793-bfb6958e836b", "Azure Migrate Execute Expert"),
    ("1d18fff3-a72a-46b5-b4a9-0b38a3cd7e63", "Desktop Virtualization User"),
    ("1e241071-0855-49ea-94dc-649edcd759de", "EventGrid Contributor"),
    ("1e7ca9b1-60d1-4db8-a914-f2ca1ff27c40", "Defender for Storage Data Scanner"),
    ("1ec5b3c1-b17e-4e25-8312-2acb3c3c5abf", "Stream Analytics Query Tester"),
    ("1ef6a3be-d0ac-425d-8c01-acb62866290b", "Compute Gallery Sharing Admin"),
    ("1f135831-5bbe-4924-9016-264044c00788", "Windows 365 Network Interface Contributor"),
    ("21090545-7ca7-4776-b22c-e363652d74d2", "Key Vault Reader"),
    ("21efdde3-836f-432b-bf3d-3e8e734d4b2b", "Desktop Virtualization Workspace Contributor"),
    ("22926164-76b3-42b3-bc55-97df8dab3e41", "Grafana Admin"),
    ("230815da-be43-4aae-9cb4-875f7bd000aa", "Cosmos DB Operator"),
    ("233ca253-b031-42ff-9fba-87ef12d6b55f", "Azure Kubernetes Service Arc Cluster User Role"),
    ("2414bbcf-6497-4faf-8c65-045460748405", "EventGrid EventSubscription Reader"),
    ("25211fc6-dc78-40b6-b205-e4ac934fd9fd", "Azure Spring Apps Application Configuration Service Config File Pattern Reader Role"),
    ("25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68", "Cognitive Services Contributor"),
    ("26baccc8-eea7-41f1-98f4-1762cc7f685d", "Azure Relay Sender"),
    ("26e0b698-aa6d-4085-9386-aadae190014d", "Azure Relay Listener"),
    ("2787bf04-f1f5-4bfe-8383-c8a24483ee38", "Azure Relay Owner"),
    ("289d8817-ee69-43f1-a0af-43a45505b488", "Azure Kubernetes Service Namespace Contributor"),
    ("28bf596f-4eb7-45ce-b5bc-6cf482fec137", "Locks Contributor"),
    ("29093635-9924-4f2c-913b-650a12949526", "Container Registry Credential Set Reader"),
    ("29e2da8a-229c-4157-8ae8-cc72fc506b74", "Chaos Studio Reader"),
    ("29fe4964-1e60-436b-bd3a-77fd4c178b3c", "Azure Batch Account Contributor"),
    ("2a1e307c-b015-4ebd-883e-5b7698a07328", "Container Registry Repository Writer"),
    ("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader"),
    ("2a5c394f-5eb7-4d4f-9c8e-e8eae39faebc", "Lab Services Reader"),
    ("2a94a2fd-3c4f-45d1-847d-6585ba88af94", "Firmware Analysis Reader"),
    ("2ad6aaab-ead9-4eaa-8ac5-da422f562408", "Desktop Virtualization Session Host Operator"),
    ("2b629674-e913-4c01-ae53-ef4638d8f975", "Azure Event Hubs Data Sender"),
    ("2bed379c-9fba-455b-99e4-6b911073bcf2", "Compute Fleet Contributor"),
    ("2c56ea50-c6b3-40a6-83c0-9d98858bc7d2", "Schema Registry Reader"),
    ("2cc479cb-7b4d-49a8-b449-8c00fd0f0a4b", "Web Plan Contributor"),
    ("2d84a65a-63b2-4343-bbb6-31105d857bc1", "SRE Agent Standard User"),
    ("2efddaa5-3f1f-4df3-97df-af3f13818f4c", "Container Registry Repository Contributor"),
    ("30b27cfc-9c84-438e-b0ce-70e35255df80", "Azure Kubernetes Fleet Manager RBAC Reader"),
    ("312a565d-c81f-4fd8-895a-4e21e48d571c", "API Management Service Contributor"),
    ("32e6a4ec-6095-4e37-b54b-12aa350ba81f", "Service Group Contributor"),
    ("331c37c6-af14-46d9-b9f4-e1909e1b95a0", "DevCenter Project Admin"),
    ("34013b0a-565b-43aa-8755-1b7c286f6cf7", "Essential Machine Management Administrator"),
    ("3498e952-d568-435e-9b2c-8d77e338d7f7", "Azure Kubernetes Service RBAC Admin"),
    ("34e09817-6cbe-4d01-b1a2-e0eac5743d41", "Kubernetes Cluster - Azure Arc Onboarding"),
    ("350f8d15-c687-4448-8ae1-157740a3936d", "Hierarchy Settings Administrator"),
    ("358470bc-b998-42bd-ab17-a7e34c199c0f", "Container Apps Contributor"),
    ("35c49d44-ccc1-4b18-8267-cfb3bacdd396", "Storage DataShare Contributor"),
    ("361898ef-9ed1-48c2-849c-a832951106bb", "Domain Services Reader"),
    ("36243c78-bf99-498c-9df9-86d9f8d28608", "Resource Policy Contributor"),
    ("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher"),
    ("392ae280-861d-42bd-9ea5-08ee6d83b80e", "Template Spec Reader"),
    ("39bc4728-0917-49c7-9d2c-d95423bc2eb4", "Security Reader"),
    ("3ae3fb29-0000-4ccd-bf80-542e7b26e081", "Load Test Reader"),
    ("3afb7f49-54cb-416e-8c09-6dc049efa503", "Azure AI Inference Deployment Operator"),
    ("3b03c2da-16b3-4a49-8834-0f8130efdd3b", "Log Analytics Data Reader"),
    ("3b20f47b-3825-43cb-8114-4bd2201156a8", "Cognitive Services Metrics Advisor User"),
    ("3bc748fc-213d-45c1-8d91-9da5725539b9", "Container Registry Contributor and Data Access Configuration Administrator"),
    ("3d24a3a0-c154-4f6f-a5ed-adc8e01ddb74", "Savings plan Purchaser"),
    ("3db33094-8700-4567-8da5-1501d4e7e843", "FHIR Data Exporter"),
    ("3e150937-b8fe-4cfb-8069-0eaf05ecd056", "Microsoft Sentinel Responder"),
    ("3e5e47e6-65f7-47ef-90b5-e5dd4d455f24", "Disk Backup Reader"),
    ("3f2eb865-5811-4578-b90a-6fc6fa0df8e5", "Azure Front Door Secret Contributor"),
    ("3f88fce4-5892-4214-ae73-ba5294559913", "FHIR Data Writer"),
    ("40c5ff49-9181-41f8-ae61-143b0e78555e", "Desktop Virtualization Power On Off Contributor"),
    ("41077137-e803-4205-871c-5a86e6a753b4", "Blueprint Contributor"),
    ("41e04612-9dac-4699-a02b-c82ff2cc3fb5", "Grafana Limited Viewer"),
    ("420fcaa2-552c-430f-98ca-3264be4806c7", "SignalR App Server"),
    ("423170ca-a8f6-4b0f-8487-9e4eb8f49bfa", "Azure Maps Data Reader"),
    ("426e0c7f-0c7e-4658-b36f-ff54d6c29b45", "CDN Endpoint Contributor"),
    ("428e0ff0-5e57-4d9c-a221-2c70d0e0a443", "EventGrid EventSubscription Contributor"),
    ("4301dc2a-25a9-44b0-ae63-3636cf7f2bd2", "Azure Spring Apps Spring Cloud Gateway Log Reader Role"),
    ("434105ed-43f6-45c7-a02f-909b2ba83430", "Cost Management Contributor"),
    ("434fb43a-c01c-447e-9f67-c3ad923cfaba", "Azure Kubernetes Fleet Manager RBAC Admin"),
    ("437d2ced-4a38-4302-8479-ed2bcb43d090", "Blueprint Operator"),
    ("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Monitoring Reader"),
    ("4436bae4-7702-4c84-919b-c4069ff25ee2", "Azure Red Hat OpenShift Service Operator"),
    ("4465e953-8ced-4406-a58e-0f6e3f3b530b", "FHIR Data Importer"),
    ("45265627-32f7-4da4-9ab0-b1cb0e9ec70b", "Playwright Workspace Owner"),
    ("45bb0b16-2f0c-4e78-afaa-a07599b003f6", "Load Test Owner"),
    ("45d50f46-0b78-4001-a660-4198cbe8cd05", "DevCenter Dev Box User"),
    ("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User"),
    ("463ad26c-fcce-4469-9c7f-5653d8acbab5", "Azure Kubernetes Fleet Manager RBAC Reader for Member Clusters"),
    ("466ccd10-b268-4a11-b098-b4849f024126", "Cognitive Services QnA Maker Reader"),
    ("47b7735b-770e-4598-a7da-8b91488b4c88", "Data Lake Analytics Developer"),
    ("47be4a87-7950-4631-9daf-b664a405f074", "Monitoring Policy Contributor"),
    ("489581de-a3bd-480d-9518-53dea7416b33", "Desktop Virtualization Power On Contributor"),
    ("48b40c6e-82e0-4eb3-90d5-19e40f49b624", "Hybrid Server Resource Administrator"),
    ("48e5e92e-a480-4e71-aa9c-2778f4c13781", "Azure Batch Job Submitter"),
    ("4939a1f6-9ae0-4e48-a1e0-f2cbe897382d", "SQL Managed Instance Contributor"),
    ("494ae006-db33-4328-bf46-533a6560a3ca", "Site Recovery Operator"),
    ("494bdba2-168f-4f31-a0a1-191d2f7c028c", "IoT Hub Twin Contributor"),
    ("49a72310-ab8d-41df-bbb0-79b649203868", "Desktop Virtualization Reader"),
    ("49e2f5d2-7741-4835-8efa-19e1fe35e47f", "Device Update Deployments Reader"),
    ("4a9ae827-6dc8-4573-8ac7-8239d42aa03f", "Tag Contributor"),
    ("4abbcc35-e782-43d8-92c5-2d3f1bd2253f", "Azure Kubernetes Service Cluster User Role"),
    ("4accf36b-2c05-432f-91c8-5c532dff4c73", "Logic Apps Standard Reader (Preview)"),
    ("4b0f2fd7-60b4-4eca-896f-4435034f8bf5", "EventGrid TopicSpaces Subscriber"),
    ("4b3fe76c-f777-4d24-a2d7-b027b0f7b273", "Azure Stack HCI VM Reader"),
    ("4ba50f17-9666-485c-a643-ff00808643f0", "FHIR SMART User"),
    ("4bad4d9e-2a13-4888-94bb-c8432f6f3040", "Storage Actions Blob Data Operator"),
    ("4c6569b6-f23e-4295-9b90-bd4cc4ff3292", "DevCenter Owner"),
    ("4c8d0bbc-75d3-4935-991f-5f3c56d81508", "FHIR Data Reader"),
    ("4d97b98b-1d4f-4787-a291-c67834d212e7", "Network Contributor"),
    ("4dae6930-7baf-46f5-909e-0383bc931c46", "Azure Customer Lockbox Approver for Subscription"),
    ("4e3d2b60-56ae-4dc6-a233-09c8e5a82e68", "Container Apps Jobs Contributor"),
    ("4e50c84c-c78e-4e37-b47e-e60ffea0a775", "Service Group Administrator"),
    ("4ea46cd5-c1b2-4a8e-910b-273211f9ce47", "IoT Hub Registry Contributor"),
    ("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Azure Service Bus Data Receiver"),
    ("4f8fab4f-1852-4a58-a46a-8eaf358af14a", "Avere Contributor"),
    ("4fc6c259-987e-4a07-842e-c321cc9d413f", "IoT Hub Data Contributor"),
    ("4fe576fe-1146-4730-92eb-48519fa6bf9f", "Automation Job Operator"),
    ("50346970-0998-40f2-b47d-f3b8809840f8", "Azure Kubernetes Fleet Manager RBAC Writer for Member Clusters"),
    ("515c2055-d9d4-4321-b1b9-bd0c9a0f79fe", "Logic App Operator"),
    ("516239f1-63e1-4d78-a4de-a74fb236a071", "App Configuration Data Reader"),
    ("51d6186e-6489-4900-b93f-92e23144cca5", "Microsoft Sentinel Playbook Operator"),
    ("523776ba-4eb2-4600-a3c8-f2dc93da4bdb", "Logic Apps Standard Developer (Preview)"),
    ("53b2724d-1e51-44fa-b586-bcace0c82609", "Firmware Analysis User"),
    ("53ca6127-db72-4b80-b1b0-d745d6d5456d", "Foundry User"),
    ("5432c526-bc82-444a-b7ba-57c5b0b5b34f", "CosmosRestoreOperator"),
    ("547f7f0a-69c0-4807-bd9e-0321dfb66a84", "Azure Device Registry Onboarding"),
    ("56328988-075d-4c6a-8766-d93edd6725b6", "API Management Workspace API Developer"),
    ("577a9874-89fd-4f24-9dbd-b5034d0ad23a", "Container Registry Data Importer and Data Reader"),
    ("57cc5028-e6a7-4284-868d-0611c5923f8d", "Container Apps ManagedEnvironments Contributor"),
    ("582fc458-8989-419f-a480-75249bc5db7e", "Reservations Reader"),
    ("58a3b984-7adf-4c20-983a-32417c86fbc8", "DICOM Data Owner"),
    ("59a618e3-3c9a-406e-9f03-1a20dd1c55f1", "Chaos Studio Target Contributor"),
    ("5a1fc7df-4bf1-4951-a576-89034ee01acd", "FHIR Data Contributor"),
    ("5ae67dd6-50cb-40e7-96ff-dc2bfa4b606b", "App Configuration Data Owner"),
    ("5af6afb3-c06c-4fa4-8848-71a8aee05683", "Azure Kubernetes Fleet Manager RBAC Writer"),
    ("5b7237c5-45e1-49d6-bc18-a1f62f400748", "Azure Red Hat OpenShift Disk Storage Operator"),
    ("5b999177-9696-4545-85c7-50de3797e5a1", "Azure Arc Kubernetes Writer"),
    ("5bc02df6-6cd5-43fe-ad3d-4c93cf56cc16", "Azure IoT Operations Administrator"),
    ("5bd9cd88-fe45-4216-938b-f97437e15450", "DocumentDB Account Contributor"),
    ("5c2d7e57-b7c2-4d8a-be4f-82afa42c6e95", "Azure Managed Grafana Workspace Contributor"),
    ("5c4089e1-6d96-4d2f-b296-c1bc7137275f", "Cognitive Services Custom Vision Deployment"),
    ("5d28c62d-5b37-4476-8438-e587778df237", "New Relic APM Account Contributor"),
    ("5d3f1697-4507-4d08-bb4a-477695db5f82", "Azure Kubernetes Service Arc Contributor Role"),
    ("5d58bcaf-24a5-4b20-bdb6-eed9f69fbe4c", "Management Group Contributor"),
    ("5d5dddae-e124-4753-972d-aae60b37deb4", "Migrate Arc Discovery Reader - Preview"),
    ("5d977122-f97e-4b4d-a52f-6b43003ddb4d", "Azure Container Instances Contributor Role"),
    ("5d9bac3f-34b2-432f-bde5-78aa8e73ce6b", "Storage File Data SMB Take Ownership"),
    ("5daaa2af-1fe8-407c-9122-bba179798270", "Lab Contributor"),
    ("5dffeca3-4936-4216-b2bc-10343a5abb25", "Schema Registry Contributor"),
    ("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", "Cognitive Services OpenAI User"),
    ("5e3c6656-6cfa-4708-81fe-0de47ac73342", "BizTalk Contributor"),
    ("5e467623-bb1f-42f4-a55d-6e525e11384b", "Backup Contributor"),
    ("5fb5aef8-1081-4b8e-bb16-9d5d0385bab5", "Automation Runbook Operator"),
    ("602da2ba-a5c2-41da-b01d-5360126ab525", "Virtual Machine Local User Login"),
    ("60921a7e-fef1-4a43-9b16-a26c52ad4769", "Grafana Viewer"),
    ("60fc6e62-5479-42d4-8bf4-67625fcc2840", "Disk Pool Operator"),
    ("612c2aa1-cb24-443b-ac28-3ab7272de6f5", "Security Assessment Contributor"),
    ("61ed4efc-fab3-44fd-b111-e24485cc132a", "HDInsight Cluster Operator"),
    ("6322a993-d5c9-4bed-b113-e49bbea25b27", "Cognitive Services LUIS Writer"),
    ("635dd51f-9968-44d3-b7fb-6d9a6bd613ae", "AzureML Metrics Writer (preview)"),
    ("63bb64ad-9799-4770-b5c3-24ed299a07bf", "Azure Kubernetes Fleet Manager Contributor Role"),
    ("63f0a09d-1495-4db4-a681-037d84835eb4", "Azure Arc Kubernetes Viewer"),
    ("641177b8-a67a-45b9-a033-47bc880bb21e", "Managed Application Contributor Role"),
    ("64702f94-c441-49e6-a78b-ef80e0188fee", "Azure AI Developer"),
    ("6593e776-2a30-40f9-8a32-4fe28b77655d", "Azure Spring Apps Application Configuration Service Log Reader Role"),
    ("65a14201-8f6c-4c28-bec4-12619c5a9aaa", "Connected Cluster Managed Identity CheckAccess Reader"),
    ("662802e2-50f6-46b0-aed2-e834bacc6d12", "Azure Front Door Profile Reader"),
    ("6670b86e-a3f7-4917-ac9b-5d6ab1be4567", "Site Recovery Contributor"),
    ("66bb4e9e-b016-4a94-8249-4c0511c2be84", "Policy Insights Data Writer (Preview)"),
    ("66f75aeb-eabe-4b70-9f1e-c350c4c9ad04", "Virtual Machine Data Access Administrator (preview)"),
    ("673868aa-7521-48a0-acc6-0f60742d39f5", "Data Factory Contributor"),
    ("69566ab7-960f-475b-8e7c-b3118f30c6bd", "Storage File Data Privileged Contributor"),
    ("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Azure Service Bus Data Sender"),
    ("69b07be0-09bf-439a-b9a6-e73de851bd59", "Container Registry Configuration Reader and Data Access Configuration Reader"),
    ("6aaa78f1-f7de-44ca-8722-c64a23943cae", "Azure Batch Data Contributor"),
    ("6aac74c4-6311-40d2-bbdd-7d01e7c6e3a9", "Azure Arc ScVmm Private Clouds Onboarding"),
    ("6b534d80-e337-47c4-864f-140f5c7f593d", "Advisor Recommendations Contributor (Assessments and Reviews)"),
    ("6be48352-4f82-47c9-ad5e-0acacefdb005", "Azure Maps Search and Render Data Reader"),
    ("6cba8790-29c5-48e5-bab1-c7541b01cb04", "Azure API Center Service Reader"),
    ("6cef56e8-d556-48e5-a04f-b8e64114680f", "AcrImageSigner"),
    ("6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437", "SQL Server Contributor"),
    ("6f12a6df-dd06-4f3e-bcb1-ce8be600526a", "Azure Stack Registration Owner"),
    ("6f4fe6fc-f04f-4d97-8528-8bc18c848dca", "Container Apps ConnectedEnvironments Contributor"),
    ("71522526-b88f-4d52-b57f-d31fc3546d0d", "API Management Service Reader Role"),
    ("72fafb9e-0641-4937-9268-a91bfd8191a3", "Cost Management Reader"),
    ("73c2c328-d004-4c5e-938c-35c6f5679a1f", "API Management Workspace API Product Manager"),
    ("73c42c96-874c-492b-b04d-ab87d138a893", "Log Analytics Reader"),
    ("749a398d-560b-491b-bb21-08924219302e", "Load Test Contributor"),
    ("749f88d5-cbae-40b8-bcfc-e573ddc772fa", "Monitoring Contributor"),
    ("754c1a27-40dc-4708-8ad4-2bffdeee09e8", "Azure File Sync Reader"),
    ("76153a9e-0edb-49bc-8e01-93c47e6b5180", "DevOps Infrastructure Contributor"),
    ("76199698-9eea-4c19-bc75-cec21354c6b6", "Storage Table Data Reader"),
    ("76283e04-6283-4c54-8f91-bcf1374a3c64", "DevTest Labs User"),
    ("7628b7b8-a8b2-4cdc-b46f-e9b35248918e", "Cognitive Services Language Reader"),
    ("7656b436-37d4-490a-a4ab-d39f838f0042", "HDInsight on AKS Cluster Pool Admin"),
    ("765a04e0-5de8-4bb2-9bf6-b2a30bc03e91", "Storage File Delegator"),
    ("77789c21-1643-48a2-8f27-47f858540b51", "Storage Actions Task Assignment Contributor"),
    ("7859c0b0-0bb9-4994-bd12-cd529af7d646", "Azure Migrate Decide and Plan Expert"),
    ("78cf819f-0969-4ebe-8759-015c6efcd5bf", "Playwright Workspace Contributor"),
    ("78e4b983-1a0b-472e-8b7d-8d770f7c5890", "DeID Data Owner"),
    ("79a36d98-eb96-4a76-ae1d-481dc98d2c23", "Azure Kubernetes Fleet Manager RBAC Cluster Admin for Member Clusters"),
    ("7b0c7e81-271f-4c71-90bf-e30bdfdbc2f7", "Azure Center for SAP solutions administrator"),
    ("7b1f81f9-4196-4058-8aae-762e593270df", "Azure Resource Bridge Deployment Role"),
    ("7b7c71ed-33fa-4ed2-a91a-e56d5da260b5", "Azure IoT Operations Onboarding"),
    ("7c2e40b7-25eb-482a-82cb-78ba06cb46d5", "Chaos Studio Experiment Contributor"),
    ("7ca78c08-252a-4471-8644-bb5ff32d4ba0", "Search Service Contributor"),
    ("7e4f1700-ea5a-4f59-8f37-079cfe29dce3", "SignalR Service Owner"),
    ("7eabc9a4-85f7-4f71-b8ab-75daaccc1033", "Windows 365 Network User"),
    ("7ee386e9-84f0-448e-80a6-f185f6533131", "Storage Queue Delegator"),
    ("7efff54f-a5b4-42b5-a1c5-5411624893ce", "Disk Snapshot Contributor"),
    ("7f6c6a51-bcf8-42ba-9220-52d62157d7db", "Azure Kubernetes Service RBAC Reader"),
    ("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull"),
    ("804db8d3-32c7-4ad4-a975-3f6f90d5f5f5", "FHIR Data Bulk Operator"),
    ("80558df3-64f9-4c0f-b32d-e5094b036b0b", "Azure Spring Apps Connect Role"),
    ("80d0d6b0-f522-40a4-8886-a5a11720c375", "Durable Task Worker"),
    ("80dcbedb-47ef-405d-95bd-188a1b4ac406", "Elastic SAN Owner"),
    ("81a9662b-bebf-436f-a333-f67b29880f12", "Storage Account Key Operator Service Role"),
    ("82200a5b-e217-47a5-b665-6d8765ee745b", "Services Hub Operator"),
    ("8311e382-0749-4cb8-b61a-304f252e45ec", "AcrPush"),
    ("8393591c-06b9-48a2-a542-1bd6b377f6a2", "Azure Arc Kubernetes Cluster Admin"),
    ("83f80186-3729-438c-ad2d-39e94d718838", "Service Fabric Managed Cluster Contributor"),
    ("850c5848-fc51-4a9a-8823-f220370626e3", "Azure Kubernetes Fleet Manager Hub Cluster User Role"),
    ("85a2d0d9-2eba-4c9c-b355-11c2cc0788ab", "Compute Gallery Artifacts Publisher"),
    ("85cb6faf-e071-4c9b-8136-154b5a04f717", "Kubernetes Extension Contributor"),
    ("86240b0e-9422-4c43-887b-b61143f32ba8", "Desktop Virtualization Application Group Contributor"),
    ("865ae368-6a45-4bd1-8fbf-0d5151f56fc1", "Azure Stack HCI Device Management Role"),
    ("86e8f5dc-a6e9-4c67-9d15-de283e8eac25", "Classic Storage Account Contributor"),
    ("871e35f6-b5c1-49cc-a043-bde969a0f2cd", "CDN Endpoint Reader"),
    ("874d1c73-6003-4e60-a13a-cb31ea190a85", "Azure Stack HCI VM Contributor"),
    ("87a39d53-fc1b-424a-814c-f7e04687dc9e", "Logic App Contributor"),
    ("88424f51-ebe7-446f-bc41-7fa16989e96c", "Cognitive Services Custom Vision Labeler"),
    ("8a0f0c08-91a1-4084-bc3d-661d67233fed", "Storage Queue Data Message Processor"),
    ("8a90fa6b-6997-4a07-8a95-30633a7c97b9", "DeID Batch Data Owner"),
    ("8aac15f0-d885-4138-8afa-bfb5872f7d13", "Advisor Reviews Contributor"),
    ("8b32b316-c2f5-4ddf-b05b-83dacd2d08b5", "Azure Red Hat OpenShift Image Registry Operator"),
    ("8b54135c-b56d-4d72-a534-26097cfdc8d8", "Key Vault Data Access Administrator"),
    ("8cf5e20a-e4b2-4e9d-b3a1-5ceb692c2761", "SignalR/Web PubSub Contributor"),
    ("8d289c81-5878-46d4-8554-54e1e3d8b5cb", "Microsoft Sentinel Reader"),
    ("8d8d5a11-05d3-4bda-a417-a08778121c7c", "HDInsight Domain Services Contributor"),
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
    ("8ebe5a00-799e-43f5-93ac-243d3dce84a7", "Search Index Data Contributor"),
    ("8f5e0ce6-4f7b-4dcf-bddf-e6f48634a204", "Azure Maps Data Contributor"),
    ("8f96442b-4075-438f-813d-ad51ab4019af", "CDN Profile Reader"),
    ("91c1777a-f3dc-4fae-b103-61d183457e46", "Managed Services Registration assignment Delete Role"),
    ("92aaf0da-9dab-42b6-94a3-d43ce8d16293", "Log Analytics Contributor"),
    ("92b92042-07d9-4307-87f7-36a593fc5850", "Azure File Sync Administrator"),
    ("93586559-c37d-4a6b-ba08-b9f0940c2d73", "Cognitive Services Custom Vision Reader"),
    ("9565a273-41b9-4368-97d2-aeb0c976a9b3", "API Management Service Workspace API Developer"),
    ("959f8984-c045-4866-89c7-12bf9737be2e", "Data Operator for Managed Disks"),
    ("95dd08a6-00bd-4661-84bf-f6726f83a4d0", "Azure Container Storage Contributor"),
    ("95de85bd-744d-4664-9dde-11430bc34793", "Azure Container Storage Owner"),
    ("965033a5-c8eb-4f35-b82f-fef460a3606d", "Storage Table Delegator"),
    ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor"),
    ("980cf6f7-edec-4fd1-8e9e-28f70b1d5258", "Compute Limit Operator"),
    ("985d6b00-f706-48f5-a6fe-d0ca12fb668d", "Classic Storage Account Key Operator Service Role"),
    ("9894cab4-e18a-44aa-828b-cb588cd6f2d7", "Cognitive Services Face Recognizer"),
    ("9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "Virtual Machine Contributor"),
    ("9b7fa17d-e63e-47b0-bb0a-15c516ac86ec", "SQL DB Contributor"),
    ("9c1607d1-791d-4c68-885d-c7b7aaff7c8a", "Firmware Analysis Admin"),
    ("9d819e60-1b9f-4871-b492-4e6cdee0b50a", "Storage Connector Contributor"),
    ("a001fd3d-188f-4b5d-821b-7da978bf7442", "Cognitive Services OpenAI Contributor"),
    ("a06f5c24-21a7-4e1a-aa2b-f19eb6684f5b", "Azure Spring Cloud Config Server Contributor"),
    ("a12b0b94-b317-4dcd-84a8-502ce99884c6", "EventGrid TopicSpaces Publisher"),
    ("a1705bd2-3a8f-45a5-8683-466fcfd5cc24", "FHIR Data Converter"),
    ("a1f96423-95ce-4224-ab27-4e3dc72facd4", "Azure Red Hat OpenShift Cloud Controller Manager"),
    ("a235d3ee-5935-4cfb-8cc5-a3303ad5995e", "Storage File Data SMB MI Admin"),
    ("a36e6959-b6be-4b12-8e9f-ef4b474d304d", "Lab Operator"),
    ("a41e2c5b-bd99-4a07-88f4-9bf657a760b8", "Integration Service Environment Contributor"),
    ("a4417e6f-fecd-4de8-b567-7b0420556985", "Key Vault Certificates Officer"),
    ("a4b10055-b0c7-44c2-b00f-c7b5b3550cf7", "Traffic Manager Contributor"),
    ("a4b156ac-253f-4a1a-9851-96d62b71b047", "SRE Agent Reader"),
    ("a5c3590a-3a1a-4cd4-9648-ea0a32b15137", "Azure Device Registry Contributor"),
    ("a6333a3e-0164-44c3-b281-7a577aff287f", "Windows Admin Center Administrator Login"),
    ("a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "Azure Event Hubs Data Receiver"),
    ("a7264617-510b-434b-a828-9731dc254ea7", "Storage File Data SMB Share Elevated Contributor"),
    ("a795c7a0-d4a2-40c1-ae25-d81f01202912", "Backup Reader"),
    ("a79a5197-3a5c-4973-a920-486035ffd60f", "Grafana Editor"),
    ("a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", "Azure Kubernetes Service RBAC Writer"),
    ("a8281131-f312-4f34-8d98-ae12be9f0d23", "Elastic SAN Volume Group Owner"),
    ("a8889054-8d42-49c9-bc1c-52486c10e7cd", "Reservations Administrator"),
    ("a92dfd61-77f9-4aec-a531-19858b406c87", "Azure Arc ScVmm Administrator role"),
    ("a959dbd1-f747-45e3-8ba6-dd80f235f97c", "Desktop Virtualization Virtual Machine Contributor"),
    ("a97b65f3-24c7-4388-baec-2e87135dc908", "Cognitive Services User"),
    ("a99b0159-1064-4c22-a57b-c9b3caa1c054", "Azure Spring Apps Remote Debugging Role"),
    ("aabbc5dd-1af0-458b-a942-81af88f9c138", "Azure Center for SAP solutions service role"),
    ("ab8e14d6-4a74-4a29-9ba8-549422addade", "Microsoft Sentinel Contributor"),
    ("aba4ae5f-2193-4029-9191-0cb91df5e314", "Storage File Data SMB Share Reader"),
    ("ac63b705-f282-497d-ac71-919bf39d939d", "Management Group Reader"),
    ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"),
    ("ad710c24-b039-4e85-a019-deb4a06e8570", "Logic Apps Standard Contributor (Preview)"),
    ("add466c9-e687-43fc-8d98-dfcf8d720be5", "Data Box Contributor"),
    ("ae349356-3a1b-4a5e-921d-050484c6347e", "Application Insights Component Contributor"),
    ("aebf23d0-b568-4e86-b8f9-fe83a2c6ab55", "Desktop Virtualization Application Group Reader"),
    ("af61e8fc-2633-4b95-bed3-421ad6826515", "Container Apps SessionPools Reader"),
    ("af6a70f8-3c9f-4105-acf1-d719e9fca4ca", "Elastic SAN Reader"),
    ("af854a69-80ce-4ff7-8447-f1118a2e0ca8", "Healthcare Agent Editor"),
    ("b12aa53e-6015-4669-85d0-8515ebb3ae7f", "Private DNS Zone Contributor"),
    ("b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", "Azure Kubernetes Service RBAC Cluster Admin"),
    ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
    ("b279062a-9be3-42a0-92ae-8b3cf002ec4d", "Workbook Reader"),
    ("b29efa5f-7782-4dc3-9537-4d5bc70a5e9f", "Azure Kubernetes Service Arc Cluster Admin Role"),
    ("b2de6794-95db-4659-8781-7e080d3f2b9d", "Cognitive Services Immersive Reader User"),
    ("b34d265f-36f7-4a0d-a4d4-e158ca92e90f", "Classic Network Contributor"),
    ("b447c946-2db7-41ec-983d-d8bf3b1c77e3", "IoT Hub Data Reader"),
    ("b459aa1d-e3c8-436f-ae21-c0531140f43e", "Azure Spring Apps Job Log Reader Role"),
    ("b50d9833-a0cb-478e-945f-707fcc997c13", "Disk Restore Operator"),
    ("b5537268-8956-4941-a8f0-646150406f0c", "Azure Spring Cloud Data Reader"),
    ("b556d68e-0be0-4f35-a333-ad7ee1ce17ea", "Azure AI Enterprise Network Connection Approver"),
    ("b59867f0-fa02-499b-be73-45a86b5b3e1c", "Cognitive Services Data Reader"),
    ("b64e21ea-ac4e-4cdf-9dc9-5b892992bee7", "Azure Connected Machine Onboarding"),
    ("b6efc156-f0da-4e90-a50a-8c000140b017", "Service Fabric Cluster Contributor"),
    ("b70c96e9-66fe-4c09-b6e7-c98e69c98555", "Logic Apps Standard Operator (Preview)"),
    ("b73a14ee-91f5-41b7-bd81-920e12466be9", "DeID Batch Data Reader"),
    ("b748a06d-6150-4f8a-aaa9-ce3940cd96cb", "Azure Arc VMware VM Contributor"),
    ("b78c5d69-af96-48a3-bf8d-a8b4d589de94", "Azure AI Administrator"),
    ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner"),
    ("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer"),
    ("b8eda974-7b85-4f76-af95-65846b26df6d", "Storage File Data Privileged Reader"),
    ("b9331d33-8a36-4f8c-b097-4f54124fdb44", "Managed Application Publisher Operator"),
    ("b93aa761-3e63-49ed-ac28-beffa264f7ac", "Container Registry Repository Reader"),
    ("b97fb8bc-a8b2-4522-a38b-dd33c7e65ead", "Lab Creator"),
    ("b9a307c4-5aa3-4b52-ba60-2b17c136cd7b", "Container Apps Jobs Operator"),
    ("ba480ccd-6499-4709-b581-8f38bb215c63", "Azure Migrate Service Reader"),
    ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor"),
    ("bb6577c4-ea0a-40b2-8962-ea18cb8ecd4e", "DeID Realtime Data User"),
    ("bba48692-92b0-4667-a9ad-c31c7b334ac2", "Cognitive Services Usages Reader"),
    ("bbf004e3-0e4b-4f86-ae4f-1f8fb47b357b", "Storage File Data SMB Admin"),
    ("bbf86eb8-f7b4-4cce-96e4-18cddf81d86e", "Attestation Contributor"),
    ("bcd981a7-7f74-457b-83e1-cceb9e632ffe", "Azure Digital Twins Data Owner"),
    ("bd8acdb0-202c-4493-a7fe-ef98eefbfbc4", "Storage Actions Contributor"),
    ("bda0d508-adf1-4af0-9c28-88919fc3ae06", "Azure Stack HCI Administrator"),
    ("be7a6435-15ae-4171-8f30-4a343eff9e8f", "Azure Red Hat OpenShift Network Operator"),
    ("befefa01-2a29-4197-83a8-272ff33ce314", "DNS Zone Contributor"),
    ("bf94e731-3a51-4a7c-8c54-a1ab9971dfc1", "Container Registry Transfer Pipeline Contributor"),
    ("bfb1c7d2-fb1a-466b-b2ba-aee63b92deaf", "Web PubSub Service Reader"),
    ("bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7", "Container Registry Repository Catalog Lister"),
    ("c025889f-8102-4ebf-b32c-fc0c6f0c6bd9", "Avere Operator"),
    ("c031e6a8-4391-4de0-8d69-4706a7ed3729", "API Management Developer Portal Content Editor"),
    ("c0781e91-8102-4553-8951-97c6d4243cda", "Azure Arc ScVmm Private Cloud User"),
    ("c088a766-074b-43ba-90d4-1fb21feae531", "PostgreSQL Flexible Server Long Term Retention Backup Role"),
    ("c12c1c16-33a1-487b-954d-41c89c60f349", "Reader and Data Access"),
    ("c1410b24-3e69-4857-8f86-4d0a2e603250", "Quantum Workspace Data Contributor"),
    ("c1ff6cc2-c111-46fe-8896-e0ef812ad9f3", "Cognitive Services Custom Vision Contributor"),
    ("c2a970b4-16a7-4a51-8c84-8a8ea6ee0bb8", "Backup MUA Admin"),
    ("c2f4ef07-c644-48eb-af81-4b1b4947fb11", "AcrDelete"),
    ("c357b964-0002-4b64-a50d-7a28f02edc52", "Container Registry Cache Rule Reader"),
    ("c64499e0-74c3-47ad-921c-13865957895c", "Advisor Reviews Reader"),
    ("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender"),
    ("c7244dfb-f447-457d-b2ba-3999044d1706", "Azure API Center Data Reader"),
    ("c7393b34-138c-406f-901b-d8cf2b17e6ae", "Managed Application Operator Role"),
    ("c7aa55d3-1abb-444a-a5ca-5e51e485d6ec", "Integration Service Environment Developer"),
    ("c883944f-8b7b-4483-af10-35834be79c4a", "Foundry Owner"),
    ("c8d4ff99-41c3-41a8-9f60-21dfdad59608", "AcrQuarantineWriter"),
    ("c99c945f-8bd1-4fb1-a903-01460aae6068", "Azure Stack HCI Connected InfraVMs"),
    ("c9f76ca8-b262-4b10-8ed2-09cf0948aa35", "Azure Kubernetes Service Namespace User"),
    ("cb43c632-a144-4ec5-977c-e80c4affc34a", "Cognitive Services Metrics Advisor Administrator"),
    ("cd08ab90-6b14-449c-ad9a-8f8e549482c6", "Scheduled Patching Contributor"),
    ("cd570a14-e51a-42ad-bac8-bafd67325302", "Azure Connected Machine Resource Administrator"),
    ("cdda3590-29a3-44f6-95f2-9f980659eb04", "AcrQuarantineReader"),
    ("ce40b423-cede-4313-a93f-9b28290b72e1", "Lab Assistant"),
    ("ceadfde2-b300-400a-ab7b-6143895aa822", "Desktop Virtualization Host Pool Reader"),
    ("cf7c76d2-98a3-4358-a134-615aa78bf44d", "Compute Gallery Image Reader"),
    ("cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e", "Support Request Contributor"),
    ("cff1b556-2399-4e7e-856d-a8f754be7b65", "Azure Spring Cloud Service Registry Reader"),
    ("d04c6db6-4947-4782-9e91-30a88feb7be7", "Azure Spring Cloud Config Server Reader"),
    ("d1ee9a80-8b14-47f0-bdc2-f4a351625a7b", "Device Update Content Reader"),
    ("d1f699ed-700a-4c77-a22f-29890ac7b115", "Azure Kubernetes Fleet Manager RBAC Admin for Member Clusters"),
    ("d3881f73-407a-4167-8283-e981cbba0404", "Automation Operator"),
    ("d57506d4-4c8d-48b1-8587-93c323f6a5a3", "Azure Digital Twins Data Reader"),
    ("d59a3e9c-6d52-4a5a-aeed-6bf3cf0e31da", "API Management Service Workspace API Product Manager"),
    ("d5a2ae44-610b-4500-93be-660a0c5f5ca6", "Defender Kubernetes API Access"),
    ("d5a91429-5739-47e2-a06b-3470a27159e7", "EventGrid Data Sender"),
    ("d5adeb5b-107f-4aca-99ea-4e3f4fc008d5", "Container Apps ConnectedEnvironments Reader"),
    ("d6a5505f-6ebb-45a4-896e-ac8274cfc0ac", "Durable Task Data Reader"),
    ("d73bb868-a0df-4d4d-bd69-98a00b01fccb", "Classic Virtual Machine Contributor"),
    ("db58b8e5-c6ad-4a2a-8342-4190687cbf4a", "Storage Blob Delegator"),
    ("db79e9a7-68ee-4b58-9aeb-b90e7c24fcba", "Key Vault Certificate User"),
    ("db7b14f2-5adf-42da-9f96-f2ee17bab5cb", "CosmosBackupOperator"),
    ("dbaa88c4-0c30-4179-9fb3-46319faa6149", "Site Recovery Reader"),
    ("dd24193f-ef65-44e5-8a7e-6fa6e03f7713", "Azure API Center Service Contributor"),
    ("ddde6b66-c0df-4114-a159-3618637b3035", "SignalR REST API Reader"),
    ("de139f84-1756-47ae-9be6-808fbbe84772", "Website Contributor"),
    ("de2b316d-7a2c-4143-b4cd-c148f6a355a1", "Azure Kubernetes Fleet Manager Hub Agent Role"),
    ("de754d53-652d-4c75-a67f-1e48d8b49c97", "Service Group Reader"),
    ("df87f177-bb12-4db1-9793-a413691eff94", "Container Registry Cache Rule Administrator"),
    ("dfce44e4-17b7-4bd1-a6d1-04996ec95633", "Device Provisioning Service Data Contributor"),
    ("dfce8971-25e3-42e3-ba33-6055438e3080", "VM Restore Operator"),
    ("dffb1e0c-446f-4dde-a09f-99eb5cc68b96", "Azure Arc Kubernetes Admin"),
    ("e022efe7-f5ba-4159-bbe4-b44f577e9b61", "API Management Service Operator Role"),
    ("e0f68234-74aa-48ed-b826-c38b57376e17", "Redis Cache Contributor"),
    ("e147488a-f6f5-4113-8e2d-b22465e65bf6", "Key Vault Crypto Service Encryption User"),
    ("e307426c-f9b6-4e81-87de-d99efb3c32bc", "Desktop Virtualization Host Pool Contributor"),
    ("e3d13bf0-dd5a-482e-ba6b-9b8433878d10", "Security Manager (Legacy)"),
    ("e40ec5ca-96e0-45a2-b4ff-59039f2c2b59", "Managed Identity Contributor"),
    ("e4237640-0e3d-4a46-8fda-70bc94856432", "Device Update Deployments Administrator"),
    ("e47c6f54-e4a2-4754-9501-8e0985b135e1", "Foundry Account Owner"),
    ("e503ece1-11d0-4e8e-8e2c-7a6c3bf38815", "AzureML Compute Operator"),
    ("e582369a-e17b-42a5-b10c-874c387c530b", "Azure Arc ScVmm VM Contributor"),
    ("e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1", "Storage Account Backup Contributor"),
    ("e79298df-d852-4c6d-84f9-5d13249d1e55", "SRE Agent Administrator"),
    ("e8113dce-c529-4d33-91fa-e9b972617508", "Azure Connected SQL Server Onboarding"),
    ("e89c7a3c-2f64-4fa1-a847-3e4c9ba4283a", "DICOM Data Reader"),
    ("e8ddcd69-c73f-4f9f-9844-4100522f16ad", "Workbook Contributor"),
    ("e9dba6fb-3d52-4cf0-bce3-f06ce71b9e0f", "Device Update Reader"),
    ("ea4bfff8-7fb4-485a-aadd-d4129a0ffaa6", "Desktop Virtualization User Session Operator"),
    ("eadc314b-1a2d-4efa-be10-5d325db5065e", "Foundry Project Manager"),
    ("eb5a76d5-50e7-4c33-a449-070e7c9c4cf2", "Healthcare Agent Reader"),
    ("eb960402-bf75-4cc3-8d68-35b34f960f72", "Deployment Environments Reader"),
    ("ec156ff8-a8d1-4d15-830c-5b80698ca432", "CDN Profile Contributor"),
    ("ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8", "Azure Kubernetes Service Contributor Role"),
    ("edd66693-d32a-450b-997d-0158c03976b0", "Container Apps Jobs Reader"),
    ("ede9aaa3-4627-494e-be13-4aa7c256148d", "Azure API Center Compliance Manager"),
    ("eeaeda52-9324-47f6-8069-5d5bade478b2", "Domain Services Contributor"),
    ("ef1c2c96-4a77-49e8-b9a4-6179fe1d2fd2", "API Management Workspace Reader"),
    ("ef318e2a-8334-4a05-9e4a-295a196c6a6e", "Azure Red Hat OpenShift Federated Credential"),
    ("f07febfe-79bc-46b1-8b37-790e26e6e498", "Cognitive Services Language Owner"),
    ("f094fb07-0703-4400-ad6a-e16dd8000e14", "Container Registry Credential Set Administrator"),
    ("f1082fec-a70f-419f-9230-885d2550fb38", "Healthcare Agent Admin"),
    ("f1a07417-d97a-45cb-824c-7a7467783830", "Managed Identity Operator"),
    ("f2310ca1-dc64-4889-bb49-c8e0fa3d47a8", "Cognitive Services Language Writer"),
    ("f25e0fa2-a7c8-4377-a976-54943a77a395", "Key Vault Contributor"),
    ("f2dc8367-1007-4938-bd23-fe263f013447", "Cognitive Services Speech User"),
    ("f353d9bd-d4a6-484e-a77a-8050b599b867", "Automation Contributor"),
    ("f3bd1b5c-91fa-40e7-afe7-0c11d331232c", "Container Apps Operator"),
    ("f4c81013-99ee-4d62-a7ee-b3f1f648599a", "Microsoft Sentinel Automation Contributor"),
    ("f4cc2bf9-21be-47a1-bdf1-5c5804381025", "Cognitive Services QnA Maker Editor"),
    ("f526a384-b230-433a-b45c-95f59c4a2dec", "Azure Event Hubs Data Owner"),
    ("f54b6d04-23c6-443e-b462-9c16ab7b4a52", "Backup MUA Operator"),
    ("f5819b54-e033-4d82-ac66-4fec3cbf3f4c", "Azure Connected Machine Resource Manager"),
    ("f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator"),
    ("f5880b48-c26d-48be-b172-7927bfa1c8f1", "Azure Spring Cloud Service Registry Contributor"),
    ("f69b8690-cc87-41d6-b77a-a4bc3c0a966f", "Lab Services Contributor"),
    ("f6c7c914-8db3-469d-8ca1-694a8f32e121", "AzureML Data Scientist"),
    ("f6e92014-8af2-414d-9948-9b1abf559285", "Arc Gateway Manager"),
    ("f72c8140-2111-481c-87ff-72b910f6e3f8", "Cognitive Services LUIS Owner"),
    ("f7669afb-68b2-44b4-9c5f-6d2a47fddda0", "Container Apps SessionPools Contributor"),
    ("f7b75c60-3036-4b75-91c3-6b41c27c1689", "Reservation Purchaser"),
    ("fa0d39e6-28e5-40cf-8521-1eb320653a4c", "Carbon Optimization Reader"),
    ("fa23ad8b-c56e-40d8-ac0c-ce449e1d2c64", "Billing Reader"),
    ("fa6cecf6-5db3-4c43-8470-c540bcb4eafa", "Elastic SAN Network Admin"),
    ("fb1c8493-542b-48eb-b624-b4c8fea62acd", "Security Admin"),
    ("fb382eab-e894-4461-af04-94435c366c3f", "Container Registry Tasks Contributor"),
    ("fb879df8-f326-4884-b1cf-06f3ad86be52", "Virtual Machine User Login"),
    ("fbdf93bf-df7d-467e-a4d2-9458aa1360c8", "Cosmos DB Account Reader Role"),
    ("fd036e6b-1266-47a0-b0bb-a05d04831731", "HDInsight on AKS Cluster Admin"),
    ("fd1bd22b-8476-40bc-a0bc-69b95687b9f3", "Attestation Reader"),
    ("fd53cd77-2268-407a-8f46-7e7863d0f521", "SignalR REST API Owner"),
    ("fd8ea4d5-6509-4db0-bada-356ab233b4fa", "Azure Migrate Owner"),
    ("fe86443c-f201-4fc4-9d2a-ac61149fbda0", "App Configuration Contributor"),
    ("ffc6bbe0-e443-4c3b-bf54-26581bb2f78e", "App Compliance Automation Reader"),
];

/// Azure roles Microsoft files under "Privileged" in "Azure built-in roles"
/// (also called privileged administrator roles): they grant full control of
/// resources or the right to assign roles.
const PRIVILEGED_AZURE_ROLES: [&str; 5] = [
    "Owner",
    "Contributor",
    "User Access Administrator",
    "Role Based Access Control Administrator",
    "Reservations Administrator",
];

/// Azure RBAC built-in role name for a role definition id. Accepts a bare GUID or any id ending in `/roleDefinitions/{guid}` (case-insensitive, surrounding whitespace ignored).
pub fn azure_role_name(role_definition_id: &str) -> Option<&'static str> {
    lookup(&AZURE_ROLES, role_definition_id)
}

/// Entra ID (directory) built-in role name for a role template id (GUID, case-insensitive).
///
/// Like [`azure_role_name`], surrounding whitespace and a leading
/// `…/roleDefinitions/` path are tolerated.
pub fn entra_role_name(template_id: &str) -> Option<&'static str> {
    lookup(&entra::ENTRA_ROLES, template_id)
}

/// Whether an Azure RBAC role name is privileged (can grant access or full control):
/// the roles Microsoft lists as privileged administrator roles — Owner,
/// Contributor, User Access Administrator, Role Based Access Control
/// Administrator and Reservations Administrator. Case-insensitive.
pub fn is_privileged_azure_role(name: &str) -> bool {
    let name = name.trim();
    PRIVILEGED_AZURE_ROLES
        .iter()
        .any(|role| role.eq_ignore_ascii_case(name))
}

/// Whether an Entra role is privileged per Microsoft's "privileged" label
/// in "Microsoft Entra built-in roles" (Global Administrator, Privileged Role
/// Administrator, Application Administrator, Security Administrator, User
/// Administrator, …). Also knows the API names some logs still use for those
/// roles (for example `Company Administrator`). Case-insensitive.
pub fn is_privileged_entra_role(name: &str) -> bool {
    let name = name.trim();
    entra::PRIVILEGED
        .iter()
        .chain(entra::PRIVILEGED_API_NAMES.iter())
        .any(|role| role.eq_ignore_ascii_case(name))
}

/// Find the role named by `id` (bare GUID or a path ending in
/// `/roleDefinitions/{guid}`) in a GUID-sorted table.
fn lookup(table: &[(&'static str, &'static str)], id: &str) -> Option<&'static str> {
    let guid = normalize_guid(id)?;
    let guid = std::str::from_utf8(&guid).ok()?;
    let at = table.binary_search_by(|(g, _)| (*g).cmp(guid)).ok()?;
    table.get(at).map(|(_, name)| *name)
}

/// Lowercase GUID bytes from a bare GUID or a `…/roleDefinitions/{guid}` id;
/// `None` unless the GUID has the 8-4-4-4-12 hex shape.
fn normalize_guid(id: &str) -> Option<[u8; GUID_LEN]> {
    let id = id.trim().as_bytes();
    let split = id.len().checked_sub(GUID_LEN)?;
    let (prefix, tail) = id.split_at_checked(split)?;
    if !prefix.is_empty() {
        const MARKER: &[u8] = b"/roledefinitions/";
        let at = prefix.len().checked_sub(MARKER.len())?;
        if !prefix.get(at..)?.eq_ignore_ascii_case(MARKER) {
            return None;
        }
    }
    let mut out = [0u8; GUID_LEN];
    for (i, (slot, &c)) in out.iter_mut().zip(tail).enumerate() {
        let dash = matches!(i, 8 | 13 | 18 | 23);
        if dash != (c == b'-') || (!dash && !c.is_ascii_hexdigit()) {
            return None;
        }
        *slot = c.to_ascii_lowercase();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table must be sorted, free of duplicates and hold canonical
    /// lowercase GUIDs, or binary search silently misses entries.
    fn assert_table_ok(table: &[(&str, &str)]) {
        for pair in table.windows(2) {
            assert!(pair[0].0 < pair[1].0, "not sorted/unique: {pair:?}");
        }
        for (guid, name) in table {
            let norm = normalize_guid(guid).expect("valid GUID");
            assert_eq!(&norm[..], guid.as_bytes(), "not lowercase: {guid}");
            assert!(
                !name.is_empty() && name.trim() == *name,
                "bad name {name:?}"
            );
        }
        let mut names: Vec<&str> = table.iter().map(|(_, n)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), table.len(), "duplicate role names");
    }

    #[test]
    fn tables_are_sorted_unique_and_canonical() {
        assert_table_ok(&AZURE_ROLES);
        assert_table_ok(&entra::ENTRA_ROLES);
        assert!(AZURE_ROLES.len() >= 80);
        assert!(entra::ENTRA_ROLES.len() >= 40);
    }

    #[test]
    #[rustfmt::skip]
    fn azure_lookups() {
        let cases = [
            ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner"),
            ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor"),
            ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"),
            ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator"),
            ("f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator"),
            ("0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", "Azure Kubernetes Service Cluster Admin Role"),
            ("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator"),
            ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor"),
            ("1c0163c0-47e6-4577-8991-ea5c82e286e4", "Virtual Machine Administrator Login"),
            ("4d97b98b-1d4f-4787-a291-c67834d212e7", "Network Contributor"),
            ("92aaf0da-9dab-42b6-94a3-d43ce8d16293", "Log Analytics Contributor"),
            ("fb1c8493-542b-48eb-b624-b4c8fea62acd", "Security Admin"),
            ("36243c78-bf99-498c-9df9-86d9f8d28608", "Resource Policy Contributor"),
            ("f353d9bd-d4a6-484e-a77a-8050b599b867", "Automation Contributor"),
            ("f1a07417-d97a-45cb-824c-7a7467783830", "Managed Identity Operator"),
            ("b64e21ea-ac4e-4cdf-9dc9-5b892992bee7", "Azure Connected Machine Onboarding"),
        ];
        for (guid, name) in cases {
            assert_eq!(azure_role_name(guid), Some(name), "{guid}");
        }
    }

    #[test]
    fn azure_id_shapes() {
        let owner = Some("Owner");
        let sub = "/subscriptions/00000000-0000-0000-0000-000000000000";
        for id in [
            "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635".to_string(),
            "  8e3af657-a8ff-443c-a75c-2fe8c4bcb635\n".to_string(),
            "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
                .to_string(),
            format!("{sub}/providers/microsoft.authorization/ROLEDEFINITIONS/8E3AF657-a8ff-443c-a75c-2fe8c4bcb635"),
            format!(" {sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635 "),
        ] {
            assert_eq!(azure_role_name(&id), owner, "{id}");
        }
        for id in [
            "",
            "Owner",
            "8e3af657a8ff443ca75c2fe8c4bcb635",
            "{8e3af657-a8ff-443c-a75c-2fe8c4bcb635}",
            "x8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "/roleAssignments/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb63g",
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635/",
            "00000000-0000-0000-0000-000000000000",
            "é8e3af657-a8ff-443c-a75c-2fe8c4bcb63",
        ] {
            assert_eq!(azure_role_name(id), None, "{id}");
        }
    }

    #[test]
    #[rustfmt::skip]
    fn entra_lookups() {
        let cases = [
            ("62e90394-69f5-4237-9190-012177145e10", "Global Administrator"),
            ("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator"),
            ("9B895D92-2CD3-44C7-9D02-A6AC2D5EA5C3", "Application Administrator"),
            (" 194ae4cb-b126-40b2-bd5b-6091b380977d ", "Security Administrator"),
            ("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers"),
            ("/roleManagement/directory/roleDefinitions/fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
        ];
        for (guid, name) in cases {
            assert_eq!(entra_role_name(guid), Some(name), "{guid}");
        }
        // The two tables are separate namespaces.
        assert_eq!(entra_role_name("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), None);
        assert_eq!(azure_role_name("62e90394-69f5-4237-9190-012177145e10"), None);
    }

    #[test]
    #[rustfmt::skip]
    fn privileged_roles() {
        for name in PRIVILEGED_AZURE_ROLES {
            assert!(AZURE_ROLES.iter().any(|(_, n)| *n == name), "{name} not in table");
            assert!(is_privileged_azure_role(name));
        }
        assert!(is_privileged_azure_role(" owner "));
        for name in ["Reader", "Key Vault Administrator", "Network Contributor", "", "Own"] {
            assert!(!is_privileged_azure_role(name), "{name}");
        }
        for name in entra::PRIVILEGED {
            assert!(entra::ENTRA_ROLES.iter().any(|(_, n)| *n == name), "{name} not in table");
            assert!(is_privileged_entra_role(name));
        }
        for name in ["global administrator", "Company Administrator", "Partner Tier 2 Support"] {
            assert!(is_privileged_entra_role(name), "{name}");
        }
        for name in ["Directory Readers", "Exchange Administrator", "Reports Reader", ""] {
            assert!(!is_privileged_entra_role(name), "{name}");
        }
    }
}
