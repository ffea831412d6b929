//! Assembles [`ReportData`] from one read's [`Findings`]: detections ranked and given their
//! sign-in context and raw record, the ATT&CK matrix, the activity series, ranked identities
//! and IPs, and coverage.

use crate::cli::ReportArgs;
use crate::investigate::Findings;
use azhunt_detect::Level;
use azhunt_insight::CoverageOptions;
use azhunt_report::detections::{HuntSummary, Tally};
use azhunt_report::report_data::{
    DetectionTotals, FileRow, MatrixCell, Overview, ReportData, ReportDetection, SourceRow,
};
use std::collections::{BTreeMap, BTreeSet};

fn matrix(f: &Findings) -> Vec<MatrixCell> {
    let mut cells: BTreeMap<(String, String), (usize, Level, Vec<String>)> = BTreeMap::new();
    for d in &f.detections {
        let tactics: Vec<&str> = if d.tactics.is_empty() {
            vec!["unmapped"]
        } else {
            d.tactics.iter().map(String::as_str).collect()
        };
        for tactic in tactics {
            for tech in &d.attack {
                let c = cells.entry((tactic.to_string(), tech.clone())).or_insert((
                    0,
                    d.level,
                    Vec::new(),
                ));
                c.0 += 1;
                c.1 = c.1.max(d.level);
                if c.2.len() < 5 && !c.2.contains(&d.rule_title) {
                    c.2.push(d.rule_title.clone());
                }
            }
        }
    }
    cells
        .into_iter()
        .map(|((tactic, technique), (n, highest, rules))| MatrixCell {
            tactic,
            technique,
            detections: n,
            highest: highest.as_str().to_string(),
            rules,
        })
        .collect()
}

pub fn build(mut f: Findings, args: &ReportArgs, coverage: &CoverageOptions) -> ReportData {
    let mut hs = HuntSummary::default();
    for d in &f.detections {
        hs.add(Tally::from(d));
    }
    let matrix = matrix(&f);
    let mut order: Vec<usize> = (0..f.detections.len()).collect();
    order.sort_by(|a, b| {
        let (x, y) = (&f.detections[*a], &f.detections[*b]);
        y.level.cmp(&x.level).then(x.sort_key().cmp(&y.sort_key()))
    });
    let listed = order.len().min(args.max_detections);
    let mut detections = Vec::with_capacity(listed);
    for &i in order.iter().take(listed) {
        let context = f
            .requests
            .get(i)
            .cloned()
            .flatten()
            .map(|r| f.insight.signin_context(&r, args.context_hours));
        let Some(d) = f.detections.get(i) else {
            continue;
        };
        detections.push(ReportDetection {
            detection: d.clone(),
            context,
            raw: f.raws.remove(&i),
            log_source: f.log_sources.get(i).copied().flatten(),
        });
    }
    let cov = f.insight.coverage(coverage);
    let mut profiles = f.insight.profiles();
    let (n_identities, n_ips) = (profiles.identities.len(), profiles.ips.len());
    profiles.identities.truncate(args.top);
    profiles.ips.truncate(args.top);
    let scopes: BTreeSet<String> = cov
        .sources
        .iter()
        .filter(|s| s.source.starts_with("activity_") && !s.scope.is_empty())
        .map(|s| {
            format!(
                "{}: {}",
                s.label.trim_start_matches("Activity Log, "),
                s.scope
            )
        })
        .collect();
    let overview = Overview {
        events: f.summary.normalized(),
        duplicates: f.summary.files.iter().map(|x| x.duplicates).sum(),
        rejected: f.summary.rejected(),
        first_event: cov.period.first_event.clone(),
        last_event: cov.period.last_event.clone(),
        files: f
            .summary
            .files
            .iter()
            .map(|x| FileRow {
                path: x.path.to_string(),
                kinds: x.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect(),
                read: x.read,
                normalized: x.normalized,
                duplicates: x.duplicates,
                rejected: x.rejected,
                status: match &x.status {
                    azhunt_ingest::FileStatus::Read => "read".to_string(),
                    azhunt_ingest::FileStatus::Unrecognized(why) => {
                        format!("skipped, not a log export: {why}")
                    }
                    azhunt_ingest::FileStatus::Failed(why) => format!("failed: {why}"),
                },
            })
            .collect(),
        sources: cov
            .sources
            .iter()
            .map(|s| SourceRow {
                label: s.label.to_string(),
                scope: s.scope.clone(),
                events: s.events,
                first: s.first.clone(),
                last: s.last.clone(),
            })
            .collect(),
        scopes: scopes.into_iter().collect(),
        identities: n_identities,
        ips: n_ips,
    };
    ReportData {
        title: args.title.clone(),
        generated_at: azhunt_model::time::format_rfc3339(jiff::Timestamp::now()),
        tool: concat!("azhunt ", env!("CARGO_PKG_VERSION")).to_string(),
        overview,
        totals: DetectionTotals {
            total: hs.total,
            by_level: hs
                .by_level
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            by_tactic: hs.by_tactic.clone(),
            matrix,
            not_listed: order.len() - listed,
        },
        detections,
        activity: f.insight.series(),
        identities: profiles.identities,
        ips: profiles.ips,
        coverage: cov,
    }
}
