//! `azhunt rules validate` and `azhunt rules list`.

use crate::cli::{ListFormat, RuleArgs, RulesCommand};
use crate::hunt::print_load_report;
use anyhow::{Result, bail};
use azhunt_detect::{HuntOptions, Hunter};
use std::process::ExitCode;

pub fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Validate { paths } => validate(paths),
        RulesCommand::List { rules, format } => list(&rules, format),
    }
}

fn validate(paths: Vec<std::path::PathBuf>) -> Result<ExitCode> {
    for p in &paths {
        if !p.exists() {
            bail!("no such rule file or directory: {}", p.display());
        }
    }
    let (hunter, report) = Hunter::load(HuntOptions {
        builtin: false,
        rule_paths: paths,
        ..Default::default()
    });
    print_load_report(&report, false);
    println!(
        "{} file(s): {} rule(s) loaded, {} error(s), {} rule(s) for logs azhunt does not read",
        report.files,
        hunter.rule_count(),
        report.errors.len(),
        report.unrouted.len()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

#[derive(serde::Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    level: &'a str,
    attack: &'a [String],
    tactics: &'a [String],
    logsource: &'a str,
    origin: &'a str,
}

fn list(args: &RuleArgs, format: ListFormat) -> Result<ExitCode> {
    let hunter = crate::hunt::load_hunter(
        args,
        HuntOptions {
            stateful: true,
            ..Default::default()
        },
        false,
        false,
    )?;
    let rules = hunter.rules();
    match format {
        ListFormat::Json => {
            let listed: Vec<Listed> = rules
                .iter()
                .map(|r| Listed {
                    id: &r.rule.id,
                    title: &r.rule.title,
                    level: r.rule.level.as_str(),
                    attack: &r.rule.attack,
                    tactics: &r.rule.tactics,
                    logsource: &r.logsource,
                    origin: &r.rule.origin,
                })
                .collect();
            println!("{}", sonic_rs::to_string_pretty(&listed)?);
        }
        ListFormat::Table => {
            println!(
                "{:<36}  {:<13}  {:<60}  {:<22}  {:<24}  ORIGIN",
                "ID", "LEVEL", "TITLE", "ATT&CK", "LOGSOURCE"
            );
            for r in &rules {
                println!(
                    "{:<36}  {:<13}  {:<60}  {:<22}  {:<24}  {}",
                    r.rule.id,
                    r.rule.level.as_str(),
                    azhunt_report::cells::terminal_text(&r.rule.title, 60),
                    r.rule.attack.join(","),
                    r.logsource,
                    r.rule.origin
                );
            }
            let (indexed, always) = hunter.index_stats();
            println!(
                "{} rules ({indexed} found through the operation index, {always} evaluated on every event of their log)",
                rules.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
