//! String interning: identities, IPs, operations and places repeat millions of times, so the
//! books keep each distinct string once and count by `u32` id.

use std::collections::HashMap;
use xxhash_rust::xxh3::Xxh3Builder;

/// A fast hash map for the books' small keys.
pub type FastMap<K, V> = HashMap<K, V, Xxh3Builder>;

pub fn fast_map<K, V>() -> FastMap<K, V> {
    HashMap::with_hasher(Xxh3Builder::new())
}

/// Each distinct string once, by id.
#[derive(Debug, Default)]
pub struct Strings {
    ids: FastMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Strings {
    pub fn new() -> Strings {
        Strings {
            ids: fast_map(),
            list: Vec::new(),
        }
    }

    /// The id of `s`, adding it when new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s.into());
        self.ids.insert(s.into(), i);
        i
    }

    /// The id of `s` when it was seen.
    pub fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    pub fn get(&self, id: u32) -> &str {
        self.list.get(id as usize).map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Union-find over interned identity keys: one person or workload seen as an object id in one
/// log, a UPN in another and an app id in a third is one identity.
#[derive(Debug, Default)]
pub struct Aliases {
    parent: Vec<u32>,
}

impl Aliases {
    fn grow(&mut self, id: u32) {
        while self.parent.len() <= id as usize {
            let n = self.parent.len() as u32;
            self.parent.push(n);
        }
    }

    /// The root of `id` without path compression (an id never joined is its own root).
    pub fn find(&self, id: u32) -> u32 {
        let mut r = id;
        while let Some(&p) = self.parent.get(r as usize) {
            if p == r {
                break;
            }
            r = p;
        }
        r
    }

    pub fn root(&mut self, id: u32) -> u32 {
        self.grow(id);
        let r = self.find(id);
        // Path compression.
        let mut x = id;
        while let Some(&p) = self.parent.get(x as usize) {
            if p == r {
                break;
            }
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = r;
            }
            x = p;
        }
        r
    }

    /// Joins the identities of `a` and `b`; the smaller id stays the root (deterministic).
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return;
        }
        let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = self.parent.get_mut(join as usize) {
            *slot = keep;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_kept_once() {
        let mut s = Strings::new();
        let a = s.id("a");
        assert_eq!(s.id("b"), 1);
        assert_eq!(s.id("a"), a);
        assert_eq!(s.get(a), "a");
        assert_eq!(s.find("c"), None);
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn aliases_join_transitively() {
        let mut u = Aliases::default();
        u.union(3, 1);
        u.union(5, 3);
        u.union(7, 8);
        assert_eq!(u.root(5), 1);
        assert_eq!(u.root(3), 1);
        assert_eq!(u.root(8), 7);
        assert_ne!(u.root(8), u.root(1));
        assert_eq!(u.root(42), 42);
    }

    proptest::proptest! {
        /// The read-only `find` gives the root `root` gives, before and after compression.
        #[test]
        fn find_agrees_with_root(joins in proptest::collection::vec((0u32..40, 0u32..40), 0..60)) {
            let mut u = Aliases::default();
            for (a, b) in joins {
                u.union(a, b);
            }
            for id in 0..45 {
                let found = u.find(id);
                proptest::prop_assert_eq!(found, u.root(id));
                proptest::prop_assert_eq!(u.find(id), found);
            }
        }
    }
}
