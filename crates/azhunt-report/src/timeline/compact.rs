//! The compact encoding of a timeline row: what the sorter keeps and spills.
//!
//! A rendered JSON Lines row of an Activity Log event is about 1.9 KB, most of it member names,
//! values that appear twice (`caller` and `caller_upn`, `time` and `datetime`, the resource id
//! in `authorization_scope` and `message`) and text derived from other fields. Spilling those
//! rows to temporary files was the largest cost of a large timeline after reading itself. The
//! encoding keeps each fact once — a fixed header, a LEB128 tag per [`Slot`], then the slots'
//! text end to end — and refers back to an earlier slot when the text is the same, so a row is
//! about a third of the size; the formats are rendered from the decoded [`RowFields`] after
//! the merge.
//!
//! Tag of a slot: `0` absent; odd `2n + 1`: the next `n` bytes of the text; even `2k + 2`: the
//! same text as slot `k`, which comes earlier; `2 * SLOTS + 2`: a GUID in canonical lower case
//! (object, app, correlation, event and tenant ids mostly are), its 16 bytes right after the
//! tag — 120 of a typical Activity row's ~580 bytes, and the merge reads every byte back from
//! disk. The text is checked as UTF-8 once per row.

use super::fields::{ALL, RowFields, SLOTS, Slot};
use azhunt_model::{CallerType, LogKind, RecordFormat, ScopeLevel};

/// A row that does not decode (only a bug in azhunt can produce one: rows are encoded here).
#[derive(Debug, thiserror::Error)]
#[error("corrupt timeline row: {0}")]
pub struct CompactError(&'static str);

const LOGS: [LogKind; 6] = [
    LogKind::Activity,
    LogKind::EntraAudit,
    LogKind::EntraSignIn,
    LogKind::KeyVault,
    LogKind::KubeAudit,
    LogKind::Resource,
];
const CALLERS: [CallerType; 4] = [
    CallerType::User,
    CallerType::ServicePrincipal,
    CallerType::ManagedIdentity,
    CallerType::Unknown,
];
const FORMATS: [RecordFormat; 5] = [
    RecordFormat::Rest,
    RecordFormat::Diagnostic,
    RecordFormat::LogAnalytics,
    RecordFormat::Graph,
    RecordFormat::PortalCsv,
];
const SCOPES: [ScopeLevel; 5] = [
    ScopeLevel::Tenant,
    ScopeLevel::ManagementGroup,
    ScopeLevel::Subscription,
    ScopeLevel::ResourceGroup,
    ScopeLevel::Resource,
];

/// Earlier slots whose text a slot often repeats; only these are compared when encoding.
fn repeats(slot: Slot) -> &'static [Slot] {
    match slot {
        Slot::CallerName => &[Slot::CallerUpn],
        Slot::AuthorizationAction => &[Slot::Operation],
        Slot::AuthorizationScope => &[Slot::ResourceId],
        Slot::RoleScope => &[Slot::AuthorizationScope, Slot::ResourceId],
        _ => &[],
    }
}

/// Tag of a canonical GUID kept as its 16 bytes.
const TAG_GUID: u64 = 2 * SLOTS as u64 + 2;

/// Length of a GUID's text, `8-4-4-4-12` lower-case hexadecimal digits.
const GUID_TEXT: usize = 36;

/// Value of each lower-case hexadecimal digit; 0xff for every other byte.
const HEX_VALUE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 16 {
        let c = if i < 10 {
            b'0' + i as u8
        } else {
            b'a' + i as u8 - 10
        };
        t[c as usize] = i as u8;
        i += 1;
    }
    t
};

/// The two lower-case hexadecimal digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [HEX[i >> 4], HEX[i & 0xf]];
        i += 1;
    }
    t
};

/// Text offsets of the digit pairs of a GUID's 16 bytes.
const GUID_PAIRS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/// The 16 bytes of a GUID written in canonical lower case (the only spelling rebuilt exactly).
fn guid_bytes(t: &str) -> Option<[u8; 16]> {
    let b: &[u8; GUID_TEXT] = t.as_bytes().try_into().ok()?;
    if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let mut out = [0u8; 16];
    let mut bad = 0u8;
    for (o, at) in out.iter_mut().zip(GUID_PAIRS) {
        let (hi, lo) = (
            HEX_VALUE[usize::from(b[at])],
            HEX_VALUE[usize::from(b[at + 1])],
        );
        bad |= hi | lo;
        *o = hi << 4 | lo;
    }
    // A non-digit's value has the high bit set.
    (bad & 0x80 == 0).then_some(out)
}

