//! An [`Event`] seen through compiled [`FieldSpec`]s: the [`Document`] the Sigma engine matches.
//!
//! Values are offered without copying where the event holds them (normalized strings, raw
//! scalars). Raw paths descend case-insensitively, flatten arrays (any element may match),
//! decode JSON that arrives inside strings (`requestbody`, `properties.log`, Log Analytics
//! `TargetResources`), accept Log Analytics' split `X_dynamic` / `X_string` columns, and, for
//! `properties.`-prefixed names on records without a `properties` object (Graph, Log
//! Analytics), retry the rest of the path at the top level. A `{value, localizedValue}` object
//! offers both strings.

use crate::fields::{FieldSpec, Norm, Place};
use azhunt_model::field::{decode_embedded, get_ci};
use azhunt_model::{Event, Value};
use azhunt_sigma::{Document, FieldKey, Scalar};
use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// An event paired with the specs of the resolver its rules were compiled with.
pub struct EventDoc<'a> {
    pub event: &'a Event,
    pub specs: &'a [FieldSpec],
    /// The JSON text `event.raw` was parsed from, when the reader had one.
    json: Option<&'a [u8]>,
    decoded: Decoded,
    /// The record's root `properties` member, looked up once: most raw paths start there, and
    /// finding it walks the root's members (a sonic-rs object walk, ~85 instructions a member).
    properties: OnceCell<Option<&'a Value>>,
}

impl<'a> EventDoc<'a> {
    pub fn new(event: &'a Event, specs: &'a [FieldSpec]) -> EventDoc<'a> {
        EventDoc {
            event,
            specs,
            json: None,
            decoded: Decoded::default(),
            properties: OnceCell::new(),
        }
    }

    /// The document with the JSON text its event's `raw` was parsed from (exactly that text:
    /// keyword searches read its strings instead of walking `raw`).
    pub fn with_json(mut self, json: Option<&'a [u8]>) -> EventDoc<'a> {
        self.json = json;
        self
    }
}

