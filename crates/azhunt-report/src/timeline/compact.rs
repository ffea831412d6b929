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
//! same text as slot `k`, which comes earlier. The text is checked as UTF-8 once per row.

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
        match repeats(*slot).iter().find(|s| f.get(**s) == Some(text)) {
            Some(earlier) => push_varint(out, 2 * (*earlier as u64) + 2),
            None => {
                push_varint(out, 2 * text.len() as u64 + 1);
                *keep = Some(text);
            }
        }
    }
    for text in inline.iter().flatten() {
        out.extend_from_slice(text.as_bytes());
    }
}

/// The fields of an encoded row, borrowing its text.
pub fn decode(bytes: &[u8]) -> Result<RowFields<'_>, CompactError> {
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
    for tag in tags.iter_mut() {
        *tag = read_varint(bytes, &mut at)?;
        if *tag % 2 == 1 {
            text_len = text_len.saturating_add(*tag / 2);
        }
    }
    let blob = bytes.get(at..).unwrap_or_default();
    if blob.len() as u64 != text_len {
        return Err(CompactError("text length"));
    }
    let blob = std::str::from_utf8(blob).map_err(|_| CompactError("text is not UTF-8"))?;
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
            t => {
                let earlier = usize::try_from(t / 2 - 1).map_err(|_| CompactError("reference"))?;
                if earlier >= i {
                    return Err(CompactError("forward reference"));
                }
                f.text[earlier]
            }
        };
    }
    Ok(f)
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

    proptest! {
        #[test]
        fn round_trips(
            text in proptest::collection::vec(proptest::option::of("\\PC{0,40}|a|/s/x"), SLOTS),
            n in (any::<i64>(), any::<i32>(), any::<u64>(), any::<Option<u64>>()),
            e in any::<[u8; 5]>(),
        ) {
            let f = fields(&text, n, e);
            let mut buf = Vec::new();
            encode(&f, &mut buf);
            prop_assert_eq!(decode(&buf).unwrap(), f);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn truncation_is_an_error(cut in 0usize..60) {
            let text: Vec<Option<String>> =
                (0..SLOTS).map(|i| Some(format!("value {i}"))).collect();
            let f = fields(&text, (1, 2, 3, Some(4)), [0; 5]);
            let mut buf = Vec::new();
            encode(&f, &mut buf);
            let keep = buf.len().saturating_sub(cut + 1);
            prop_assert!(decode(&buf[..keep]).is_err());
        }
    }
}
