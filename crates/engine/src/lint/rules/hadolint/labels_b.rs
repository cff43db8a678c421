//! Label helpers for the label-schema rules (DL3049–DL3058): the labels an
//! instruction sets, with values as the build sees them, and validators for
//! the schema types (RFC 3339 timestamps, semantic versions, SPDX license
//! expressions, e-mail addresses, URLs and git hashes).
//!
//! The validators are written here rather than taken from crates: each is
//! a small grammar, and the crates that exist either pull in much more
//! (`url` brings IDNA tables) or check something slightly different
//! (`semver` follows Cargo's flavour).

use super::shared_b::{Scope, unquote, var_refs};
use crate::dockerfile::instructions::CommandKind;
use crate::dockerfile::resolve::Expanded;
use crate::lint::config::LabelType;
use crate::lint::context::LintContext;
use crate::lint::rule::Diagnostic;
use crate::model::Instruction;

/// One label an instruction sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Label {
    /// The key, as the build sees it.
    pub key: String,
    /// The value as the build sees it; `None` when it depends on a
    /// variable whose value is only known at build time (an `ARG` without
    /// default, a variable of the base image).
    pub value: Option<String>,
}

/// Every `LABEL` instruction of the file with its labels.
pub(super) fn label_instructions<'a>(cx: &LintContext<'a>) -> Vec<(&'a Instruction, Vec<Label>)> {
    cx.instructions()
        .filter_map(|i| match i.kind() {
            Some(CommandKind::Label(_)) => Some((i, labels_of(cx, i))),
            _ => None,
        })
        .collect()
}

/// The labels one `LABEL` instruction sets.
pub(super) fn labels_of(cx: &LintContext<'_>, instruction: &Instruction) -> Vec<Label> {
    let Some(CommandKind::Label(pairs)) = instruction.kind() else {
        return Vec::new();
    };
    let escape = cx.model.doc.escape;
    let expanded = match &instruction.expanded {
        Some(Expanded::Label { labels }) if labels.len() == pairs.len() => Some(labels),
        _ => None,
    };
    let mut scope: Option<Scope> = None;
    pairs
        .iter()
        .enumerate()
        .map(|(n, pair)| {
            let refs = var_refs(&pair.value, escape);
            let known = refs.is_empty() || {
                let scope = scope.get_or_insert_with(|| Scope::before(cx, instruction));
                refs.iter().all(|r| scope.knows(r))
            };
            match expanded.and_then(|e| e.get(n)) {
                Some((key, value)) => Label {
                    key: key.clone(),
                    value: known.then(|| value.clone()),
                },
                None => Label {
                    key: unquote(&pair.key).to_string(),
                    value: (refs.is_empty() && !pair.value.contains('$'))
                        .then(|| unquote(&pair.value).to_string()),
                },
            }
        })
        .collect()
}

/// For the label-type rules: reports every label of schema type `kind`
/// whose value (as the build sees it) is not valid. Empty values are left
/// to DL3051; values known only at build time are not checked.
pub(super) fn report_invalid(
    cx: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    kind: LabelType,
    what: &str,
    fix: &str,
) {
    if cx.config.label_schema.is_empty() {
        return;
    }
    for (instruction, labels) in label_instructions(cx) {
        for label in labels {
            let Some(value) = &label.value else { continue };
            if value.is_empty()
                || cx.config.label_schema.get(&label.key) != Some(&kind)
                || valid(kind, value)
            {
                continue;
            }
            out.push(
                cx.at(
                    instruction,
                    format!("Label `{}` is not {what}: `{value}`", label.key),
                )
                .with_fix(fix),
            );
        }
    }
}

/// Whether `value` is valid for `kind`.
pub(super) fn valid(kind: LabelType, value: &str) -> bool {
    match kind {
        LabelType::Text => true,
        LabelType::Url => is_url(value),
        LabelType::Semver => is_semver(value),
        LabelType::Hash => is_git_hash(value),
        LabelType::Rfc3339 => is_rfc3339(value),
        LabelType::Spdx => is_spdx_expression(value),
        LabelType::Email => is_email(value),
    }
}