type Visit<'f> = &'f mut dyn FnMut(Scalar<'_>) -> bool;

/// Calls `f` with the normalized field's value, if the event has one.
pub fn norm_value(e: &Event, n: Norm, f: Visit<'_>) -> Option<bool> {
    let res = e.resource.as_ref();
    let role = e.role_assignment.as_ref();
    let auth = e.authorization.as_ref();
    let text: Option<&str> = match n {
        Norm::Log => Some(e.log.as_str()),
        Norm::Format => Some(e.format.as_str()),
        Norm::Operation => Some(e.operation.as_str()).filter(|s| !s.is_empty()),
        Norm::OperationDisplay => e.operation_display.as_deref(),
        Norm::Status => {
            // Statuses are canonical (`Succeeded`, `Failed`); rules written for Entra, Key
            // Vault or Kubernetes say `success` / `failure`, so both spellings are offered.
            let s = e.status.as_deref()?;
            let short = azhunt_model::result_word(s);
            return Some(f(Scalar::Str(s)) || short.is_some_and(|x| f(Scalar::Str(x))));
        }
        Norm::SubStatus => e.sub_status.as_deref(),
        Norm::Category => e.category.as_deref(),
        Norm::Caller => e.caller.display(),
        Norm::CallerUpn => e.caller.upn.as_deref(),
        Norm::CallerObjectId => e.caller.object_id.as_deref(),
        Norm::CallerAppId => e.caller.app_id.as_deref(),
        Norm::CallerName => e.caller.name.as_deref(),
        Norm::CallerType => Some(e.caller.kind.as_str()),
        Norm::Ip => e.ip.as_deref(),
        Norm::UserAgent => e.user_agent.as_deref(),
        Norm::Location => e.location.as_deref(),
        Norm::CorrelationId => e.correlation_id.as_deref(),
        Norm::EventId => Some(e.id.value.as_str()),
        Norm::TenantId => e.tenant_id.as_deref(),
        Norm::SubscriptionId => e.subscription_id.as_deref(),
        Norm::ResourceId => e.resource_id(),
        Norm::ResourceGroup => res.and_then(|r| r.resource_group()),
        Norm::ResourceProvider => e.resource_provider.as_deref(),
        Norm::ResourceType => res.and_then(|r| r.resource_type()),
        Norm::ResourceName => res.and_then(|r| r.name()),
        Norm::Scope => e.scope_level().map(|s| s.as_str()),
        Norm::AuthorizationAction => auth.and_then(|a| a.action.as_deref()),
        Norm::AuthorizationScope => auth.and_then(|a| a.scope.as_deref()),
        Norm::Role => role.and_then(|r| r.role_name.as_deref()),
        Norm::RolePrivileged => {
            return role.map(|r| f(Scalar::Bool(r.privileged)));
        }
        Norm::RoleDefinitionId => role.and_then(|r| r.role_definition_id.as_deref()),
        Norm::RolePrincipalId => role.and_then(|r| r.principal_id.as_deref()),
        Norm::RolePrincipalType => role.and_then(|r| r.principal_type.as_deref()),
        Norm::RoleScope => role.and_then(|r| r.scope.as_deref()),
    };
    text.map(|t| f(Scalar::Str(t)))
}

/// Offers a raw value: scalars as they are, arrays element by element, localizable
/// `{value, localizedValue}` objects as both strings, other objects as their JSON text.
fn emit(v: &Value, f: Visit<'_>) -> bool {
    if let Some(s) = v.as_str() {
        return f(Scalar::Str(s));
    }
    if let Some(b) = v.as_bool() {
        return f(Scalar::Bool(b));
    }
    if let Some(i) = v.as_i64() {
        return f(Scalar::Int(i));
    }
    if let Some(u) = v.as_u64() {
        return f(Scalar::Float(u as f64));
    }
    if let Some(x) = v.as_f64() {
        return f(Scalar::Float(x));
    }
    if v.is_null() {
        return f(Scalar::Null);
    }
    if let Some(arr) = v.as_array() {
        return arr.iter().any(|x| emit(x, f));
    }
    if let Some(value) = get_ci(v, "value").filter(|_| v.as_object().is_some_and(|o| o.len() <= 2))
    {
        let mut hit = emit(value, f);
        if !hit && let Some(loc) = get_ci(v, "localizedValue") {
            hit = emit(loc, f);
        }
        return hit;
    }
    let text = sonic_rs::to_string(v).unwrap_or_default();
    f(Scalar::Str(&text))
}

/// A member by name; at the top level of a record also as Log Analytics' split
/// `name_dynamic` / `name_string` columns (they exist nowhere else).
fn member<'v>(v: &'v Value, seg: &str, top: bool) -> Option<&'v Value> {
    if let Some(x) = get_ci(v, seg) {
        return Some(x);
    }
    if !top {
        return None;
    }
    let obj = v.as_object()?;
    obj.iter().find_map(|(k, x)| {
        let rest = k.get(seg.len()..)?;
        let split = rest.eq_ignore_ascii_case("_dynamic") || rest.eq_ignore_ascii_case("_string");
        (split
            && k.get(..seg.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(seg)))
        .then_some(x)
    })
}

/// Walks `segs` from `v`, calling `at_end` on every value reached; stops at the first `true`.
/// JSON decoded out of strings of one record, by the string's address and length: a rule that
/// reads four fields of `requestbody` decodes it once.
#[derive(Default)]
struct Decoded(RefCell<Vec<(usize, usize, Rc<Value>)>>);

impl Decoded {
    fn get(&self, s: &str) -> Option<Rc<Value>> {
        let key = (s.as_ptr() as usize, s.len());
        if let Some((_, _, v)) = self.0.borrow().iter().find(|(p, l, _)| (*p, *l) == key) {
            return Some(v.clone());
        }
        let v = Rc::new(decode_embedded(s)?);
        self.0.borrow_mut().push((key.0, key.1, v.clone()));
        Some(v)
    }
}

type AtEnd<'f> = &'f mut dyn FnMut(&Value) -> bool;

