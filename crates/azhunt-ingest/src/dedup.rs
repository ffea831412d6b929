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
use xxhash_rust::xxh3::Xxh3;

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

fn feed_lower(h: &mut Xxh3, s: Option<&str>) {
    if let Some(s) = s {
        let mut buf = [0u8; 64];
        for chunk in azhunt_model::field::trim(s).as_bytes().chunks(buf.len()) {
            let lower = &mut buf[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            h.update(lower);
        }
    }
    h.update(&[0xff]);
}

/// Computes an event's keys (on a worker thread).
pub fn keys(e: &Event) -> Keys {
    let mut h = Xxh3::new();
    h.update(e.log.as_str().as_bytes());
    let ms = e.time.as_millisecond();
    h.update(&ms.to_le_bytes());
    feed_lower(&mut h, Some(&e.operation));
    feed_lower(&mut h, e.status.as_deref());
    feed_lower(&mut h, e.correlation_id.as_deref());
    feed_lower(&mut h, e.resource_id());
    let semantic = h.digest();
    let id = (e.id.origin == IdOrigin::Source).then(|| {
        // Time and category guard against ids that anonymised exports made equal. AKS's
        // kube-audit-admin is a subset view of kube-audit, so there the category is no part of
        // an event's identity.
        let mut h = Xxh3::new();
        h.update(e.log.as_str().as_bytes());
        h.update(&ms.to_le_bytes());
        let category = match e.log {
            LogKind::KubeAudit => None,
            _ => e.category.as_deref(),
        };
        feed_lower(&mut h, category);
        feed_lower(&mut h, Some(&e.id.value));
        h.digest()
    });
    let mut x = Xxh3::new();
    x.update(&semantic.to_le_bytes());
    x.update(e.id.value.as_bytes());
    Keys {
        id,
        semantic,
        exact: x.digest(),
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
    semantic_with_id: Set,
    semantic_without_id: Set,
    exact_without_id: Set,
}

impl Deduper {
    /// True when the event was seen before; otherwise remembers it.
    pub fn is_duplicate(&mut self, k: &Keys) -> bool {
        match k.id {
            Some(id) => {
                if self.ids.contains(&id) || self.semantic_without_id.contains(&k.semantic) {
                    return true;
                }
                self.ids.insert(id);
                self.semantic_with_id.insert(k.semantic);
            }
            None => {
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
}
