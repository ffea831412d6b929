//! Tests of the generator: determinism, per-shape JSON validity and keys, time span.

use super::*;
use sonic_rs::{JsonContainerTrait as _, JsonValueTrait as _, Value};
use xxhash_rust::xxh3::xxh3_64;

const START: i64 = 1_790_812_800 * TICKS_PER_SEC; // 2026-10-01T00:00:00Z

fn opts(shape: Shape, events: u64, seed: u64, days: f64) -> GenOptions {
    GenOptions {
        shape,
        events,
        seed,
        start: START,
        days,
    }
}

fn gen_bytes(o: &GenOptions) -> Vec<u8> {
    let mut out = Vec::new();
    let st = generate(o, &mut out).expect("generate");
    assert_eq!(st.bytes, out.len() as u64);
    out
}

fn lines(buf: &[u8]) -> Vec<Value> {
    buf.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            sonic_rs::from_slice::<Value>(l)
                .unwrap_or_else(|e| panic!("bad JSON line: {e}: {}", String::from_utf8_lossy(l)))
        })
        .collect()
}

fn has_keys(v: &Value, keys: &[&str]) {
    for k in keys {
        assert!(v.get(k).is_some(), "missing {k} in {v}");
    }
}

fn ticks_of(s: &str) -> i64 {
    let ts: jiff::Timestamp = s.parse().expect("timestamp");
    (ts.as_nanosecond() / 100) as i64
}

#[test]
fn same_seed_is_byte_identical_and_seeds_differ() {
    for shape in [
        Shape::ActivityJsonl,
        Shape::ActivityDiagJsonl,
        Shape::ActivityArray,
        Shape::ActivityPages,
        Shape::SigninGraphJsonl,
    ] {
        let o = opts(shape, 5000, 7, 30.0);
        let a = xxh3_64(&gen_bytes(&o));
        let b = xxh3_64(&gen_bytes(&o));
        assert_eq!(a, b, "{shape:?}");
        let c = xxh3_64(&gen_bytes(&opts(shape, 5000, 8, 30.0)));
        assert_ne!(a, c, "{shape:?}");
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let o = opts(Shape::ActivityJsonl, 3 * BLOCK + 17, 3, 30.0);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool")
        .install(|| gen_bytes(&o));
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("pool")
        .install(|| gen_bytes(&o));
    assert_eq!(xxh3_64(&one), xxh3_64(&four));
}

const REST_KEYS: &[&str] = &[
    "authorization",
    "caller",
    "channels",
    "claims",
    "correlationId",
    "description",
    "eventDataId",
    "eventName",
    "category",
    "eventTimestamp",
    "httpRequest",
    "id",
    "level",
    "operationId",
    "operationName",
    "properties",
    "resourceProviderName",
    "resourceType",
    "resourceId",
    "status",
    "subStatus",
    "submissionTimestamp",
    "tenantId",
];

#[test]
fn activity_jsonl_records_have_rest_shape() {
    let buf = gen_bytes(&opts(Shape::ActivityJsonl, 20_000, 42, 30.0));
    let recs = lines(&buf);
    assert_eq!(recs.len(), 20_000);
    let avg = buf.len() / recs.len();
    assert!((2600..3800).contains(&avg), "average record size {avg}");
    let (mut tenant, mut mg, mut role, mut started, mut succeeded, mut policy) = (0, 0, 0, 0, 0, 0);
    let mut corr_started = std::collections::HashSet::new();
    let mut paired = 0;
    for v in &recs {
        has_keys(v, REST_KEYS);
        let rid = v["resourceId"].as_str().expect("resourceId");
        let id = v["id"].as_str().expect("id");
        assert!(id.starts_with(rid) && id.contains("/events/") && id.contains("/ticks/"));
        let ts = v["eventTimestamp"].as_str().expect("ts");
        assert_eq!(ts.len(), 28, "{ts}");
        let claims = &v["claims"];
        assert!(claims.as_object().expect("claims").len() >= 13);
        let idtyp = claims["idtyp"].as_str().expect("idtyp");
        if idtyp == "user" {
            assert!(claims.as_object().expect("claims").len() >= 20);
            assert!(
                v["caller"]
                    .as_str()
                    .expect("caller")
                    .ends_with("@contoso-gen.example")
            );
        }
        if rid == "/providers/Microsoft.Authorization" {
            tenant += 1;
            assert!(v.get("subscriptionId").is_none());
        } else if rid.starts_with("/providers/Microsoft.Management/managementGroups/") {
            mg += 1;
        } else {
            assert!(
                v["subscriptionId"]
                    .as_str()
                    .is_some_and(|s| rid.contains(s))
            );
        }
        let op = v["operationName"]["value"].as_str().expect("op");
        let status = v["status"]["value"].as_str().expect("status");
        let corr = v["correlationId"].as_str().expect("corr").to_owned();
        if v["category"]["value"].as_str() == Some("Policy") {
            policy += 1;
        }
        match status {
            "Started" => {
                started += 1;
                corr_started.insert(corr);
            }
            "Succeeded" => {
                succeeded += 1;
                paired += usize::from(corr_started.contains(&corr));
            }
            _ => {}
        }
        if op == "Microsoft.Authorization/roleAssignments/write" && status == "Started" {
            role += 1;
            let body = v["properties"]["requestbody"]
                .as_str()
                .expect("requestbody");
            let body: Value = sonic_rs::from_str(body).expect("body JSON");
            assert!(
                body["Properties"]["RoleDefinitionId"]
                    .as_str()
                    .expect("def")
                    .contains("/roleDefinitions/")
            );
        }
    }
    assert!(
        tenant > 0 && mg > 0 && role > 0 && policy > 0,
        "tenant={tenant} mg={mg} role={role} policy={policy}"
    );
    assert!(started > 5000 && succeeded > 5000);
    assert!(
        paired * 10 > succeeded * 8,
        "Started/Succeeded pairs share correlationId"
    );
    let ops: std::collections::HashSet<&str> = recs
        .iter()
        .filter_map(|v| v["operationName"]["value"].as_str())
        .collect();
    assert!(ops.len() >= 45, "{} distinct operations", ops.len());
    let mut seen = std::collections::HashSet::new();
    let dups = buf
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && !seen.insert(*l))
        .count();
    assert!((3..=60).contains(&dups), "{dups} duplicates");
}