fn walk(v: &Value, segs: &[String], top: bool, cache: &Decoded, at_end: AtEnd<'_>) -> bool {
    let Some((seg, rest)) = segs.split_first() else {
        return at_end(v);
    };
    if let Some(arr) = v.as_array() {
        if let Ok(i) = seg.parse::<usize>() {
            return arr
                .get(i)
                .is_some_and(|x| walk(x, rest, false, cache, at_end));
        }
        return arr.iter().any(|x| walk(x, segs, false, cache, at_end));
    }
    if let Some(s) = v.as_str() {
        return cache
            .get(s)
            .is_some_and(|d| walk(&d, segs, false, cache, at_end));
    }
    member(v, seg, top).is_some_and(|c| walk(c, rest, false, cache, at_end))
}

/// The record's root `properties` member. The exact spelling (REST, diagnostic records) is
/// looked for first, comparing names as bytes — a third of the cost of a case-insensitive walk
/// of the root's members, and one every Activity event pays — then any spelling [`get_ci`]
/// accepts. (A record with both `properties` and an earlier `Properties` thus offers the
/// exact one.)
fn root_properties(raw: &Value) -> Option<&Value> {
    raw.as_object()
        .and_then(|o| o.get(&"properties"))
        .or_else(|| get_ci(raw, "properties"))
}

/// [`walk`] from the record's root, with the `properties.` fallback of the module doc. The
/// root's `properties` member is looked up once: found, the rest of the path is walked from
/// it; missing, the path is tried as written (split columns) and then without the prefix.
fn walk_raw<'v>(
    raw: &'v Value,
    properties: &OnceCell<Option<&'v Value>>,
    segs: &[String],
    cache: &Decoded,
    at_end: AtEnd<'_>,
) -> bool {
    match segs.split_first() {
        Some((first, rest)) if !rest.is_empty() && first.eq_ignore_ascii_case("properties") => {
            match *properties.get_or_init(|| root_properties(raw)) {
                Some(props) => walk(props, rest, false, cache, at_end),
                None => {
                    walk(raw, segs, true, cache, at_end) || walk(raw, rest, true, cache, at_end)
                }
            }
        }
        _ => walk(raw, segs, true, cache, at_end),
    }
}

/// Every string of a value, recursively (keys excluded).
fn any_string(v: &Value, f: &mut dyn FnMut(&str) -> bool) -> bool {
    match v.get_type() {
        JsonType::String => v.as_str().is_some_and(&mut *f),
        JsonType::Array => v
            .as_array()
            .is_some_and(|a| a.iter().any(|x| any_string(x, f))),
        JsonType::Object => v
            .as_object()
            .is_some_and(|o| o.iter().any(|(_, x)| any_string(x, f))),
        _ => false,
    }
}

impl Document for EventDoc<'_> {
    fn any_value(&self, key: FieldKey, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        let Some(spec) = self.specs.get(key.0 as usize) else {
            return false;
        };
        for place in &spec.places {
            let hit = match place {
                Place::Norm(n) => norm_value(self.event, *n, f).unwrap_or(false),
                Place::Raw(segs) => {
                    let raw = &self.event.raw;
                    walk_raw(raw, &self.properties, segs, &self.decoded, &mut |v| {
                        emit(v, f)
                    })
                }
            };
            if hit {
                return true;
            }
        }
        false
    }

    fn has(&self, key: FieldKey) -> bool {
        let Some(spec) = self.specs.get(key.0 as usize) else {
            return false;
        };
        spec.places.iter().any(|place| match place {
            Place::Norm(n) => norm_value(self.event, *n, &mut |_| false).is_some(),
            Place::Raw(segs) => {
                let raw = &self.event.raw;
                walk_raw(raw, &self.properties, segs, &self.decoded, &mut |_| true)
            }
        })
    }

    fn any_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        self.extra_text(f) || any_string(&self.event.raw, f)
    }

    fn raw_json(&self) -> Option<&[u8]> {
        self.json
    }

    fn extra_text(&self, f: &mut dyn FnMut(&str) -> bool) -> bool {
        !self.event.operation.is_empty() && f(&self.event.operation)
    }

    fn time_ms(&self) -> i64 {
        self.event.time.as_millisecond()
    }
}