/// A 7- or 40-character lowercase hexadecimal git commit hash.
pub(super) fn is_git_hash(value: &str) -> bool {
    matches!(value.len(), 7 | 40)
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A semantic version (semver.org 2.0.0): `MAJOR.MINOR.PATCH`, an optional
/// `-pre.release` and `+build.metadata`; numeric identifiers without
/// leading zeros (except in build metadata). `v1.2.3` is not one.
pub(super) fn is_semver(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numeric = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    let ident =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|p| {
            p.split('.')
                .all(|id| ident(id) && (!id.bytes().all(|b| b.is_ascii_digit()) || numeric(id)))
        })
        && build.is_none_or(|b| b.split('.').all(ident))
}

/// An RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`. `T` may
/// be `t` or a space (RFC 3339 §5.6 allows the space, and `date
/// --rfc-3339=seconds` writes one); `Z` may be `z`. Dates and times are
/// checked for range (leap years, leap second 60).
pub(super) fn is_rfc3339(value: &str) -> bool {
    let b = value.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let s = value.get(from..from + len)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let at = |i: usize| b.get(i).copied();
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return false;
    };
    if at(4) != Some(b'-') || at(7) != Some(b'-') || !matches!(at(10), Some(b'T' | b't' | b' ')) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    let (Some(hour), Some(minute), Some(second)) = (num(11, 2), num(14, 2), num(17, 2)) else {
        return false;
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if at(13) != Some(b':') || at(16) != Some(b':') {
        return false;
    }
    let mut i = 19;
    if at(i) == Some(b'.') {
        i += 1;
        let start = i;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match at(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len()
                && at(i + 3) == Some(b':')
                && num(i + 1, 2).is_some_and(|h| h <= 23)
                && num(i + 4, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// `atext` of RFC 5322.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// A `dot-atom-text`: atoms of `atext` joined by single dots.
fn is_dot_atom(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|a| !a.is_empty() && a.chars().all(is_atext))
}

/// A `quoted-string` without folding whitespace: `"..."` of printable
/// ASCII, with `\` quoting the next character.
fn is_quoted_string(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if !chars
                    .next()
                    .is_some_and(|n| n == ' ' || n.is_ascii_graphic())
                {
                    return false;
                }
            }
            '"' => return false,
            c if c == ' ' || c.is_ascii_graphic() => {}
            _ => return false,
        }
    }
    true
}

/// An RFC 5322 `addr-spec`: `local@domain`, the local part a dot-atom or a
/// quoted string, the domain a dot-atom or a `[domain literal]`; with the
/// RFC 5321 length limits (64 for the local part, 255 for the domain).
fn is_addr_spec(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = is_dot_atom(local) || is_quoted_string(local);
    let domain_ok = is_dot_atom(domain)
        || domain
            .strip_prefix('[')
            .and_then(|d| d.strip_suffix(']'))
            .is_some_and(|d| {
                !d.is_empty()
                    && d.chars()
                        .all(|c| c.is_ascii_graphic() && !matches!(c, '[' | ']' | '\\'))
            });
    local_ok && domain_ok && local.len() <= 64 && domain.len() <= 255
}

/// An e-mail address as RFC 5322 defines a `mailbox`: an `addr-spec`
/// (`jane@example.com`) or a `name-addr` (`Jane Doe <jane@example.com>`,
/// the display name made of atoms and quoted strings), with optional
/// comments (`Jane <jane@example.com> (@jane)`).
pub(super) fn is_email(value: &str) -> bool {
    let Some(stripped) = strip_comments(value) else {
        return false;
    };
    let value = stripped.trim();
    if let Some(open) = value.rfind('<') {
        let (name, angle) = value.split_at(open);
        let Some(addr) = angle.strip_prefix('<').and_then(|a| a.strip_suffix('>')) else {
            return false;
        };
        let name = name.trim();
        let phrase_ok = name.is_empty() || {
            let mut rest = name;
            let mut ok = true;
            while !rest.is_empty() && ok {
                if rest.starts_with('"') {
                    match rest.get(1..).and_then(find_closing_quote) {
                        Some(end) => {
                            ok = rest.get(..end + 2).is_some_and(is_quoted_string);
                            rest = rest.get(end + 2..).unwrap_or_default().trim_start();
                        }
                        None => ok = false,
                    }
                } else {
                    let end = rest.find([' ', '"']).unwrap_or(rest.len());
                    let word = rest.get(..end).unwrap_or_default();
                    ok = word.chars().all(|c| is_atext(c) || c == '.');
                    rest = rest.get(end..).unwrap_or_default().trim_start();
                }
            }
            ok
        };
        return phrase_ok && is_addr_spec(addr);
    }
    is_addr_spec(value)
}

