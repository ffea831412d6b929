//! Sigma correlation rules (correlation specification v2): `event_count`, `value_count`,
//! `temporal` and `temporal_ordered` over referenced rules, with `group-by`, `timespan`,
//! `condition`, `aliases` and `generate`. This module parses and validates them; the streaming
//! state lives in [`crate::Correlator`].

use crate::FieldKey;
use crate::detection::Ctx;
use crate::error::ErrorKind;
use crate::rule::{RuleMeta, opt_str, str_list};
use serde_yaml_ng::{Mapping, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorrelationType {
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
}

/// The count criteria of a correlation condition (several are ANDed, giving ranges).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CountCondition {
    pub gt: Option<u64>,
    pub gte: Option<u64>,
    pub lt: Option<u64>,
    pub lte: Option<u64>,
    pub eq: Option<u64>,
}

impl CountCondition {
    pub fn holds(&self, n: u64) -> bool {
        self.gt.is_none_or(|v| n > v)
            && self.gte.is_none_or(|v| n >= v)
            && self.lt.is_none_or(|v| n < v)
            && self.lte.is_none_or(|v| n <= v)
            && self.eq.is_none_or(|v| n == v)
    }
}

/// One `group-by` entry: the field itself, or per referenced rule an alias' field.
#[derive(Clone, Debug)]
pub(crate) struct GroupField {
    pub(crate) name: String,
    pub(crate) default: FieldKey,
    /// (rule reference as written in `aliases`, field key in that rule's events)
    pub(crate) per_rule: Vec<(String, FieldKey)>,
}

/// A parsed correlation rule.
#[derive(Clone, Debug)]
pub struct CorrelationRule {
    pub meta: RuleMeta,
    pub path: std::path::PathBuf,
    pub kind: CorrelationType,
    /// Referenced rules by `name` or `id`, as written.
    pub rules: Vec<String>,
    pub group_by: Vec<String>,
    pub timespan_ms: i64,
    pub condition: CountCondition,
    /// `value_count`'s `field`.
    pub field: Option<String>,
    /// `generate: true`: the referenced rules also alert on their own.
    pub generate: bool,
    pub(crate) group_fields: Vec<GroupField>,
    pub(crate) field_key: Option<FieldKey>,
}

/// Parses `5m`, `1h`, `30s`, `2d`, `1w` into milliseconds.
pub(crate) fn parse_timespan(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: i64 = s[..s.len() - unit.len_utf8()].trim().parse().ok()?;
    let mult = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        'w' => 7 * 86_400_000,
        _ => return None,
    };
    if n <= 0 { None } else { n.checked_mul(mult) }
}

fn bad(reason: impl Into<String>) -> ErrorKind {
    ErrorKind::Correlation(reason.into())
}

