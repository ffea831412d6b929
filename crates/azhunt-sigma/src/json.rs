//! Reference [`Document`]/[`FieldResolver`] over `sonic_rs::Value`: field names are interned and
//! resolved as dotted paths, case-insensitively, through objects and arrays. It makes the engine
//! testable on its own and lets corpus rules run over plain JSON records.

use crate::{Document, FieldKey, FieldResolver, Scalar};
use sonic_rs::{JsonContainerTrait, JsonValueTrait, Value};
use std::collections::HashMap;

/// Depth limit of the JSON walks (guards the stack on hostile records).
const MAX_DEPTH: usize = 128;

/// Interns Sigma field names (case-insensitively) as dotted paths.
#[derive(Debug, Default, Clone)]
pub struct JsonResolver {
    by_name: HashMap<String, u32>,
    paths: Vec<(String, Vec<String>)>,
}

impl JsonResolver {
    pub fn new() -> JsonResolver {
        JsonResolver::default()
    }

    /// The name a key was first resolved from.
    pub fn name(&self, key: FieldKey) -> Option<&str> {
        self.paths.get(key.0 as usize).map(|p| p.0.as_str())
    }
}

impl FieldResolver for JsonResolver {
    fn resolve(&mut self, name: &str) -> FieldKey {
        let lower = name.to_ascii_lowercase();
        if let Some(&k) = self.by_name.get(&lower) {
            return FieldKey(k);
        }
        let k = self.paths.len() as u32;
        let segs = lower.split('.').map(str::to_string).collect();
        self.paths.push((name.to_string(), segs));
        self.by_name.insert(lower, k);
        FieldKey(k)
    }
}

/// A JSON record viewed through a [`JsonResolver`].
#[derive(Debug, Clone, Copy)]
pub struct JsonDocument<'a> {
    value: &'a Value,
    resolver: &'a JsonResolver,
    time_ms: i64,
}

impl<'a> JsonDocument<'a> {
    pub fn new(value: &'a Value, resolver: &'a JsonResolver) -> JsonDocument<'a> {
        JsonDocument {
            value,
            resolver,
            time_ms: 0,
        }
    }

    pub fn with_time_ms(mut self, t: i64) -> JsonDocument<'a> {
        self.time_ms = t;
        self
    }
}

fn emit(v: &Value, f: &mut dyn FnMut(Scalar<'_>) -> bool, depth: usize) -> bool {
    if let Some(s) = v.as_str() {
        f(Scalar::Str(s))
    } else if v.is_null() {
        f(Scalar::Null)
    } else if let Some(b) = v.as_bool() {
        f(Scalar::Bool(b))
    } else if let Some(i) = v.as_i64() {
        f(Scalar::Int(i))
    } else if let Some(x) = v.as_f64() {
        f(Scalar::Float(x))
    } else if let Some(a) = v.as_array() {
        depth < MAX_DEPTH && a.iter().any(|x| emit(x, f, depth + 1))
    } else {
        // An object: offered as its JSON text.
        let text = sonic_rs::to_string(v).unwrap_or_default();
        f(Scalar::Str(&text))
    }
}

/// Walks `segs` below `v`; `found` reports whether the path exists at all.
fn walk(v: &Value, segs: &[String], f: &mut dyn FnMut(&Value) -> bool, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some((first, rest)) = segs.split_first() else {
        return f(v);
    };
    if let Some(obj) = v.as_object() {
        for (k, child) in obj.iter() {
            if k.eq_ignore_ascii_case(first) && walk(child, rest, f, depth + 1) {
                return true;
            }
            // A key that itself contains dots ("properties.x") matches several segments.
            if k.contains('.') && k.len() > first.len() {
                let n = k.split('.').count();
                if n <= segs.len()
                    && k.eq_ignore_ascii_case(&segs[..n].join("."))
                    && walk(child, &segs[n..], f, depth + 1)
                {
                    return true;
                }
            }
        }
        false
    } else if let Some(arr) = v.as_array() {
        arr.iter().any(|x| walk(x, segs, f, depth + 1))
    } else {
        false
    }
}

fn texts(v: &Value, f: &mut dyn FnMut(&str) -> bool, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if let Some(s) = v.as_str() {
        f(s)
    } else if let Some(a) = v.as_array() {
        a.iter().any(|x| texts(x, f, depth + 1))
    } else if let Some(o) = v.as_object() {
        o.iter().any(|(_, x)| texts(x, f, depth + 1))
    } else {
        false
    }
}

impl Document for JsonDocument<'_> {
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        let Some((_, segs)) = self.resolver.paths.get(key.0 as usize) else {
            return false;
        };
        walk(self.value, segs, &mut |v| emit(v, f, 0), 0)
    }

    fn has(&self, key: FieldKey) -> bool {
        let Some((_, segs)) = self.resolver.paths.get(key.0 as usize) else {
            return false;
        };
        walk(self.value, segs, &mut |_| true, 0)
    }

    fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        texts(self.value, f, 0)
    }

    fn time_ms(&self) -> i64 {
        self.time_ms
    }
}