/// `text` without RFC 5322 comments (`(...)`, nested, outside quoted
/// strings); `None` when the parentheses do not balance.
fn strip_comments(text: &str) -> Option<String> {
    let mut out = String::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in text.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.checked_sub(1)?,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    (depth == 0).then_some(out)
}

/// The index of the closing `"` in text following an opening one.
fn find_closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// An absolute URI (RFC 3986): `scheme:hier-part[?query][#fragment]`, only
/// characters a URI may contain, `%` followed by two hex digits; with an
/// `//authority`, a valid host and a numeric port. Schemes that locate a
/// server (`http`, `https`, `ftp`, `git`, `ssh`, `ws`, `wss`) need a host.
pub(super) fn is_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !hex(i + 1) || !hex(i + 2) {
                    return false;
                }
                i += 3;
                continue;
            }
            b if b.is_ascii_alphanumeric() => {}
            b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+'
            | b',' | b';' | b'=' | b':' | b'@' | b'/' | b'?' | b'#' | b'[' | b']' => {}
            _ => return false,
        }
        i += 1;
    }
    let needs_host = matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ftp" | "git" | "ssh" | "ws" | "wss"
    );
    match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let authority = after.get(..end).unwrap_or_default();
            let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let (host, port) = if hostport.starts_with('[') {
                match hostport.split_once(']') {
                    Some((h, p)) => (h.get(1..).unwrap_or_default(), p.strip_prefix(':')),
                    None => return false,
                }
            } else {
                match hostport.rsplit_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (hostport, None),
                }
            };
            let literal = hostport.starts_with('[');
            let host_ok = !host.contains(['[', ']'])
                && if literal {
                    !host.is_empty()
                } else {
                    host.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=%".contains(c))
                };
            host_ok
                && port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && !(needs_host && host.is_empty())
        }
        None => !needs_host && !rest.is_empty() && !rest.contains(['[', ']']),
    }
}

/// SPDX license identifiers restage knows (the SPDX License List's
/// commonly used entries, including deprecated ones still seen in the
/// wild such as `GPL-2.0`). Matched case-insensitively, as SPDX requires.
const SPDX_LICENSES: &[&str] = &[
    "0BSD",
    "AAL",
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0",
    "AGPL-1.0-only",
    "AGPL-1.0-or-later",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "APSL-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BlueOak-1.0.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-2-Clause-Views",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-3-Clause-LBNL",
    "BSD-4-Clause",
    "BSD-Source-Code",
    "BSL-1.0",
    "BUSL-1.1",
    "bzip2-1.0.6",
    "CAL-1.0",
    "CATOSL-1.1",
    "CC-BY-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC-PDDC",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CDLA-Permissive-2.0",
    "CECILL-2.1",
    "CECILL-B",
    "CECILL-C",
    "ClArtistic",
    "CNRI-Python",
    "CPAL-1.0",
    "CPL-1.0",
    "curl",
    "ECL-2.0",
    "EFL-2.0",
    "Elastic-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "FSFAP",
    "FSFUL",
    "FTL",
    "GFDL-1.2",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0",
    "GPL-1.0+",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0",
    "GPL-2.0+",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-2.0-with-classpath-exception",
    "GPL-3.0",
    "GPL-3.0+",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "GPL-3.0-with-GCC-exception",
    "HPND",
    "ICU",
    "IJG",
    "Imlib2",
    "Info-ZIP",
    "IPA",
    "IPL-1.0",
    "ISC",
    "JSON",
    "LGPL-2.0",
    "LGPL-2.0+",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1+",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0+",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LGPLLR",
    "Libpng",
    "libpng-2.0",
    "libtiff",
    "LiLiQ-P-1.1",
    "LPL-1.02",
    "LPPL-1.3c",
    "MirOS",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MIT-Modern-Variant",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "MulanPSL-2.0",
    "NCSA",
    "Nokia",
    "NPL-1.1",
    "NTP",
    "OFL-1.0",
    "OFL-1.1",
    "OGL-UK-3.0",
    "OLDAP-2.8",
    "OpenSSL",
    "OSL-1.0",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "PostgreSQL",
    "PSF-2.0",
    "Python-2.0",
    "Python-2.0.1",
    "QPL-1.0",
    "RPL-1.5",
    "RPSL-1.0",
    "Ruby",
    "SGI-B-2.0",
    "SISSL",
    "Sleepycat",
    "SMLNJ",
    "SPL-1.0",
    "SSPL-1.0",
    "TCL",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "UPL-1.0",
    "Vim",
    "W3C",
    "W3C-20150513",
    "WTFPL",
    "X11",
    "XFree86-1.1",
    "Xnet",
    "Zend-2.0",
    "Zlib",
    "zlib-acknowledgement",
    "ZPL-2.0",
    "ZPL-2.1",
];