#[test]
fn diag_records_have_diagnostic_shape() {
    let buf = gen_bytes(&opts(Shape::ActivityDiagJsonl, 3000, 42, 30.0));
    for v in lines(&buf) {
        has_keys(
            &v,
            &[
                "time",
                "resourceId",
                "operationName",
                "category",
                "resultType",
                "resultSignature",
                "durationMs",
                "callerIpAddress",
                "correlationId",
                "identity",
                "level",
                "location",
                "properties",
            ],
        );
        let rid = v["resourceId"].as_str().expect("rid");
        assert_eq!(rid, rid.to_uppercase());
        assert!(
            ["Start", "Accept", "Success", "Failure"]
                .contains(&v["resultType"].as_str().expect("rt"))
        );
        has_keys(&v["identity"], &["authorization", "claims"]);
        has_keys(
            &v["properties"],
            &["eventCategory", "entity", "message", "hierarchy"],
        );
    }
}

#[test]
fn array_shape_is_one_pretty_array() {
    let buf = gen_bytes(&opts(Shape::ActivityArray, 500, 42, 30.0));
    assert!(buf.starts_with(b"[\n  {\n    \"authorization\": {"));
    let v: Value = sonic_rs::from_slice(&buf).expect("array JSON");
    let arr = v.as_array().expect("array");
    assert_eq!(arr.len(), 500);
    for e in arr.iter() {
        has_keys(e, REST_KEYS);
    }
    let empty = gen_bytes(&opts(Shape::ActivityArray, 0, 42, 30.0));
    assert_eq!(empty, b"[]\n");
}

#[test]
fn pages_shape_has_value_and_next_link() {
    let buf = gen_bytes(&opts(Shape::ActivityPages, 1050, 42, 30.0));
    let pages = lines(&buf);
    assert_eq!(pages.len(), 6);
    let mut total = 0;
    for (i, p) in pages.iter().enumerate() {
        let n = p["value"].as_array().expect("value").len();
        total += n;
        assert_eq!(p.get("nextLink").is_some(), i + 1 < pages.len());
        for e in p["value"].as_array().expect("value").iter() {
            has_keys(e, REST_KEYS);
        }
    }
    assert_eq!(total, 1050);
}

#[test]
fn signin_records_have_graph_shape() {
    let buf = gen_bytes(&opts(Shape::SigninGraphJsonl, 3000, 42, 30.0));
    let recs = lines(&buf);
    assert_eq!(recs.len(), 3000);
    let mut failures = 0;
    for v in &recs {
        has_keys(
            v,
            &[
                "id",
                "createdDateTime",
                "userPrincipalName",
                "userId",
                "appId",
                "appDisplayName",
                "ipAddress",
                "clientAppUsed",
                "correlationId",
                "conditionalAccessStatus",
                "isInteractive",
                "status",
                "deviceDetail",
                "location",
                "riskDetail",
                "riskLevelAggregated",
                "riskLevelDuringSignIn",
                "riskState",
                "resourceDisplayName",
                "appliedConditionalAccessPolicies",
            ],
        );
        has_keys(&v["status"], &["errorCode", "failureReason"]);
        has_keys(
            &v["location"],
            &["city", "state", "countryOrRegion", "geoCoordinates"],
        );
        failures += usize::from(v["status"]["errorCode"].as_i64() != Some(0));
    }
    assert!(failures > 100 && failures < 1000, "{failures} failures");
}

#[test]
fn times_span_the_requested_days() {
    for (shape, key) in [
        (Shape::ActivityJsonl, "eventTimestamp"),
        (Shape::ActivityDiagJsonl, "time"),
        (Shape::SigninGraphJsonl, "createdDateTime"),
    ] {
        for days in [2.0, 30.0] {
            let buf = gen_bytes(&opts(shape, 6000, 1, days));
            let span = (days * 86_400.0) as i64 * TICKS_PER_SEC;
            let times: Vec<i64> = lines(&buf)
                .iter()
                .map(|v| ticks_of(v[key].as_str().expect("time")))
                .collect();
            let (min, max) = (
                times.iter().min().copied().unwrap_or(0),
                times.iter().max().copied().unwrap_or(0),
            );
            assert!(
                min >= START && max < START + span,
                "{shape:?} {days}: outside span"
            );
            assert!(
                max - min > span * 9 / 10,
                "{shape:?} {days}: covers too little"
            );
            // Mostly but not strictly ordered.
            let inversions = times.windows(2).filter(|w| w[1] < w[0]).count();
            // (Sparse corpora have gaps far wider than the source lag, so only dense ones interleave.)
            if days < 10.0 {
                assert!(inversions > 0, "{shape:?} {days}: strictly ordered");
            }
            assert!(
                inversions < times.len() / 2,
                "{shape:?} {days}: {inversions} inversions"
            );
            let worst = times.iter().scan(i64::MIN, |m, &t| {
                *m = (*m).max(t);
                Some(*m - t)
            });
            assert!(
                worst.max().unwrap_or(0) < 10 * 60 * TICKS_PER_SEC,
                "{shape:?}: out of order by > 10 min"
            );
        }
    }
}
