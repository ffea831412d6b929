//! The corpus driver: splits N records into fixed-size blocks, generates blocks in parallel
//! (rayon) and writes them strictly in order from a dedicated writer thread.
//!
//! Each block has its own RNG stream derived from `(seed, block index)` and every record's
//! time is a function of its global index, so the output is byte-identical for a seed
//! whatever the thread count, and nothing but a few blocks is ever held in memory. Shape
//! framing (JSON Lines, one pretty array, or `{"value":[…],"nextLink":…}` pages) is decided
//! per global record index so blocks can be framed independently.

use std::io::Write;
use std::sync::mpsc::sync_channel;

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use crate::activity::ActivityGen;
use crate::jsonw::JsonW;
use crate::population::Population;
use crate::rng::{Rng, mix};
use crate::signin::SigninGen;
use crate::timefmt::{TICKS_PER_SEC, Timeline, push_ts7};

/// Output shape of a corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// Activity Log events in the REST / `az monitor activity-log list` shape, one per line.
    ActivityJsonl,
    /// The same events in the diagnostic-settings storage (`PT1H.json`) shape, one per line.
    ActivityDiagJsonl,
    /// The REST shape as one pretty-printed top-level JSON array, as `az` prints it.
    ActivityArray,
    /// REST pages `{"value":[…200 events…],"nextLink":"…"}`, one page per line.
    ActivityPages,
    /// Microsoft Graph v1.0 `signIn` objects, one per line.
    SigninGraphJsonl,
}

/// Records per block (the unit of parallelism and of RNG streams).
pub const BLOCK: u64 = 2048;
/// Events per page in the `activity-pages` shape.
pub const PAGE: u64 = 200;
/// Probability that a record is immediately written a second time (overlapping exports).
pub const DUPLICATE_RATE: f64 = 0.001;
/// Maximum lag between export sources, which bounds out-of-order interleaving.
const MAX_SOURCE_LAG_SECS: u64 = 180;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenOptions {
    pub shape: Shape,
    pub events: u64,
    pub seed: u64,
    /// Start of the time span, in 100 ns ticks since the Unix epoch.
    pub start: i64,
    pub days: f64,
}

/// What was generated.
#[derive(Clone, Copy, Debug, Default)]
pub struct GenStats {
    pub records: u64,
    /// Uncompressed bytes produced.
    pub bytes: u64,
}

struct Ctx {
    opts: GenOptions,
    pop: Population,
    timeline: Timeline,
}

/// Generates the corpus described by `opts` into `out` (not flushed or finished).
pub fn generate<W: Write + Send>(opts: &GenOptions, out: &mut W) -> Result<GenStats> {
    if !(opts.days > 0.0 && opts.days.is_finite()) {
        bail!("--days must be a positive number");
    }
    let span = (opts.days * 86_400.0 * TICKS_PER_SEC as f64) as i64;
    // Keep a margin for source lag and long-running operations so every record lands in span.
    let margin = (600 * TICKS_PER_SEC).min(span / 10);
    let ctx = Ctx {
        opts: opts.clone(),
        pop: Population::new(opts.seed),
        timeline: Timeline::new(opts.start, span - margin),
    };
    let blocks = opts.events.div_ceil(BLOCK);
    let batch = (rayon::current_num_threads() as u64 * 2).max(2);
    let (tx, rx) = sync_channel::<String>(batch as usize * 2);

    std::thread::scope(|scope| -> Result<GenStats> {
        let writer = scope.spawn(move || -> std::io::Result<u64> {
            let mut bytes = 0u64;
            for chunk in rx {
                out.write_all(chunk.as_bytes())?;
                bytes += chunk.len() as u64;
            }
            Ok(bytes)
        });
        let mut first = 0;
        let mut send_failed = false;
        if opts.events == 0 && opts.shape == Shape::ActivityArray {
            send_failed |= tx.send("[]\n".to_owned()).is_err();
        }
        while first < blocks && !send_failed {
            let last = (first + batch).min(blocks);
            let out: Vec<String> = (first..last)
                .into_par_iter()
                .map(|b| gen_block(&ctx, b))
                .collect();
            for chunk in out {
                if tx.send(chunk).is_err() {
                    send_failed = true;
                    break;
                }
            }
            first = last;
        }
        drop(tx);
        let bytes = match writer.join() {
            Ok(r) => r.context("writing output")?,
            Err(_) => bail!("writer thread panicked"),
        };
        Ok(GenStats {
            records: opts.events,
            bytes,
        })
    })
}

/// One generated record body inside a block's scratch buffer.
struct Rec {
    /// When the record reached the exporter: its time plus its source's lag.
    arrival: i64,
    start: usize,
    end: usize,
    /// Written a second time a little later (overlapping exports).
    dup: bool,
}

/// Export lag of `source` in this block: most sources are prompt, some minutes behind.
fn source_lag(lag_seed: u64, source: u64) -> i64 {
    let h = mix(lag_seed, source);
    let secs = if h % 100 < 80 { 5 } else { MAX_SOURCE_LAG_SECS };
    ((h >> 8) % (secs * TICKS_PER_SEC as u64)) as i64
}

