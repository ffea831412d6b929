//! Byte tests eight bytes at a time (SIMD within a register), for hot loops over names and
//! text that safe Rust would otherwise walk byte by byte.
//!
//! The one identity used: for a word `v`, `(v - 0x0101…) & !v & 0x8080…` is non-zero exactly
//! when some byte of `v` is zero, and more generally `(v - n·0x0101…) & !v & 0x8080…` is
//! non-zero exactly when some byte is below `n`, for `n ≤ 128`. (Which bits are set is not
//! exact — a borrow can mark a byte after a matching one — but whether any is set is.) A byte
//! equal to `c` is a zero byte of `v ^ splat(c)`.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte of a word.
pub const fn splat(b: u8) -> u64 {
    ONES * b as u64
}

/// Eight bytes as a little-endian word (`c` is eight bytes long).
pub fn word(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(c);
    u64::from_le_bytes(w)
}

/// Non-zero exactly when some byte of `x` is below `n` (`n` ≤ 128). Results of several words
/// or tests can be OR-ed and checked once.
pub fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & HIGH
}

/// Non-zero exactly when some byte of `x` equals `c`.
pub fn bytes_equal(x: u64, c: u8) -> u64 {
    bytes_below(x ^ splat(c), 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn word_tests_match_byte_tests(bytes in any::<[u8; 8]>(), n in 0u8..=128, c in any::<u8>()) {
            let x = word(&bytes);
            prop_assert_eq!(bytes_below(x, n) != 0, bytes.iter().any(|b| *b < n));
            prop_assert_eq!(bytes_equal(x, c) != 0, bytes.contains(&c));
        }
    }
}
