//! Whole-pipeline robustness: any bytes in any framing are read without panicking, and the
//! per-file counts always reconcile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use azhunt_ingest::{ReadOptions, Sink, read_events};
use proptest::prelude::*;

struct Count(u64);
impl Sink<()> for Count {
    fn accept(&mut self, _: ()) {
        self.0 += 1;
    }
}

fn read_bytes(name: &str, data: &[u8]) -> (azhunt_ingest::Summary, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    let mut sink = Count(0);
    let opts = ReadOptions {
        family: None,
        threads: 2,
    };
    let summary = read_events(&[path], &opts, |_, _| (), &mut sink).unwrap();
    (summary, sink.0)
}

const SEEDS: [&str; 7] = [
    r#"{"eventTimestamp":"2026-11-10T10:00:00Z","operationName":{"value":"A/b/write"},"eventDataId":"1","properties":{"requestbody":"{\"Properties\":{\"RoleDefinitionId\":\"x\"}}"}}"#,
    r#"{"time":"2026-11-10T10:00:00Z","category":"kube-audit","resourceId":"/S","properties":{"log":"{\"verb\":\"get\",\"objectRef\":{\"resource\":\"secrets\"}}"}}"#,
    r#"{"value":[{"activityDateTime":"2026-11-10T10:00:00Z","activityDisplayName":"Add member to role","targetResources":[{"modifiedProperties":[{"displayName":"Role.DisplayName","newValue":"\"Global Administrator\""}]}]}]}"#,
    r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"OperationNameValue","type":"string"}],"rows":[["2026-11-10T10:00:00Z","X/y/z"]]}]}"#,
    "TimeGenerated [UTC],OperationNameValue,Properties\r\n\"11/10/2026, 10:00:00.000 AM\",a/b/c,\"{\r\n\"\"requestbody\"\": 1}\"\r\n",
    "TimeGenerated [UTC],Category,ResourceProvider,OperationName,identity_claim_oid_g,log_s,Type\r\n\"11/10/2026, 10:00:00.000 AM\",AuditEvent,MICROSOFT.KEYVAULT,SecretGet,o1,,AzureDiagnostics\r\n\"11/10/2026, 10:00:01.000 AM\",kube-audit,,,,\"{\"\"verb\"\":\"\"get\"\"}\",AzureDiagnostics\r\n",
    r#"[{"TimeGenerated":"2026-11-10T10:00:00Z","Verb":"create","User":"{\"username\":\"u\"}","ObjectRef":{"resource":"pods","subresource":"exec"},"SourceIps":["1.2.3.4"],"ResponseStatus":"{\"code\":101}","Type":"AKSAudit"}]"#,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_reconcile(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let (summary, accepted) = read_bytes("x", &data);
        prop_assert!(summary.reconciles());
        prop_assert_eq!(summary.normalized(), accepted);
    }

    #[test]
    fn mutated_real_shapes_reconcile(seed in 0usize..SEEDS.len(), cut in 0usize..400, flips in proptest::collection::vec((0usize..400, any::<u8>()), 0..6), repeat in 1usize..4) {
        let mut data: Vec<u8> = Vec::new();
        for _ in 0..repeat {
            data.extend_from_slice(SEEDS[seed].as_bytes());
            data.push(b'\n');
        }
        for (pos, byte) in flips {
            if let Some(b) = data.get_mut(pos) { *b = byte; }
        }
        data.truncate(cut.max(1).min(data.len()));
        let (summary, accepted) = read_bytes("y.json", &data);
        prop_assert!(summary.reconciles());
        prop_assert_eq!(summary.normalized(), accepted);
    }
}

#[test]
fn unmodified_seeds_are_events() {
    for (i, seed) in SEEDS.iter().enumerate() {
        let (summary, accepted) = read_bytes("z", seed.as_bytes());
        // The AzureDiagnostics CSV seed holds a Key Vault and a kube-audit row.
        let expected = if seed.contains("kube-audit,") { 2 } else { 1 };
        assert_eq!(accepted, expected, "seed {i}: {:?}", summary.files);
    }
}
