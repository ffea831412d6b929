//! What the page embeds: the vendored chart library (`assets/`, see its README), the page's
//! own script and stylesheet, and the Content-Security-Policy that allows exactly those.

/// uPlot 1.6.32, minified browser build (MIT).
pub(super) const UPLOT_JS: &str = include_str!("../../assets/uPlot.iife.min.js");
/// uPlot's stylesheet.
pub(super) const UPLOT_CSS: &str = include_str!("../../assets/uPlot.min.css");
/// The page's script: draws the charts from the JSON data block.
pub(super) const REPORT_JS: &str = include_str!("report.js");
pub(super) const REPORT_CSS: &str = include_str!("report.css");

/// Nothing may be fetched, framed, submitted or run except the two inline scripts and the two
/// inline stylesheets above, named by the SHA-256 of their text (in that order). Markup that
/// escaped the escaping could still not run a script, load an image or send a request. The
/// test `csp_hashes_match_the_embedded_code` checks the hashes and prints new ones when a file
/// changes.
pub(super) const CSP_META: &str = concat!(
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
    "script-src 'sha256-GcjUxq2Ikpp59K5J1vcWFWbf0Lo9FcxJXpdPeH63jx8=' ",
    "'sha256-hriCkSligFvnHePHAqpD0KLlMGvO9uswSZT//vFsAg4='; ",
    "style-src 'sha256-32MMao1vjur/JktQ9zzlsRT2Rv/ZoLt08EmwoAE1+gQ=' ",
    "'sha256-1z4KqKp74d1IqFhC2pxF8NDOZQlqWgCr4H2iP/rUybQ='; ",
    "base-uri 'none'; form-action 'none'\">"
);
