//! SARIF 2.1.0 output, for GitHub code scanning and other SARIF consumers,
//! built with the typed `serde-sarif` model.
//!
//! One run; the tool's rules are every diagnostic code (id, summary, the
//! `sluice explain` text as help, default level); each diagnostic is a
//! result with its rule, level, message (plus the fix) and a region with
//! 1-based lines and columns counted in Unicode code points.

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use crate::diagnostic::{Code, Diagnostics, Severity};
use crate::source::Sources;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The whole report as one SARIF log, pretty-printed.
pub fn sarif(diags: &Diagnostics, sources: &Sources) -> String {
    let rules: Vec<ReportingDescriptor> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let results: Vec<SarifResult> = diags
        .items
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut r = SarifResult::builder()
                .rule_id(d.code.as_str().to_string())
                .rule_index(index as i64)
                .level(level(d.severity))
                .message(Message::builder().text(text).build())
                .build();
            if let Some((file, p)) = Diagnostics::position(sources, d) {
                let region = Region::builder()
                    .start_line(p[0] as i64)
                    .start_column(p[1] as i64)
                    .end_line(p[2] as i64)
                    .end_column(p[3] as i64)
                    .build();
                let physical = PhysicalLocation::builder()
                    .artifact_location(ArtifactLocation::builder().uri(uri(&file)).build())
                    .region(region)
                    .build();
                r.locations = Some(vec![Location::builder()
                    .physical_location(physical)
                    .build()]);
            }
            r
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("sluice".to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .information_uri("https://crates.io/crates/sluice".to_string())
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA.to_string())
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn rule(c: Code) -> ReportingDescriptor {
    let text = |t: &str| {
        MultiformatMessageString::builder()
            .text(t.to_string())
            .build()
    };
    ReportingDescriptor::builder()
        .id(c.as_str().to_string())
        .short_description(text(c.summary()))
        .full_description(text(c.summary()))
        .help(text(c.explain().trim_end()))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(c.default_severity().as_str()))
                .build(),
        )
        .build()
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
    }
}

/// A relative URI reference: `/` separators, spaces and `%` escaped.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}
