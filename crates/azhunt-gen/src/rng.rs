//! A tiny, self-contained seeded PRNG (xoshiro256++ seeded through SplitMix64).
//!
//! The generator must produce byte-identical corpora for the same seed forever, on every
//! platform and regardless of thread count, so it does not depend on an external RNG crate
//! whose stream could change between versions. Every block of records gets its own stream
//! derived from `(seed, stream id)`, which is what makes parallel generation reproducible.

/// SplitMix64 step: used to expand seeds and to mix stream ids.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stable 64-bit mix of a value (for deriving per-entity properties without a stream).
pub fn mix(seed: u64, x: u64) -> u64 {
    let mut s = seed ^ x.wrapping_mul(0xA24B_AED4_963E_E407);
    splitmix64(&mut s)
}

/// xoshiro256++ generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8; 16] = b"0123456789abcdef";

impl Rng {
    /// A generator for `stream` under `seed`; distinct streams are independent.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut sm = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let _ = splitmix64(&mut sm);
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Self { s }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = (self.s[0].wrapping_add(self.s[3]))
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (n > 0), via the multiply-high method (bias is negligible here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An element chosen with the given integer weights (`weights` parallel to `items`).
    pub fn weighted<'a, T>(&mut self, items: &'a [(u32, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (w, item) in items {
            let w = u64::from(*w);
            if r < w {
                return item;
            }
            r -= w;
        }
        &items[items.len() - 1].1
    }

    /// A random version-4 GUID value (formatted by [`push_guid`]).
    pub fn guid(&mut self) -> u128 {
        let g = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        (g & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
    }

    /// Appends `len` random standard-base64 characters.
    pub fn push_b64(&mut self, out: &mut String, len: usize) {
        self.push_alphabet(out, len, B64);
    }

    /// Appends `len` random base64url characters.
    pub fn push_b64url(&mut self, out: &mut String, len: usize) {
        self.push_alphabet(out, len, B64URL);
    }

    /// Appends `len` random lowercase hex digits.
    pub fn push_hex(&mut self, out: &mut String, len: usize) {
        let mut bits = 0u64;
        for i in 0..len {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(HEX[(bits & 15) as usize] as char);
            bits >>= 4;
        }
    }

    fn push_alphabet(&mut self, out: &mut String, len: usize, alphabet: &[u8; 64]) {
        let mut bits = 0u64;
        for i in 0..len {
            if i % 10 == 0 {
                bits = self.next_u64();
            }
            out.push(alphabet[(bits & 63) as usize] as char);
            bits >>= 6;
        }
    }
}

/// Appends a GUID in canonical lowercase 8-4-4-4-12 form.
pub fn push_guid(out: &mut String, g: u128) {
    let mut buf = [0u8; 36];
    let mut nib = 0;
    for (i, slot) in buf.iter_mut().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            *slot = b'-';
        } else {
            let shift = 124 - 4 * nib;
            *slot = HEX[((g >> shift) & 15) as usize];
            nib += 1;
        }
    }
    // All bytes are ASCII hex digits or '-'.
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

/// Appends a GUID as 32 hex digits without dashes (the diagnostic-settings evidence form).
pub fn push_guid_compact(out: &mut String, g: u128) {
    for nib in 0..32 {
        let shift = 124 - 4 * nib;
        out.push(HEX[((g >> shift) & 15) as usize] as char);
    }
}

/// A GUID as an owned string.
pub fn guid_string(g: u128) -> String {
    let mut s = String::with_capacity(36);
    push_guid(&mut s, g);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..8).map(|_| Rng::new(42, 1).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut r1 = Rng::new(42, 1);
        let mut r2 = Rng::new(42, 2);
        assert_ne!(r1.next_u64(), r2.next_u64());
    }

    #[test]
    fn guid_format() {
        let s = guid_string(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        assert_eq!(s, "01234567-89ab-cdef-0011-223344556677");
        let mut c = String::new();
        push_guid_compact(&mut c, 0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        assert_eq!(c, "0123456789abcdef0011223344556677");
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(7, 0);
        for _ in 0..10_000 {
            assert!(r.below(13) < 13);
            let x = r.range(5, 9);
            assert!((5..=9).contains(&x));
        }
    }
}