/// Appends the canonical text of a GUID's 16 bytes.
fn push_guid_text(g: &[u8; 16], out: &mut Vec<u8>) {
    let mut text = [b'-'; GUID_TEXT];
    for (byte, at) in g.iter().zip(GUID_PAIRS) {
        text[at..at + 2].copy_from_slice(&HEX_PAIRS[usize::from(*byte)]);
    }
    out.extend_from_slice(&text);
}

/// Room for the text of one decoded row's GUIDs (see [`decode`]), end to end in slot order.
#[derive(Default)]
pub struct Scratch {
    guids: Vec<u8>,
}

/// Checks UTF-8 with SIMD: a row's text is checked whole, once (a few hundred bytes), where
/// the standard library's check spends about as long as the rest of decoding.
fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

const HEADER: usize = 8 + 4 + 8 + 8 + 5;
const TZ_ASSUMED: u8 = 1;
const HAS_LINE: u8 = 2;
const NO_SCOPE: u8 = 0xff;

fn index_of<T: PartialEq>(table: &[T], v: &T) -> u8 {
    table.iter().position(|x| x == v).unwrap_or(0) as u8
}

/// Appends the encoding of `f` to `out`.
pub fn encode(f: &RowFields, out: &mut Vec<u8>) {
    // A tag byte per slot, a length of up to 3 bytes per text (texts under 1 MiB): room for
    // the whole row, so it is allocated once.
    out.reserve(HEADER + SLOTS + f.text.iter().flatten().map(|t| t.len() + 3).sum::<usize>());
    out.extend_from_slice(&f.seconds.to_le_bytes());
    out.extend_from_slice(&f.nanos.to_le_bytes());
    out.extend_from_slice(&f.record.to_le_bytes());
    out.extend_from_slice(&f.line.unwrap_or(0).to_le_bytes());
    out.push(index_of(&LOGS, &f.log));
    out.push(index_of(&CALLERS, &f.caller_type));
    out.push(index_of(&FORMATS, &f.format));
    out.push(f.scope.map_or(NO_SCOPE, |s| index_of(&SCOPES, &s)));
    let mut flags = 0;
    if f.time_zone_assumed {
        flags |= TZ_ASSUMED;
    }
    if f.line.is_some() {
        flags |= HAS_LINE;
    }
    out.push(flags);
    let mut inline: [Option<&str>; SLOTS] = [None; SLOTS];
    for (slot, keep) in ALL.iter().zip(inline.iter_mut()) {
        let Some(text) = f.get(*slot) else {
            out.push(0);
            continue;
        };
        if let Some(earlier) = repeats(*slot).iter().find(|s| f.get(**s) == Some(text)) {
            push_varint(out, 2 * (*earlier as u64) + 2);
        } else if let Some(g) = guid_bytes(text) {
            push_varint(out, TAG_GUID);
            out.extend_from_slice(&g);
        } else {
            push_varint(out, 2 * text.len() as u64 + 1);
            *keep = Some(text);
        }
    }
    for text in inline.iter().flatten() {
        out.extend_from_slice(text.as_bytes());
    }
}

/// A decoded row and whether none of its text needs escaping in JSON.
pub struct Decoded<'a> {
    pub fields: RowFields<'a>,
    /// No text of the row has a byte JSON escapes ([`super::json::needs_escape`]).
    pub plain: bool,
}

/// The fields of an encoded row, borrowing its text (and `scratch`, for its GUIDs). Renderers
/// use [`decode_checked`]; this form serves the tests.
#[cfg(test)]
pub fn decode<'a>(
    bytes: &'a [u8],
    scratch: &'a mut Scratch,
) -> Result<RowFields<'a>, CompactError> {
    decode_checked(bytes, scratch).map(|d| d.fields)
}

