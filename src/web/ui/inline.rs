//! Messages mark code with backticks (`` `apt-get` ``); pages show those
//! parts as `<code>`. This only splits the text: the template escapes both
//! kinds of part.

/// `text` split at backticks: `(is_code, part)`, empty parts dropped. An
/// unpaired backtick stays as text.
pub fn parts(text: &str) -> Vec<(bool, String)> {
    let pieces: Vec<&str> = text.split('`').collect();
    let paired = pieces.len() % 2 == 1;
    let last = pieces.len().saturating_sub(1);
    let mut out: Vec<(bool, String)> = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.into_iter().enumerate() {
        let is_code = i % 2 == 1 && (paired || i < last);
        let piece = if i % 2 == 1 && !is_code {
            format!("`{piece}")
        } else {
            piece.to_string()
        };
        if piece.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((false, prev)) if !is_code => prev.push_str(&piece),
            _ => out.push((is_code, piece)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn backticks_mark_code() {
        assert_eq!(
            parts("use `apt-get` not `apt`."),
            vec![
                (false, "use ".into()),
                (true, "apt-get".into()),
                (false, " not ".into()),
                (true, "apt".into()),
                (false, ".".into())
            ]
        );
        assert_eq!(parts("a `b"), vec![(false, "a `b".into())]);
        assert_eq!(parts("``"), vec![]);
        assert_eq!(parts("<script>"), vec![(false, "<script>".into())]);
    }
}
