//! Loads the SigmaHQ Azure corpus shipped in shared/ and runs a few of its rules over
//! hand-written JSON records, so parser coverage and real-rule semantics are checked together.

use azhunt_sigma::{ErrorKind, JsonDocument, JsonResolver, LoadOptions, Loaded, RuleSet, load_dir};
use std::path::PathBuf;

fn corpus(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/sigma-azure")
        .join(sub)
}

fn load(sub: &str, opts: &LoadOptions) -> (Loaded, JsonResolver) {
    let mut r = JsonResolver::new();
    let l = load_dir(corpus(sub), &mut r, opts);
    (l, r)
}

fn report(name: &str, l: &Loaded) {
    eprintln!(
        "{name}: {} files, {} rules, {} correlations, {} errors",
        l.files,
        l.rules.len(),
        l.correlations.len(),
        l.errors.len()
    );
    for e in &l.errors {
        eprintln!("  {e}");
    }
}

#[test]
fn every_rule_in_the_main_corpus_loads() {
    let (l, _) = load("rules", &LoadOptions::default());
    report("rules", &l);
    assert!(
        l.files >= 100,
        "corpus not found at {}",
        corpus("rules").display()
    );
    assert!(l.errors.is_empty(), "{} files failed", l.errors.len());
    assert_eq!(l.rules.len() + l.correlations.len(), l.files);
}

#[test]
fn other_corpus_folders_load_or_fail_clearly() {
    let (hunt, _) = load("rules-threat-hunting", &LoadOptions::default());
    report("rules-threat-hunting", &hunt);
    assert!(hunt.errors.is_empty());
    let (dep, _) = load("deprecated", &LoadOptions::default());
    report("deprecated", &dep);
    // Deprecated rules load, except those using placeholders, which must name them.
    assert!(dep.rules.len() >= 4);
    for e in &dep.errors {
        assert!(
            matches!(&e.kind, ErrorKind::UnknownPlaceholder { .. }),
            "{e}"
        );
    }

    // Without a placeholder map every placeholder rule is rejected, naming the placeholder.
    let (ph, _) = load("rules-placeholder", &LoadOptions::default());
    report("rules-placeholder (no map)", &ph);
    assert!(ph.files > 0);
    assert_eq!(ph.errors.len(), ph.files);
    for e in &ph.errors {
        assert!(
            matches!(&e.kind, ErrorKind::UnknownPlaceholder { name, .. } if !name.is_empty()),
            "{e}"
        );
        assert!(e.to_string().contains("unknown placeholder '%"), "{e}");
    }
    // With the wildcard policy they all load.
    let opts = LoadOptions {
        unknown_placeholder: azhunt_sigma::PlaceholderPolicy::Wildcard,
        ..Default::default()
    };
    let (ph, _) = load("rules-placeholder", &opts);
    report("rules-placeholder (wildcard)", &ph);
    assert!(ph.errors.is_empty());

    // The legacy aggregation syntax is rejected with a reason.
    let (un, _) = load("unsupported", &LoadOptions::default());
    report("unsupported", &un);
    assert!(
        un.errors
            .iter()
            .all(|e| e.to_string().contains("aggregation"))
    );
}

fn run(set: &RuleSet, r: &JsonResolver, json: &str) -> Vec<String> {
    let v: sonic_rs::Value = sonic_rs::from_str(json).unwrap_or_default();
    let doc = JsonDocument::new(&v, r);
    let mut hits = Vec::new();
    set.matches(&doc, u32::MAX, &mut |i| {
        hits.push(set.rules()[i].meta.title.clone())
    });
    hits
}

#[test]
fn corpus_rules_match_hand_written_records() {
    let (l, mut r) = load("rules", &LoadOptions::default());
    let (mut set, errs) = RuleSet::new(l.rules, l.correlations);
    assert!(errs.is_empty());
    let op = azhunt_sigma::FieldResolver::resolve(&mut r, "operationName");
    set.index_on(op);
    let (indexed, always) = set.index_stats().unwrap_or_default();
    eprintln!("index: {indexed} indexed, {always} always checked");
    assert!(
        indexed >= 30,
        "activity-log rules keyed on operationName are indexed"
    );

    let del_kv = r#"{"operationName":"MICROSOFT.KEYVAULT/VAULTS/DELETE","properties":{}}"#;
    let hits = run(&set, &r, del_kv);
    assert!(
        hits.iter()
            .any(|t| t == "Azure Key Vault Modified or Deleted"),
        "{hits:?}"
    );
    let benign = r#"{"operationName":"MICROSOFT.STORAGE/STORAGEACCOUNTS/READ"}"#;
    assert!(run(&set, &r, benign).is_empty());

    // Keyword rule: the literal anywhere in the record's text, case-insensitively.
    let grant = r#"{"operationName":"x","properties":{"op":"microsoft.authorization/ROLEASSIGNMENTS/write"}}"#;
    assert!(
        run(&set, &r, grant)
            .iter()
            .any(|t| t == "Granting Of Permissions To An Account")
    );

    // contains|all plus a list of ids in a nested array of objects (offered as JSON text).
    let admin = r#"{"Category":"RoleManagement","OperationName":"Add eligible member to role in PIM",
        "TargetResources":[{"id":"62e90394-69f5-4237-9190-012177145e10","type":"Role"}]}"#;
    assert!(
        run(&set, &r, admin)
            .iter()
            .any(|t| t == "Users Added to Global or Device Admin Roles")
    );
    let not_admin = r#"{"Category":"RoleManagement","OperationName":"Add member to group",
        "TargetResources":[{"id":"62e90394-69f5-4237-9190-012177145e10"}]}"#;
    assert!(
        !run(&set, &r, not_admin)
            .iter()
            .any(|t| t == "Users Added to Global or Device Admin Roles")
    );
}