/// [`decode`], also telling whether the row's text needs escaping in JSON: checked once over
/// the row's text (every text slot is there or is a GUID, which never does), instead of
/// value by value as the JSON writer would.
pub fn decode_checked<'a>(
    bytes: &'a [u8],
    scratch: &'a mut Scratch,
) -> Result<Decoded<'a>, CompactError> {
    let head = bytes.get(..HEADER).ok_or(CompactError("short header"))?;
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&head[i..i + 8]);
        u64::from_le_bytes(b)
    };
    let mut n = [0u8; 4];
    n.copy_from_slice(&head[8..12]);
    let byte = |i: usize| head[28 + i];
    let pick = |table_len: usize, i: usize, what: &'static str| {
        let b = usize::from(byte(i));
        (b < table_len).then_some(b).ok_or(CompactError(what))
    };
    let flags = byte(4);
    let mut f = RowFields {
        seconds: u64_at(0) as i64,
        nanos: i32::from_le_bytes(n),
        log: LOGS[pick(LOGS.len(), 0, "log kind")?],
        caller_type: CALLERS[pick(CALLERS.len(), 1, "caller type")?],
        format: FORMATS[pick(FORMATS.len(), 2, "record format")?],
        scope: match byte(3) {
            NO_SCOPE => None,
            _ => Some(SCOPES[pick(SCOPES.len(), 3, "scope")?]),
        },
        time_zone_assumed: flags & TZ_ASSUMED != 0,
        record: u64_at(12),
        line: (flags & HAS_LINE != 0).then(|| u64_at(20)),
        text: [None; SLOTS],
    };
    let mut at = HEADER;
    let mut tags = [0u64; SLOTS];
    let mut text_len = 0u64;
    scratch.guids.clear();
    for tag in tags.iter_mut() {
        *tag = read_varint(bytes, &mut at)?;
        if *tag % 2 == 1 {
            text_len = text_len.saturating_add(*tag / 2);
        } else if *tag == TAG_GUID {
            let g: &[u8; 16] = bytes
                .get(at..at + 16)
                .and_then(|g| g.try_into().ok())
                .ok_or(CompactError("short GUID"))?;
            push_guid_text(g, &mut scratch.guids);
            at += 16;
        }
    }
    let guids = utf8(&scratch.guids).ok_or(CompactError("GUID text"))?;
    let mut guid_at = 0usize;
    let blob = bytes.get(at..).unwrap_or_default();
    if blob.len() as u64 != text_len {
        return Err(CompactError("text length"));
    }
    let blob = utf8(blob).ok_or(CompactError("text is not UTF-8"))?;
    let plain = !super::json::needs_escape(blob.as_bytes());
    let mut pos = 0usize;
    for (i, tag) in tags.iter().enumerate() {
        f.text[i] = match *tag {
            0 => None,
            t if t % 2 == 1 => {
                // Within the blob: the lengths were summed and compared above.
                let end = pos + (t / 2) as usize;
                let text = blob.get(pos..end).ok_or(CompactError("split character"))?;
                pos = end;
                Some(text)
            }
            TAG_GUID => {
                // The GUIDs' texts were appended in slot order, 36 ASCII bytes each.
                let text = guids.get(guid_at..guid_at + GUID_TEXT);
                guid_at += GUID_TEXT;
                Some(text.ok_or(CompactError("GUID text"))?)
            }
            t => {
                let earlier = usize::try_from(t / 2 - 1).map_err(|_| CompactError("reference"))?;
                if earlier >= i {
                    return Err(CompactError("forward reference"));
                }
                f.text[earlier]
            }
        };
    }
    Ok(Decoded { fields: f, plain })
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, CompactError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or(CompactError("truncated tag"))?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(CompactError("tag too long"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tables_are_in_declaration_order() {
        for (i, v) in LOGS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in CALLERS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in FORMATS.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in SCOPES.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
    }

    fn fields(
        text: &[Option<String>],
        n: (i64, i32, u64, Option<u64>),
        e: [u8; 5],
    ) -> RowFields<'_> {
        let mut t = [None; SLOTS];
        for (slot, v) in t.iter_mut().zip(text) {
            *slot = v.as_deref();
        }
        RowFields {
            seconds: n.0,
            nanos: n.1,
            log: LOGS[usize::from(e[0]) % LOGS.len()],
            caller_type: CALLERS[usize::from(e[1]) % CALLERS.len()],
            format: FORMATS[usize::from(e[2]) % FORMATS.len()],
            scope: (e[3] % 6 != 5).then(|| SCOPES[usize::from(e[3] % 6) % SCOPES.len()]),
            time_zone_assumed: e[4] % 2 == 1,
            record: n.2,
            line: n.3,
            text: t,
        }
    }

    #[test]
    fn guids_travel_as_sixteen_bytes_in_their_one_spelling() {
        let g = "0123abcd-4567-89ef-0a1b-2c3d4e5f6789";
        let mut t = Vec::new();
        push_guid_text(&guid_bytes(g).unwrap(), &mut t);
        assert_eq!(t, g.as_bytes());
        for not in [
            "0123ABCD-4567-89ef-0a1b-2c3d4e5f6789",
            "0123abcd-4567-89ef-0a1b-2c3d4e5f678",
            "0123abcd+4567-89ef-0a1b-2c3d4e5f6789",
            "0123abcd-4567-89ef-0a1b-2c3d4e5f678g",
        ] {
            assert!(guid_bytes(not).is_none(), "{not}");
        }
        let mut text: Vec<Option<String>> = vec![None; SLOTS];
        text[Slot::TenantId as usize] = Some(g.to_string());
        text[Slot::EventId as usize] = Some(g.to_uppercase());
        let f = fields(&text, (1, 2, 3, Some(4)), [0; 5]);
        let mut buf = Vec::new();
        encode(&f, &mut buf);
        // 16 bytes for the canonical one, 36 for the upper-case one, plus tags.
        assert_eq!(buf.len(), HEADER + SLOTS + 16 + 36);
        let mut scratch = Scratch::default();
        assert_eq!(decode(&buf, &mut scratch).unwrap(), f);
    }

    proptest! {
        #[test]
        fn round_trips(
            text in proptest::collection::vec(
                proptest::option::of("\\PC{0,40}|a|/s/x|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                SLOTS,
            ),
            n in (any::<i64>(), any::<i32>(), any::<u64>(), any::<Option<u64>>()),
            e in any::<[u8; 5]>(),
        ) {
            let f = fields(&text, n, e);
            let mut buf = Vec::new();
            encode(&f, &mut buf);
            let mut scratch = Scratch::default();
            prop_assert_eq!(decode(&buf, &mut scratch).unwrap(), f);
        }

        /// The plain fast path of the JSON writer is taken exactly when no text needs
        /// escaping, and writes what the escaping path writes.
        #[test]
        fn plain_rows_render_as_escaped_rows(
            mut text in proptest::collection::vec(
                proptest::option::of("\\PC{0,20}|caf\u{e9}"),
                SLOTS,
            ),
            dirt in proptest::option::of((0..SLOTS, "a\"b|x\\\\y|l\nm|t\u{1}u")),
        ) {
            // Half the rows hold one text that needs escaping.
            if let Some((slot, dirty)) = dirt {
                text[slot] = Some(dirty);
            }
            let f = fields(&text, (1, 2, 3, None), [0; 5]);
            let mut buf = Vec::new();
            encode(&f, &mut buf);
            let mut scratch = Scratch::default();
            let d = decode_checked(&buf, &mut scratch).unwrap();
            prop_assert_eq!(d.plain, f.plain_text());
            let opts = super::super::RowOptions { format: super::super::Format::Jsonl, raw: false };
            let (mut fast, mut escaped) = (Vec::new(), Vec::new());
            super::super::render_decoded(&d, opts, &mut fast);
            super::super::render(&d.fields, false, opts, &mut escaped);
            prop_assert_eq!(&fast, &escaped);
            let line = std::str::from_utf8(&fast).unwrap();
            prop_assert!(sonic_rs::from_str::<sonic_rs::Value>(line.trim_end()).is_ok());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes, &mut Scratch::default());
        }

        #[test]
        fn truncation_is_an_error(cut in 0usize..60) {
            let text: Vec<Option<String>> =
                (0..SLOTS).map(|i| Some(format!("value {i}"))).collect();
            let f = fields(&text, (1, 2, 3, Some(4)), [0; 5]);
            let mut buf = Vec::new();
            encode(&f, &mut buf);
            let keep = buf.len().saturating_sub(cut + 1);
            prop_assert!(decode(&buf[..keep], &mut Scratch::default()).is_err());
        }
    }
}
