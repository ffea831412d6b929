//! Criterion benchmarks of the read path, on generated Activity Log JSON Lines (seeded, the
//! same generator as `scripts/bench-cli.sh`): the parse-only baseline, classification and
//! normalization per record, and the whole pipeline on one and two worker threads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use azhunt_gen::generate::{GenOptions, Shape, generate};
use azhunt_ingest::classify::classify;
use azhunt_ingest::normalize::normalize;
use azhunt_ingest::{ReadOptions, Sink, read_events};
use azhunt_model::{Source, Value};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;

const EVENTS: u64 = 20_000;

fn corpus(shape: Shape) -> Vec<u8> {
    let opts = GenOptions {
        shape,
        events: EVENTS,
        seed: 7,
        start: 1_790_000_000 * 10_000_000,
        days: 7.0,
    };
    let mut out = Vec::new();
    generate(&opts, &mut out).unwrap();
    out
}

struct Count(u64);
impl Sink<()> for Count {
    fn accept(&mut self, _: ()) {
        self.0 += 1;
    }
}

fn bench(c: &mut Criterion) {
    for (name, shape) in [
        ("rest", Shape::ActivityJsonl),
        ("diagnostic", Shape::ActivityDiagJsonl),
    ] {
        let data = corpus(shape);
        let lines: Vec<&[u8]> = data
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let mut g = c.benchmark_group(format!("read-{name}"));
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.sample_size(10);
        g.bench_function("parse-only", |b| {
            b.iter(|| {
                lines
                    .iter()
                    .map(|l| sonic_rs::from_slice::<Value>(l).map(|_| 1u64).unwrap_or(0))
                    .sum::<u64>()
            })
        });
        g.bench_function("parse+classify+normalize", |b| {
            let path: Arc<str> = Arc::from("bench");
            b.iter(|| {
                let mut n = 0u64;
                for (i, l) in lines.iter().enumerate() {
                    let v: Value = sonic_rs::from_slice(l).unwrap();
                    let schema = classify(&v, None).unwrap();
                    let src = Source {
                        path: path.clone(),
                        record: i as u64,
                        line: None,
                    };
                    n += u64::from(normalize(v, schema, src, l).is_ok());
                }
                n
            })
        });
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("corpus.jsonl");
        std::fs::write(&file, &data).unwrap();
        for threads in [1, 2] {
            g.bench_function(format!("pipeline-{threads}-threads"), |b| {
                b.iter(|| {
                    let mut sink = Count(0);
                    let opts = ReadOptions {
                        family: None,
                        threads,
                    };
                    read_events(std::slice::from_ref(&file), &opts, |_, _| (), &mut sink).unwrap();
                    sink.0
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
