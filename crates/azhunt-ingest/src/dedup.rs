//! Recognizing the same event seen twice.
//!
//! Overlapping exports (two collection runs, a management-group log that repeats subscription
//! events) and the same events in two shapes (REST pull and storage archive) must count once.
//! Events with their own id (`eventDataId`, Graph `id`, Kubernetes `auditID`) match on it (with
//! the time and category, which a real duplicate shares). The
//! diagnostic shape of the Activity Log has no id, so an event is also matched on its
//! *semantics* — log, time to the millisecond, operation, status, correlation id and resource,
//! case-insensitively — against events that carry an id; two id-less records match only when
//! their bytes are identical too, because distinct events may share all those fields (one
//! policy evaluation emits several). Started/Succeeded pairs differ in status, so both stay.
//! Only 64-bit hashes are kept: a few bytes per event, whatever the event size.

use azhunt_model::{Event, IdOrigin, LogKind};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// The hashes an event is matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    /// The log's own id, when it has one.
    pub id: Option<u64>,
    /// What the event is, across export shapes.
    pub semantic: u64,
    /// `semantic` plus the record's exact content.
    pub exact: u64,
}

/// Appends `s` trimmed and ASCII-lower-cased, then a separator no UTF-8 text contains.
fn push_lower(buf: &mut Vec<u8>, s: Option<&str>) {
    if let Some(s) = s {
        let start = buf.len();
        buf.extend_from_slice(azhunt_model::field::trim(s).as_bytes());
        if let Some(tail) = buf.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
    }
    buf.push(0xff);
}

/// Computes an event's keys (on a worker thread). Each key is one hash of its fields laid out
/// in one buffer (a streaming hasher per key cost more than the hashing).
pub fn keys(e: &Event) -> Keys {
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let ms = e.time.as_millisecond().to_le_bytes();
    buf.extend_from_slice(e.log.as_str().as_bytes());
    buf.extend_from_slice(&ms);
    push_lower(&mut buf, Some(&e.operation));
    push_lower(&mut buf, e.status.as_deref());
    push_lower(&mut buf, e.correlation_id.as_deref());
    push_lower(&mut buf, e.resource_id());
    let semantic = xxh3_64(&buf);
    let id = (e.id.origin == IdOrigin::Source).then(|| {
        // Time and category guard against ids that anonymised exports made equal. AKS's
        // kube-audit-admin is a subset view of kube-audit, so there the category is no part of
        // an event's identity.
        buf.clear();
        buf.extend_from_slice(e.log.as_str().as_bytes());
        buf.extend_from_slice(&ms);
        let category = match e.log {
            LogKind::KubeAudit => None,
            _ => e.category.as_deref(),
        };
        push_lower(&mut buf, category);
        push_lower(&mut buf, Some(&e.id.value));
        xxh3_64(&buf)
    });
    buf.clear();
    buf.extend_from_slice(&semantic.to_le_bytes());
    buf.extend_from_slice(e.id.value.as_bytes());
    Keys {
        id,
        semantic,
        exact: xxh3_64(&buf),
    }
}

/// Keys are already hashes; re-hashing them would only cost time.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Set = HashSet<u64, BuildHasherDefault<PassThrough>>;

/// Remembers what was seen; decisions follow input order, so they are deterministic.
#[derive(Default)]
pub struct Deduper {
    ids: Set,
    /// Semantic keys of events with an id that `semantic_with_id` does not hold yet. Only
    /// id-less events consult those keys, and most inputs have none, so they are appended
    /// here (sequential writes) and moved into the set when an id-less event arrives — instead
    /// of a random insert into a table of millions for every event.
    pending_with_id: Vec<u64>,
    semantic_with_id: Set,
    semantic_without_id: Set,
    exact_without_id: Set,
}

impl Deduper {
    /// True when the event was seen before; otherwise remembers it.
    pub fn is_duplicate(&mut self, k: &Keys) -> bool {
        match k.id {
            Some(id) => {
                // `insert` is the membership test: a seen id leaves the set as it was.
                if self.semantic_without_id.contains(&k.semantic) || !self.ids.insert(id) {
                    return true;
                }
                self.pending_with_id.push(k.semantic);
            }
            None => {
                self.semantic_with_id.extend(self.pending_with_id.drain(..));
                if self.exact_without_id.contains(&k.exact)
                    || self.semantic_with_id.contains(&k.semantic)
                {
                    return true;
                }
                self.exact_without_id.insert(k.exact);
                self.semantic_without_id.insert(k.semantic);
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(id: Option<u64>, semantic: u64, exact: u64) -> Keys {
        Keys {
            id,
            semantic,
            exact,
        }
    }

    #[test]
    fn ids_and_semantics() {
        let mut d = Deduper::default();
        assert!(!d.is_duplicate(&k(Some(1), 10, 100)));
        assert!(d.is_duplicate(&k(Some(1), 11, 101)), "same id");
        assert!(
            !d.is_duplicate(&k(Some(2), 10, 102)),
            "distinct ids, same semantics"
        );
        assert!(
            d.is_duplicate(&k(None, 10, 103)),
            "id-less copy of an id'd event"
        );
        assert!(!d.is_duplicate(&k(None, 20, 200)));
        assert!(
            !d.is_duplicate(&k(None, 20, 201)),
            "id-less, same semantics, other bytes"
        );
        assert!(
            d.is_duplicate(&k(None, 20, 200)),
            "identical id-less record"
        );
        assert!(
            d.is_duplicate(&k(Some(3), 20, 300)),
            "id'd copy of an id-less event"
        );
    }

    /// The decisions of the straightforward four-set rule, for comparison.
    fn reference(keys: &[Keys]) -> Vec<bool> {
        let (mut ids, mut swi, mut swo, mut ewo) = (
            HashSet::new(),
            HashSet::new(),
            HashSet::new(),
            HashSet::new(),
        );
        keys.iter()
            .map(|k| match k.id {
                Some(id) => {
                    let dup = ids.contains(&id) || swo.contains(&k.semantic);
                    if !dup {
                        ids.insert(id);
                        swi.insert(k.semantic);
                    }
                    dup
                }
                None => {
                    let dup = ewo.contains(&k.exact) || swi.contains(&k.semantic);
                    if !dup {
                        ewo.insert(k.exact);
                        swo.insert(k.semantic);
                    }
                    dup
                }
            })
            .collect()
    }

    proptest::proptest! {
        /// Deferring the id'd events' semantic keys changes no decision, whatever the mix.
        #[test]
        fn deferred_keys_decide_as_the_reference(
            raw in proptest::collection::vec((proptest::option::of(0u64..6), 0u64..6, 0u64..4), 0..60),
        ) {
            let keys: Vec<Keys> = raw.iter().map(|(i, s, e)| k(*i, *s, *e)).collect();
            let mut d = Deduper::default();
            let got: Vec<bool> = keys.iter().map(|x| d.is_duplicate(x)).collect();
            proptest::prop_assert_eq!(got, reference(&keys));
        }
    }
}