/// SPDX license exceptions restage knows (for `WITH`).
const SPDX_EXCEPTIONS: &[&str] = &[
    "389-exception",
    "Autoconf-exception-2.0",
    "Autoconf-exception-3.0",
    "Bison-exception-2.2",
    "Bootloader-exception",
    "Classpath-exception-2.0",
    "CLISP-exception-2.0",
    "FLTK-exception",
    "Font-exception-2.0",
    "freertos-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-3.1",
    "GPL-3.0-linking-exception",
    "GPL-3.0-linking-source-exception",
    "GPL-CC-1.0",
    "LGPL-3.0-linking-exception",
    "Libtool-exception",
    "Linux-syscall-note",
    "LLVM-exception",
    "LZMA-exception",
    "mif-exception",
    "OCaml-LGPL-linking-exception",
    "OpenJDK-assembly-exception-1.0",
    "openvpn-openssl-exception",
    "PS-or-PDF-font-exception-20170817",
    "Qt-GPL-exception-1.0",
    "Qt-LGPL-exception-1.1",
    "Qwt-exception-1.0",
    "Universal-FOSS-exception-1.0",
    "u-boot-exception-2.0",
    "WxWindows-exception-3.1",
];

/// A license reference: `LicenseRef-x` or `DocumentRef-y:LicenseRef-x`.
fn is_license_ref(id: &str) -> bool {
    let idstring = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    let license = match id.split_once(':') {
        Some((doc, lic)) => match doc.strip_prefix("DocumentRef-") {
            Some(d) if idstring(d) => lic,
            _ => return false,
        },
        None => id,
    };
    license.strip_prefix("LicenseRef-").is_some_and(idstring)
}

/// A simple license: a known id (optionally followed by `+`) or a
/// license reference.
fn is_simple_license(token: &str) -> bool {
    let id = token.strip_suffix('+').unwrap_or(token);
    SPDX_LICENSES.iter().any(|l| l.eq_ignore_ascii_case(id))
        || (id.len() == token.len() && is_license_ref(token))
}

/// An SPDX license expression: known license ids or `LicenseRef-`s joined
/// by `AND`/`OR`, `id WITH exception`, and parentheses.
///
/// Limits: ids are checked against a built-in list of the commonly used
/// entries of the SPDX License List, not the full list (about 600 ids), so
/// a rare but valid id is reported; operators must be upper case.
pub(super) fn is_spdx_expression(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    !tokens.is_empty() && spdx_or(&tokens, &mut pos, 0) && pos == tokens.len()
}

