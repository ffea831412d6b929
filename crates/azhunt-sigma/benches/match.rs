//! Matching throughput of the SigmaHQ Azure corpus over synthetic activity-log records, with
//! and without the operation-name index.

use azhunt_sigma::{FieldResolver, JsonDocument, JsonResolver, LoadOptions, RuleSet, load_dir};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn setup(indexed: bool) -> (RuleSet, JsonResolver) {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/sigma-azure/rules");
    let mut r = JsonResolver::new();
    let l = load_dir(dir, &mut r, &LoadOptions::default());
    let (mut set, _) = RuleSet::new(l.rules, l.correlations);
    if indexed {
        let k = r.resolve("operationName");
        set.index_on(k);
    }
    (set, r)
}

fn bench(c: &mut Criterion) {
    let ops = [
        "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
        "MICROSOFT.KEYVAULT/VAULTS/DELETE",
        "MICROSOFT.STORAGE/STORAGEACCOUNTS/READ",
    ];
    let docs: Vec<sonic_rs::Value> = (0..300)
        .map(|i| {
            let j = format!(
                r#"{{"operationName":"{}","category":"Administrative","resultType":"Success","callerIpAddress":"10.0.0.{}","properties":{{"message":"m{}"}}}}"#,
                ops[i % ops.len()],
                i % 250,
                i
            );
            sonic_rs::from_str(&j).unwrap_or_default()
        })
        .collect();
    let mut g = c.benchmark_group("match");
    g.throughput(Throughput::Elements(docs.len() as u64));
    for indexed in [false, true] {
        let (set, r) = setup(indexed);
        g.bench_function(
            if indexed {
                "corpus_indexed"
            } else {
                "corpus_full_scan"
            },
            |b| {
                b.iter(|| {
                    let mut n = 0usize;
                    for d in &docs {
                        set.matches(&JsonDocument::new(d, &r), u32::MAX, &mut |_| n += 1);
                    }
                    black_box(n)
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
