//! A compiled Sigma detection rule: its metadata (title, id, tags, level, logsource, ...) and
//! its compiled searches and condition. Built from one YAML document by the loader.

use crate::condition::{self, Cond};
use crate::detection::{Ctx, compile_search};
use crate::error::ErrorKind;
use crate::matcher::{Scratch, Search};
use crate::{Document, FieldKey};
use serde_yaml_ng::{Mapping, Value};
use std::collections::BTreeSet;

/// Severity level per the specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "informational" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// `logsource`: routing is the caller's job (see [`crate::RuleSet::set_route`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSource {
    pub product: Option<String>,
    pub service: Option<String>,
    pub category: Option<String>,
    pub definition: Option<String>,
}

/// One `related` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub id: String,
    pub kind: String,
}

/// Rule metadata shared by detection and correlation rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleMeta {
    pub title: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    pub references: Vec<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub tags: Vec<String>,
    pub level: Option<Level>,
    pub falsepositives: Vec<String>,
    pub fields: Vec<String>,
    pub related: Vec<Related>,
}

impl RuleMeta {
    /// ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, upper-cased (`T1098.003`).
    pub fn attack_techniques(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack."))
            .filter(|t| {
                let b = t.as_bytes();
                b.len() > 1 && (b[0] == b't' || b[0] == b'T') && b[1].is_ascii_digit()
            })
            .map(|t| t.to_ascii_uppercase())
            .collect()
    }

    /// ATT&CK tactics from `attack.<tactic>` tags (`persistence`, `privilege-escalation`, ...);
    /// technique, group (`gNNNN`) and software (`sNNNN`) tags are excluded.
    pub fn attack_tactics(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack."))
            .filter(|t| {
                let b = t.as_bytes();
                !(b.len() > 1
                    && matches!(b[0], b't' | b'T' | b'g' | b'G' | b's' | b'S')
                    && b[1].is_ascii_digit())
            })
            .map(|t| t.replace('_', "-"))
            .collect()
    }

    pub(crate) fn parse(m: &Mapping) -> Result<RuleMeta, ErrorKind> {
        let title = opt_str(m, "title")?.ok_or(ErrorKind::Missing("title"))?;
        let level = match opt_str(m, "level")? {
            Some(l) => Some(Level::parse(&l).ok_or_else(|| ErrorKind::InvalidAttribute {
                attr: "level".into(),
                reason: format!("'{l}' is not one of informational, low, medium, high, critical"),
            })?),
            None => None,
        };
        let mut related = Vec::new();
        if let Some(Value::Sequence(items)) = m.get("related") {
            for it in items {
                let Value::Mapping(r) = it else {
                    return Err(ErrorKind::InvalidAttribute {
                        attr: "related".into(),
                        reason: "entries must be maps".into(),
                    });
                };
                related.push(Related {
                    id: opt_str(r, "id")?.unwrap_or_default(),
                    kind: opt_str(r, "type")?.unwrap_or_default(),
                });
            }
        }
        Ok(RuleMeta {
            title,
            id: opt_str(m, "id")?,
            name: opt_str(m, "name")?,
            status: opt_str(m, "status")?,
            description: opt_str(m, "description")?,
            references: str_list(m, "references")?,
            author: opt_str(m, "author")?,
            date: opt_str(m, "date")?,
            modified: opt_str(m, "modified")?,
            tags: str_list(m, "tags")?,
            level,
            falsepositives: str_list(m, "falsepositives")?,
            fields: str_list(m, "fields")?,
            related,
        })
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn opt_str(m: &Mapping, k: &str) -> Result<Option<String>, ErrorKind> {
    match m.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => scalar(v)
            .map(Some)
            .ok_or_else(|| ErrorKind::InvalidAttribute {
                attr: k.into(),
                reason: "expected a string".into(),
            }),
    }
}

pub(crate) fn str_list(m: &Mapping, k: &str) -> Result<Vec<String>, ErrorKind> {
    match m.get(k) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Sequence(s)) => s
            .iter()
            .map(|v| {
                scalar(v).ok_or_else(|| ErrorKind::InvalidAttribute {
                    attr: k.into(),
                    reason: "list entries must be strings".into(),
                })
            })
            .collect(),
        Some(v) => scalar(v)
            .map(|s| vec![s])
            .ok_or_else(|| ErrorKind::InvalidAttribute {
                attr: k.into(),
                reason: "expected a list of strings".into(),
            }),
    }
}

