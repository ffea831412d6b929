//! Matching throughput of the SigmaHQ Azure corpus over synthetic activity-log records, with
//! and without the operation-name index, and with the records' JSON text offered to the keyword
//! search (`Document::raw_json`).

use azhunt_sigma::{
    Document, FieldKey, FieldResolver, JsonDocument, JsonResolver, LoadOptions, RuleSet, Scalar,
    load_dir,
};
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

/// A JSON document that also offers the text it was parsed from.
struct WithJson<'a> {
    inner: JsonDocument<'a>,
    json: &'a [u8],
}

impl Document for WithJson<'_> {
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        self.inner.any_value(key, f)
    }
    fn has(&self, key: FieldKey) -> bool {
        self.inner.has(key)
    }
    fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        self.inner.any_text(f)
    }
    fn time_ms(&self) -> i64 {
        0
    }
    fn raw_json(&self) -> Option<&[u8]> {
        Some(self.json)
    }
}

fn bench(c: &mut Criterion) {
    let ops = [
        "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE",
        "MICROSOFT.KEYVAULT/VAULTS/DELETE",
        "MICROSOFT.STORAGE/STORAGEACCOUNTS/READ",
    ];
    let texts: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"operationName":"{}","category":"Administrative","resultType":"Success","callerIpAddress":"10.0.0.{}","properties":{{"message":"m{}"}}}}"#,
                ops[i % ops.len()],
                i % 250,
                i
            )
        })
        .collect();
    let docs: Vec<sonic_rs::Value> = texts
        .iter()
        .map(|j| sonic_rs::from_str(j).unwrap_or_default())
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
    let (set, r) = setup(true);
    g.bench_function("corpus_indexed_json_text", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (d, t) in docs.iter().zip(&texts) {
                let doc = WithJson {
                    inner: JsonDocument::new(d, &r),
                    json: t.as_bytes(),
                };
                set.matches(&doc, u32::MAX, &mut |_| n += 1);
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