fn spdx_or(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_and(tokens, pos, depth) {
        return false;
    }
    while tokens.get(*pos) == Some(&"OR") {
        *pos += 1;
        if !spdx_and(tokens, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_and(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    if !spdx_term(tokens, pos, depth) {
        return false;
    }
    while tokens.get(*pos) == Some(&"AND") {
        *pos += 1;
        if !spdx_term(tokens, pos, depth) {
            return false;
        }
    }
    true
}

fn spdx_term(tokens: &[&str], pos: &mut usize, depth: usize) -> bool {
    match tokens.get(*pos) {
        Some(&"(") if depth < 32 => {
            *pos += 1;
            let ok = spdx_or(tokens, pos, depth + 1) && tokens.get(*pos) == Some(&")");
            *pos += 1;
            ok
        }
        Some(token) if is_simple_license(token) => {
            *pos += 1;
            if tokens.get(*pos) == Some(&"WITH") {
                *pos += 1;
                let ok = tokens.get(*pos).is_some_and(|e| {
                    SPDX_EXCEPTIONS.iter().any(|x| x.eq_ignore_ascii_case(e))
                        || e.starts_with("AdditionRef-")
                });
                *pos += 1;
                return ok;
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_versions() {
        for ok in [
            "1.0.0",
            "0.1.2",
            "10.20.30",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-0.3.7",
            "1.0.0-x.7.z.92",
            "1.0.0+20130313144700",
            "1.0.0-beta+exp.sha.5114f85",
            "1.0.0+001",
            "1.0.0-alpha-a.b-c",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "1.0",
            "v1.0.0",
            "01.0.0",
            "1.0.0-",
            "1.0.0-01",
            "1.0.0+",
            "1.0.0-a..b",
            "1.0.0.0",
            "latest",
            "",
            "1.0.0-a_b",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2024-01-31T10:00:00Z",
            "2024-02-29T23:59:60+01:00",
            "2024-01-31t10:00:00.123456z",
            "2024-01-31 10:00:00-05:30",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2023-02-29T10:00:00Z",
            "2024-13-01T10:00:00Z",
            "2024-01-31",
            "2024-01-31T10:00:00",
            "2024-01-31T24:00:00Z",
            "2024-01-31T10:00:00.Z",
            "2024-01-31T10:00:00+0100",
            "yesterday",
            "$BUILD_DATE",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "jane@example.com",
            "jane.doe+tag@sub.example.org",
            "\"jane doe\"@example.com",
            "Jane Doe <jane@example.com>",
            "\"Doe, Jane\" <jane@example.com>",
            "<jane@example.com>",
            "Jane Doe <jane@example.com> (@jane)",
            "jane@example.com (Jane)",
            "root@localhost",
            "x@[192.0.2.1]",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "jane",
            "jane@",
            "@example.com",
            "jane..doe@example.com",
            "jane doe@example.com",
            "Jane <jane>",
            "Jane <jane@example.com",
            "a@b@c",
            "Jane (@jane <jane@example.com>",
            "Saleor Commerce (https://saleor.io)",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://github.com/org/repo",
            "http://localhost:8080/x?y=1#z",
            "https://[::1]/",
            "mailto:jane@example.com",
            "urn:isbn:0451450523",
            "https://example.com/a%20b",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in [
            "github.com/org/repo",
            "not a url",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/%zz",
            "http://host:port/",
            "",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }

    #[test]
    fn spdx() {
        for ok in [
            "MIT",
            "mit",
            "Apache-2.0",
            "GPL-2.0+",
            "GPL-2.0-or-later",
            "MIT OR Apache-2.0",
            "(MIT AND BSD-3-Clause) OR GPL-3.0-only",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
        ] {
            assert!(is_spdx_expression(ok), "{ok}");
        }
        for bad in [
            "",
            "Apache 2.0",
            "MIT or Apache-2.0",
            "MIT OR",
            "(MIT",
            "MIT)",
            "GPL",
            "LicenseRef-",
            "MIT WITH",
            "MIT WITH Bogus-exception",
            "Proprietary",
        ] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }

    #[test]
    fn hashes() {
        assert!(is_git_hash("abc1234"));
        assert!(is_git_hash("0123456789abcdef0123456789abcdef01234567"));
        assert!(!is_git_hash("ABC1234"));
        assert!(!is_git_hash("abc12345"));
        assert!(!is_git_hash("xyz1234"));
    }
}