/// A compiled detection rule.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub logsource: LogSource,
    /// The file the rule came from.
    pub path: std::path::PathBuf,
    pub(crate) searches: Vec<Search>,
    pub(crate) condition: Cond,
}

impl Rule {
    pub fn logsource(&self) -> &LogSource {
        &self.logsource
    }

    /// Names of the rule's search identifiers, in file order.
    pub fn search_names(&self) -> impl Iterator<Item = &str> {
        self.searches.iter().map(|s| s.name.as_str())
    }

    /// Every field name the detection refers to (keyword searches excluded), deduplicated.
    pub fn field_names(&self) -> BTreeSet<&str> {
        self.searches
            .iter()
            .flat_map(|s| s.alternatives.iter().flatten())
            .filter(|i| i.key.is_some())
            .map(|i| i.name.as_str())
            .collect()
    }

    pub fn title(&self) -> &str {
        &self.meta.title
    }

    /// Evaluates the rule against one document, using a caller-kept scratch.
    pub fn is_match_with(&self, doc: &dyn Document, scratch: &mut Scratch) -> bool {
        self.condition.eval(&self.searches, doc, scratch)
    }

    /// Evaluates the rule against one document (thread-local scratch).
    pub fn is_match(&self, doc: &dyn Document) -> bool {
        crate::ruleset::with_scratch(|s| self.is_match_with(doc, s))
    }

    pub(crate) fn parse(m: &Mapping, cx: &mut Ctx<'_>) -> Result<Rule, ErrorKind> {
        let meta = RuleMeta::parse(m)?;
        let logsource = match m.get("logsource") {
            Some(Value::Mapping(l)) => LogSource {
                product: opt_str(l, "product")?,
                service: opt_str(l, "service")?,
                category: opt_str(l, "category")?,
                definition: opt_str(l, "definition")?,
            },
            None | Some(Value::Null) => LogSource::default(),
            Some(_) => {
                return Err(ErrorKind::InvalidAttribute {
                    attr: "logsource".into(),
                    reason: "expected a map".into(),
                });
            }
        };
        let det = match m.get("detection") {
            Some(Value::Mapping(d)) => d,
            None => return Err(ErrorKind::Missing("detection")),
            Some(_) => {
                return Err(ErrorKind::InvalidAttribute {
                    attr: "detection".into(),
                    reason: "expected a map".into(),
                });
            }
        };
        let mut names = Vec::new();
        let mut searches = Vec::new();
        let mut cond_src: Option<&Value> = None;
        for (k, v) in det {
            let Some(name) = scalar(k) else {
                return Err(ErrorKind::InvalidAttribute {
                    attr: "detection".into(),
                    reason: "keys must be strings".into(),
                });
            };
            match name.as_str() {
                "condition" => cond_src = Some(v),
                "timeframe" => {} // legacy aggregation companion; no meaning without aggregations
                _ => {
                    searches.push(compile_search(&name, v, cx)?);
                    names.push(name);
                }
            }
        }
        let condition = match cond_src {
            None | Some(Value::Null) => return Err(ErrorKind::Missing("detection.condition")),
            Some(Value::String(s)) => condition::parse(s, &names)?,
            Some(Value::Sequence(list)) if !list.is_empty() => {
                let mut alts = Vec::with_capacity(list.len());
                for c in list {
                    let Value::String(s) = c else {
                        return Err(ErrorKind::InvalidAttribute {
                            attr: "condition".into(),
                            reason: "list entries must be strings".into(),
                        });
                    };
                    alts.push(condition::parse(s, &names)?);
                }
                if alts.len() == 1 {
                    alts.remove(0)
                } else {
                    Cond::Or(alts)
                }
            }
            Some(_) => {
                return Err(ErrorKind::InvalidAttribute {
                    attr: "condition".into(),
                    reason: "expected a string or a list of strings".into(),
                });
            }
        };
        Ok(Rule {
            meta,
            logsource,
            path: Default::default(),
            searches,
            condition,
        })
    }

    /// What the rule needs of `key`'s value before it can match, when the condition makes
    /// that derivable (used by the ruleset index; see [`crate::prefilter`]).
    pub(crate) fn needs(&self, key: FieldKey) -> Option<crate::prefilter::Needs> {
        crate::prefilter::needs(&self.condition, &self.searches, key)
    }
}
