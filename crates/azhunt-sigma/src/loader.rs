//! Loading Sigma YAML from strings, files and directory trees: multi-document files,
//! `action: global`/`reset`/`repeat`, detection and correlation rules. Every rejected document
//! becomes a [`LoadError`] naming the file and the reason; nothing is skipped silently.

use crate::FieldResolver;
use crate::correlation::CorrelationRule;
use crate::detection::Ctx;
use crate::error::{ErrorKind, LoadError};
use crate::rule::Rule;
use serde::Deserialize;
use serde_yaml_ng::{Mapping, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to do with an `expand` placeholder that the placeholder map does not define.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlaceholderPolicy {
    /// Reject the rule (the specification: a tool that cannot handle a placeholder must reject
    /// the rule). The error names the placeholder.
    #[default]
    Error,
    /// Replace it with `*` (pySigma's "wildcard placeholders", a last resort: the rule then
    /// matches any value of that field).
    Wildcard,
}

/// Load-time settings.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Placeholder name (without `%`) → values (each a Sigma string; wildcards allowed; ORed).
    pub placeholders: HashMap<String, Vec<String>>,
    pub unknown_placeholder: PlaceholderPolicy,
}

/// Rules and correlations that loaded, plus one error per rejected document or file.
#[derive(Debug, Default)]
pub struct Loaded {
    pub rules: Vec<Rule>,
    pub correlations: Vec<CorrelationRule>,
    pub errors: Vec<LoadError>,
    /// Files read (for directory loads).
    pub files: usize,
}

impl Loaded {
    pub fn extend(&mut self, other: Loaded) {
        self.rules.extend(other.rules);
        self.correlations.extend(other.correlations);
        self.errors.extend(other.errors);
        self.files += other.files;
    }
}

fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Mapping(out)
        }
        (_, o) => o.clone(),
    }
}

fn label(m: &Mapping) -> Option<String> {
    ["title", "id", "name"]
        .iter()
        .find_map(|k| match m.get(*k) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        })
}

/// Loads every YAML document in `src`; `path` is used for error messages and [`Rule::path`].
pub fn load_str(
    src: &str,
    path: impl AsRef<Path>,
    resolver: &mut dyn FieldResolver,
    opts: &LoadOptions,
) -> Loaded {
    let path = path.as_ref().to_path_buf();
    let mut out = Loaded {
        files: 1,
        ..Default::default()
    };
    let err = |document: Option<usize>, rule: Option<String>, kind: ErrorKind| LoadError {
        path: path.clone(),
        document,
        rule,
        kind,
    };
    let mut docs = Vec::new();
    for (i, de) in serde_yaml_ng::Deserializer::from_str(src).enumerate() {
        match Value::deserialize(de) {
            Ok(v) => docs.push(v),
            Err(e) => {
                let loc = e.location();
                out.errors.push(err(
                    Some(i),
                    None,
                    ErrorKind::Yaml {
                        message: e.to_string(),
                        line: loc.as_ref().map(|l| l.line()),
                        column: loc.map(|l| l.column()),
                    },
                ));
                return out;
            }
        }
    }
    let mut global: Option<Value> = None;
    let mut previous: Option<Value> = None;
    let mut cx = Ctx { resolver, opts };
    for (i, doc) in docs.into_iter().enumerate() {
        let doc = match doc {
            Value::Null => continue,
            Value::Mapping(_) => doc,
            _ => {
                out.errors.push(err(
                    Some(i),
                    None,
                    ErrorKind::InvalidAttribute {
                        attr: "document".into(),
                        reason: "a rule must be a YAML map".into(),
                    },
                ));
                continue;
            }
        };
        let action = match &doc {
            Value::Mapping(m) => match m.get("action") {
                Some(Value::String(a)) => Some(a.clone()),
                _ => None,
            },
            _ => None,
        };
        let strip = |v: &Value| {
            let mut v = v.clone();
            if let Value::Mapping(m) = &mut v {
                m.remove("action");
            }
            v
        };
        let doc = match action.as_deref() {
            Some("global") => {
                global = Some(strip(&doc));
                continue;
            }
            Some("reset") => {
                global = None;
                continue;
            }
            Some("repeat") => match &previous {
                Some(p) => merge(p, &strip(&doc)),
                None => {
                    out.errors.push(err(
                        Some(i),
                        None,
                        ErrorKind::InvalidAttribute {
                            attr: "action".into(),
                            reason: "'repeat' without a previous rule".into(),
                        },
                    ));
                    continue;
                }
            },
            Some("correlation") | None => match &global {
                Some(g) => merge(g, &doc),
                None => doc,
            },
            Some(other) => {
                let m = if let Value::Mapping(m) = &doc {
                    label(m)
                } else {
                    None
                };
                out.errors.push(err(
                    Some(i),
                    m,
                    ErrorKind::Unsupported(format!("action '{other}'")),
                ));
                continue;
            }
        };
        previous = Some(doc.clone());
        let Value::Mapping(m) = &doc else { continue };
        let name = label(m);
        if m.contains_key("correlation") {
            match CorrelationRule::parse(m, &mut cx) {
                Ok(mut c) => {
                    c.path = path.clone();
                    out.correlations.push(c);
                }
                Err(kind) => out.errors.push(err(Some(i), name, kind)),
            }
        } else if m.contains_key("filter") && !m.contains_key("detection") {
            out.errors.push(err(
                Some(i),
                name,
                ErrorKind::Unsupported("Sigma filter (meta) rules".into()),
            ));
        } else {
            match Rule::parse(m, &mut cx) {
                Ok(mut r) => {
                    r.path = path.clone();
                    out.rules.push(r);
                }
                Err(kind) => out.errors.push(err(Some(i), name, kind)),
            }
        }
    }
    out
}

/// Loads one file.
pub fn load_file(
    path: impl AsRef<Path>,
    resolver: &mut dyn FieldResolver,
    opts: &LoadOptions,
) -> Loaded {
    let path = path.as_ref();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => load_str(&s, path, resolver, opts),
            Err(_) => io_error(path, "file is not valid UTF-8".into()),
        },
        Err(e) => io_error(path, e.to_string()),
    }
}

fn io_error(path: &Path, msg: String) -> Loaded {
    Loaded {
        files: 1,
        errors: vec![LoadError {
            path: path.to_path_buf(),
            document: None,
            rule: None,
            kind: ErrorKind::Io(msg),
        }],
        ..Default::default()
    }
}

/// Loads every `.yml`/`.yaml` file under `dir` (recursively, in path order).
pub fn load_dir(
    dir: impl AsRef<Path>,
    resolver: &mut dyn FieldResolver,
    opts: &LoadOptions,
) -> Loaded {
    let mut files = Vec::new();
    let mut out = Loaded::default();
    let mut stack: Vec<PathBuf> = vec![dir.as_ref().to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                out.extend(io_error(&d, e.to_string()));
                continue;
            }
        };
        for entry in entries {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                        files.push(p);
                    }
                }
                Err(e) => out.extend(io_error(&d, e.to_string())),
            }
        }
    }
    files.sort();
    for f in files {
        out.extend(load_file(&f, resolver, opts));
    }
    out
}