/// Generates block `b` (records `b*BLOCK .. min((b+1)*BLOCK, N)`) into a fresh string.
///
/// Records are generated with exact event times, then written in order of *arrival*
/// (time + per-source lag), the way exports interleave sources: mostly time-ordered,
/// out of order by up to a few minutes. A few records are written twice.
fn gen_block(ctx: &Ctx, b: u64) -> String {
    let n = ctx.opts.events;
    let from = b * BLOCK;
    let budget = ((from + BLOCK).min(n) - from) as usize;
    let seed = ctx.opts.seed;
    let mut r = Rng::new(seed, b);
    let lag_seed = mix(seed, b ^ 0x05EE_D1A6);
    let avg = match ctx.opts.shape {
        Shape::ActivityArray => 4600,
        Shape::SigninGraphJsonl => 2000,
        _ => 3500,
    };
    let mut scratch = String::with_capacity(budget * avg);
    let mut recs: Vec<Rec> = Vec::with_capacity(budget);
    // Records so far, duplicates included; positions the timeline.
    let mut count = 0;
    let frac = |k: usize| ((from + k as u64) as f64 + 0.5) / n as f64;
    let push = |r: &mut Rng, recs: &mut Vec<Rec>, count: &mut usize, arrival, start, end| {
        *count += 1;
        let dup = *count < budget && r.chance(DUPLICATE_RATE);
        *count += usize::from(dup);
        recs.push(Rec {
            arrival,
            start,
            end,
            dup,
        });
    };
    match ctx.opts.shape {
        Shape::SigninGraphJsonl => {
            let mut sg = SigninGen::new(&ctx.pop);
            while count < budget {
                let t = ctx.timeline.at(frac(count)) + r.below(60 * TICKS_PER_SEC as u64) as i64;
                let start = scratch.len();
                sg.write(&mut r, t, &mut JsonW::new(&mut scratch, false, 0));
                let arrival = t + source_lag(lag_seed, r.below(4));
                push(&mut r, &mut recs, &mut count, arrival, start, scratch.len());
            }
        }
        shape => {
            let mut ag = ActivityGen::new(&ctx.pop);
            let pretty = shape == Shape::ActivityArray;
            while count < budget {
                let t0 = ctx.timeline.at(frac(count)) + r.below(TICKS_PER_SEC as u64) as i64;
                ag.next_op(&mut r, t0);
                let lag = source_lag(lag_seed, ag.source());
                for i in 0..ag.phases.len() {
                    if count >= budget {
                        break;
                    }
                    let start = scratch.len();
                    let mut w = JsonW::new(&mut scratch, pretty, usize::from(pretty));
                    if shape == Shape::ActivityDiagJsonl {
                        ag.write_diag(i, &mut w);
                    } else {
                        ag.write_rest(i, &mut w);
                    }
                    let arrival = ag.phases[i].time + lag;
                    push(&mut r, &mut recs, &mut count, arrival, start, scratch.len());
                }
            }
        }
    }
    recs.sort_by_key(|rec| rec.arrival);

    let mut out = String::with_capacity(scratch.len() + budget * 4 + 256);
    let mut g = from;
    let mut emit = |out: &mut String, rec: &Rec| {
        frame_before(ctx, g, out);
        out.push_str(&scratch[rec.start..rec.end]);
        frame_after(ctx, g, out);
        g += 1;
    };
    // Duplicates reappear up to two minutes (of arrival time) after the original.
    let mut delayed: Vec<(i64, usize)> = Vec::new();
    for (k, rec) in recs.iter().enumerate() {
        while let Some(pos) = delayed.iter().position(|&(due, _)| due <= rec.arrival) {
            let (_, idx) = delayed.swap_remove(pos);
            emit(&mut out, &recs[idx]);
        }
        emit(&mut out, rec);
        if rec.dup {
            delayed.push((rec.arrival + r.below(120 * TICKS_PER_SEC as u64) as i64, k));
        }
    }
    delayed.sort_unstable();
    for (_, idx) in delayed {
        emit(&mut out, &recs[idx]);
    }
    out
}

/// Framing written before record `g`'s body.
fn frame_before(ctx: &Ctx, g: u64, out: &mut String) {
    match ctx.opts.shape {
        Shape::ActivityArray => out.push_str(if g == 0 { "[" } else { "," }),
        Shape::ActivityPages => out.push_str(if g.is_multiple_of(PAGE) {
            r#"{"value":["#
        } else {
            ","
        }),
        _ => {}
    }
}

/// Framing written after record `g`'s body.
fn frame_after(ctx: &Ctx, g: u64, out: &mut String) {
    let n = ctx.opts.events;
    match ctx.opts.shape {
        Shape::ActivityArray => {
            if g + 1 == n {
                out.push_str("\n]\n");
            }
        }
        Shape::ActivityPages => {
            if g + 1 == n {
                out.push_str("]}\n");
            } else if g % PAGE == PAGE - 1 {
                out.push_str(r#"],"nextLink":"https://management.azure.com/subscriptions/"#);
                out.push_str(&ctx.pop.subs[0].id);
                out.push_str("/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&%24filter=eventTimestamp+ge+%27");
                push_ts7(out, ctx.opts.start);
                let _ = std::fmt::Write::write_fmt(
                    out,
                    format_args!("%27&%24skiptoken=page{:08}\"}}\n", g / PAGE + 1),
                );
            }
        }
        _ => out.push('\n'),
    }
}

#[cfg(test)]
mod tests;