impl CorrelationRule {
    /// Every field key the correlator reads from an event of this correlation (group-by fields,
    /// their per-rule aliases, and `value_count`'s field), so a caller can capture just those
    /// values when it must replay matches later in time order.
    pub fn field_keys(&self) -> Vec<FieldKey> {
        let mut keys: Vec<FieldKey> = self
            .group_fields
            .iter()
            .flat_map(|g| std::iter::once(g.default).chain(g.per_rule.iter().map(|(_, k)| *k)))
            .chain(self.field_key)
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    pub(crate) fn parse(m: &Mapping, cx: &mut Ctx<'_>) -> Result<CorrelationRule, ErrorKind> {
        let meta = RuleMeta::parse(m)?;
        let Some(Value::Mapping(c)) = m.get("correlation") else {
            return Err(bad("'correlation' must be a map"));
        };
        let kind = match opt_str(c, "type")?.as_deref() {
            Some("event_count") => CorrelationType::EventCount,
            Some("value_count") => CorrelationType::ValueCount,
            Some("temporal") => CorrelationType::Temporal,
            Some("temporal_ordered") => CorrelationType::TemporalOrdered,
            Some(t) => return Err(bad(format!("unknown correlation type '{t}'"))),
            None => return Err(bad("missing 'type'")),
        };
        let rules = str_list(c, "rules")?;
        if rules.is_empty() {
            return Err(bad("'rules' must name at least one rule"));
        }
        let group_by = str_list(c, "group-by")?;
        let ts = opt_str(c, "timespan")?
            .or(opt_str(c, "timeframe")?)
            .ok_or_else(|| bad("missing 'timespan'"))?;
        let timespan_ms = parse_timespan(&ts).ok_or_else(|| {
            bad(format!(
                "invalid timespan '{ts}' (use e.g. 30s, 5m, 1h, 1d)"
            ))
        })?;
        let mut condition = CountCondition::default();
        let mut field = None;
        match c.get("condition") {
            None | Some(Value::Null) => {
                if matches!(
                    kind,
                    CorrelationType::EventCount | CorrelationType::ValueCount
                ) {
                    return Err(bad("missing 'condition'"));
                }
                condition.gte = Some(rules.len() as u64);
            }
            Some(Value::Mapping(cm)) => {
                for (k, v) in cm {
                    let key = match k {
                        Value::String(s) => s.as_str(),
                        _ => return Err(bad("condition keys must be strings")),
                    };
                    if key == "field" {
                        field = opt_str(cm, "field")?;
                        continue;
                    }
                    let n = match v {
                        Value::Number(n) => n.as_u64(),
                        Value::String(s) => s.trim().parse().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        bad(format!("condition '{key}' needs a non-negative integer"))
                    })?;
                    match key {
                        "gt" => condition.gt = Some(n),
                        "gte" => condition.gte = Some(n),
                        "lt" => condition.lt = Some(n),
                        "lte" => condition.lte = Some(n),
                        "eq" => condition.eq = Some(n),
                        other => return Err(bad(format!("unknown condition operator '{other}'"))),
                    }
                }
            }
            Some(_) => return Err(bad("'condition' must be a map such as {gte: 10}")),
        }
        if kind == CorrelationType::ValueCount && field.is_none() {
            return Err(bad("value_count needs 'field' in its condition"));
        }
        let generate = match c.get("generate").or(m.get("generate")) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("'generate' must be a boolean")),
        };
        let mut group_fields: Vec<GroupField> = group_by
            .iter()
            .map(|g| GroupField {
                name: g.clone(),
                default: cx.resolver.resolve(g),
                per_rule: Vec::new(),
            })
            .collect();
        match c.get("aliases") {
            None | Some(Value::Null) => {}
            Some(Value::Mapping(am)) => {
                for (alias, per) in am {
                    let Value::String(alias) = alias else {
                        return Err(bad("alias names must be strings"));
                    };
                    let Value::Mapping(per) = per else {
                        return Err(bad(format!(
                            "alias '{alias}' must map rule names to field names"
                        )));
                    };
                    let Some(gf) = group_fields.iter_mut().find(|g| &g.name == alias) else {
                        continue; // an alias not used in group-by has no effect
                    };
                    for (r, f) in per {
                        let (Value::String(r), Value::String(f)) = (r, f) else {
                            return Err(bad(format!(
                                "alias '{alias}' entries must be 'rule: field' strings"
                            )));
                        };
                        gf.per_rule.push((r.clone(), cx.resolver.resolve(f)));
                    }
                }
            }
            Some(_) => return Err(bad("'aliases' must be a map")),
        }
        let field_key = field.as_deref().map(|f| cx.resolver.resolve(f));
        Ok(CorrelationRule {
            meta,
            path: Default::default(),
            kind,
            rules,
            group_by,
            timespan_ms,
            condition,
            field,
            generate,
            group_fields,
            field_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans() {
        assert_eq!(parse_timespan("5m"), Some(300_000));
        assert_eq!(parse_timespan("1h"), Some(3_600_000));
        assert_eq!(parse_timespan("30s"), Some(30_000));
        assert_eq!(parse_timespan("1d"), Some(86_400_000));
        assert_eq!(parse_timespan("0m"), None);
        assert_eq!(parse_timespan("5x"), None);
        assert_eq!(parse_timespan(""), None);
        assert_eq!(parse_timespan("m"), None);
        assert_eq!(parse_timespan("é"), None);
    }

    #[test]
    fn count_conditions() {
        let c = CountCondition {
            gt: Some(100),
            lte: Some(200),
            ..Default::default()
        };
        assert!(!c.holds(100) && c.holds(101) && c.holds(200) && !c.holds(201));
        let e = CountCondition {
            eq: Some(3),
            ..Default::default()
        };
        assert!(e.holds(3) && !e.holds(2));
    }
}
