//! Heredoc markers (`<<EOF`, `<<-EOF`, `<<'EOF'`, `3<<EOF`) in a logical line.

use super::node::Heredoc;
use super::shell::{EmptyEnv, Lexer};

/// BuildKit's shell lexer in the raw mode it reads heredoc markers with.
pub(crate) fn heredoc_lexer() -> Lexer {
    Lexer {
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
        heredoc_blanks: true,
        ..Lexer::new('\\')
    }
}

/// The heredocs a `RUN`/`COPY`/`ADD` line opens, in order, bodies empty.
///
/// The line is tokenised with BuildKit's shell lexer in raw mode; if that
/// fails (an unterminated quote, a bad `${...}`), the line has no heredocs,
/// as in BuildKit. Errors are BuildKit's messages.
pub fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let lexer = heredoc_lexer();
    let words = lexer.process_words(line, &EmptyEnv).unwrap_or_default();
    let mut docs = Vec::new();
    for word in &words {
        if let Some(doc) = parse_heredoc(word)? {
            docs.push(doc);
        }
    }
    Ok(docs)
}

/// Where an error about the heredocs of `line` points, as a byte range of
/// `line`: the `index`-th marker (`Some`), or the first word that is not a
/// valid one (`None`). `None` when the word cannot be found as written.
/// Only called on errors: it lexes the line again.
pub fn marker_range(line: &str, index: Option<usize>) -> Option<(usize, usize)> {
    let lexer = heredoc_lexer();
    let words = lexer.process_words(line, &EmptyEnv).unwrap_or_default();
    let mut cursor = 0;
    let mut seen = 0;
    for word in &words {
        // Words come in order; each is looked for after the one before.
        let found = line
            .get(cursor..)
            .and_then(|rest| rest.find(word.as_str()))
            .map(|i| (cursor + i, cursor + i + word.len()));
        if let Some((_, end)) = found {
            cursor = end;
        }
        let hit = match (parse_heredoc(word), index) {
            (Err(_), None) => true,
            (Ok(Some(_)), Some(index)) => {
                seen += 1;
                seen == index + 1
            }
            _ => false,
        };
        if hit {
            return found;
        }
    }
    None
}

/// Go's RE2 `\s`.
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Reads one word as a heredoc marker: `^(\d*)<<(-?)\s*([^<]*)$` with a
/// non-empty delimiter that lexes to exactly one word.
pub fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let (fd_text, rest) = word.split_at(digits);
    let Some(rest) = rest.strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let spec = rest.trim_start_matches(is_re_space);
    if spec.is_empty() || spec.contains('<') {
        return Ok(None);
    }
    // Go's ParseUint: empty is 0, too large saturates.
    let fd = if fd_text.is_empty() {
        0
    } else {
        fd_text.parse::<u64>().unwrap_or(u64::MAX)
    };

    let plain = Lexer {
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = plain
        .process_words(spec, &EmptyEnv)
        .map_err(|e| e.to_string())?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw = Lexer {
        raw_quotes: true,
        ..plain
    };
    let raw_words = raw
        .process_words(spec, &EmptyEnv)
        .map_err(|e| e.to_string())?;
    let [raw_name] = raw_words.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {spec}"
        ));
    };
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    Ok(Some(Heredoc {
        name: name.clone(),
        fd,
        expand: quotes(name) == quotes(raw_name),
        chomp,
        content: String::new(),
    }))
}

/// Removes leading tabs from every line, as BuildKit does for `<<-` bodies
/// of `COPY`/`ADD` and `RUN` files.
pub fn chomp_content(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(word: &str) -> Option<(String, u64, bool, bool)> {
        parse_heredoc(word)
            .ok()
            .flatten()
            .map(|h| (h.name, h.fd, h.expand, h.chomp))
    }

    #[test]
    fn markers_table() {
        let s = |x: &str| x.to_string();
        let table = [
            ("<<EOF", Some((s("EOF"), 0, true, false))),
            ("<<-EOF", Some((s("EOF"), 0, true, true))),
            ("3<<EOF", Some((s("EOF"), 3, true, false))),
            ("<<'EOF'", Some((s("EOF"), 0, false, false))),
            ("<<\"EOF\"", Some((s("EOF"), 0, false, false))),
            ("<<E\"O\"F", Some((s("EOF"), 0, false, false))),
            ("<<'one two'", Some((s("one two"), 0, false, false))),
            ("<<\\EOF", Some((s("EOF"), 0, true, false))),
            ("<<$EOF", Some((s("$EOF"), 0, true, false))),
            ("<<  EOF", Some((s("EOF"), 0, true, false))),
            ("<< -EOF", Some((s("-EOF"), 0, true, false))),
            ("<<EOF>out", Some((s("EOF>out"), 0, true, false))),
            ("<<EOF;", Some((s("EOF;"), 0, true, false))),
            (
                "99999999999999999999<<X",
                Some((s("X"), u64::MAX, true, false)),
            ),
            ("<<-", None),
            ("<<", None),
            ("cat<<EOF", None),
            ("x=<<EOF", None),
            ("<<<EOF", None),
            ("\"<<EOF\"", None),
            ("<<'a' b", None),
        ];
        for (word, want) in table {
            assert_eq!(marker(word), want, "{word}");
        }
    }

    #[test]
    fn markers_in_lines() {
        let names = |line: &str| -> Vec<String> {
            heredocs_from_line(line)
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.name)
                .collect()
        };
        assert_eq!(names("RUN <<EOF"), ["EOF"]);
        assert_eq!(names("RUN cat <<A <<-B > out"), ["A", "B"]);
        assert_eq!(names("COPY <<one <<two /dest/"), ["one", "two"]);
        assert_eq!(names("RUN <<  EOF"), ["EOF"]);
        assert!(names("RUN <<- EOF").is_empty());
        assert!(names("RUN <<EOF echo it's").is_empty());
        assert!(names("RUN echo '<<EOF'").is_empty());
        assert_eq!(names("RUN python3 <<EOF > /x"), ["EOF"]);
    }

    #[test]
    fn marker_ranges_point_at_the_word() {
        let line = "RUN cat <<A <<-'B' > out";
        assert_eq!(marker_range(line, Some(0)), Some((8, 11)));
        assert_eq!(marker_range(line, Some(1)), Some((12, 18)));
        assert_eq!(marker_range(line, Some(2)), None);
        assert_eq!(marker_range("RUN <<A <<A", Some(1)), Some((8, 11)));
    }

    #[test]
    fn chomp_strips_leading_tabs_per_line() {
        assert_eq!(chomp_content("\t\ta\n\tb\r\n c\n"), "a\nb\r\n c\n");
    }
}
