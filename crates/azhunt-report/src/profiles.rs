//! `whois` and `summary` as text: one identity in full, or identities and IPs ranked.
//! Every value comes from the evidence and passes through [`terminal_text`].

use crate::cells::terminal_text;
use azhunt_insight::{Counted, IdentityProfile, IpProfile, LevelCounts, Profiles};
use std::fmt::Write;

fn levels(c: &LevelCounts) -> String {
    if c.total == 0 {
        return "none".into();
    }
    let parts: Vec<String> = [
        ("critical", c.critical),
        ("high", c.high),
        ("medium", c.medium),
        ("low", c.low),
        ("informational", c.informational),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(l, n)| format!("{l} {n}"))
    .collect();
    format!("{} ({})", c.total, parts.join(", "))
}

fn counted(out: &mut String, title: &str, list: &[Counted], width: usize) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for c in list {
        let _ = writeln!(out, "  {:>7}  {}", c.count, terminal_text(&c.value, width));
    }
}

/// One identity in full.
pub fn whois_text(p: &IdentityProfile) -> String {
    let mut out = String::new();
    let t = |s: &str| terminal_text(s, 120);
    let _ = writeln!(out, "identity:    {}", t(&p.identity));
    let _ = writeln!(out, "kind:        {}", p.kind);
    let _ = writeln!(out, "known as:    {}", t(&p.keys.join(", ")));
    let _ = writeln!(out, "first seen:  {}", p.first_seen);
    let _ = writeln!(out, "last seen:   {}", p.last_seen);
    let logs: Vec<String> = p.logs.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(out, "events:      {} ({})", p.events, logs.join(", "));
    let _ = writeln!(out, "detections:  {}", levels(&p.detections));
    let _ = writeln!(
        out,
        "sign-ins:    {} ({} failed, {} risky)",
        p.signins.total, p.signins.failed, p.signins.risky
    );
    let _ = writeln!(out, "failed ops:  {}", p.failed);
    let _ = writeln!(out, "privileged:  {}", p.privileged_count);
    if !p.ips.is_empty() {
        let _ = writeln!(out, "IPs ({} distinct):", p.ip_count);
        for ip in &p.ips {
            let _ = writeln!(
                out,
                "  {:<39} {:>7}  {} .. {}  {}{}",
                t(&ip.ip),
                ip.events,
                ip.first_seen.get(..16).unwrap_or(&ip.first_seen),
                ip.last_seen.get(..16).unwrap_or(&ip.last_seen),
                t(ip.location.as_deref().unwrap_or("-")),
                if ip.in_signins || p.signins.total == 0 {
                    ""
                } else {
                    "  [never in its sign-ins]"
                }
            );
        }
    }
    counted(&mut out, "locations", &p.locations, 80);
    counted(&mut out, "operations", &p.operations, 100);
    counted(&mut out, "failed operations", &p.failed_operations, 100);
    counted(&mut out, "privileged operations", &p.privileged, 100);
    counted(
        &mut out,
        "sign-in applications",
        &p.signins.applications,
        80,
    );
    counted(
        &mut out,
        "sign-in authentication",
        &p.signins.authentication,
        80,
    );
    if !p.detection_list.is_empty() {
        let _ = writeln!(out, "detections:");
        for d in &p.detection_list {
            let _ = writeln!(
                out,
                "  {}  {:<13} {:<60} {}",
                d.time.get(..19).unwrap_or(&d.time),
                d.level,
                terminal_text(&d.rule_title, 60),
                terminal_text(d.ip.as_deref().unwrap_or("-"), 39)
            );
        }
    }
    out
}

fn identity_row(out: &mut String, rank: usize, p: &IdentityProfile) {
    let _ = writeln!(
        out,
        "{:>3}  {:<44} {:<17} {:>8} {:>5} {:>5} {:>4}  {}",
        rank,
        terminal_text(&p.identity, 44),
        p.kind,
        p.events,
        p.privileged_count,
        p.failed,
        p.ip_count,
        levels(&p.detections)
    );
}

fn ip_row(out: &mut String, rank: usize, p: &IpProfile) {
    let loc = p.locations.first().map_or("-", |c| c.value.as_str());
    let _ = writeln!(
        out,
        "{:>3}  {:<39} {:>8} {:>5}  {:<28} {}{}",
        rank,
        terminal_text(&p.ip, 39),
        p.events,
        p.identity_count,
        terminal_text(loc, 28),
        levels(&p.detections),
        if p.private { "  (private)" } else { "" }
    );
}

/// Identities and IPs ranked, the first `top` of each.
pub fn summary_text(p: &Profiles, top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "identities ({}), most suspicious first:",
        p.identities.len()
    );
    let _ = writeln!(
        out,
        "{:>3}  {:<44} {:<17} {:>8} {:>5} {:>5} {:>4}  detections",
        "#", "identity", "kind", "events", "priv", "fail", "ips"
    );
    for (i, id) in p.identities.iter().take(top).enumerate() {
        identity_row(&mut out, i + 1, id);
    }
    let _ = writeln!(
        out,
        "\nIP addresses ({}), most suspicious first:",
        p.ips.len()
    );
    let _ = writeln!(
        out,
        "{:>3}  {:<39} {:>8} {:>5}  {:<28} detections",
        "#", "ip", "events", "ids", "location"
    );
    for (i, ip) in p.ips.iter().take(top).enumerate() {
        ip_row(&mut out, i + 1, ip);
    }
    out
}
