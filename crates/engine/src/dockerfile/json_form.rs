//! JSON (exec) form detection: `["executable", "arg"]`.
//!
//! BuildKit hands the whole argument text to Go's `encoding/json`. Whether
//! an instruction is in exec form, in shell form or an error depends on the
//! details of that decoder, so this module reproduces them: the whole text
//! must be one JSON value, nesting deeper than 10,000 is a syntax error, a
//! number too large for a float64 makes the text "not JSON", a lone UTF-16
//! surrogate escape decodes to U+FFFD.

use super::gotext::trim_left_space;

/// What the argument text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonForm {
    /// A JSON array of strings (possibly empty): exec form.
    Strings(Vec<String>),
    /// A valid JSON array with a non-string element: BuildKit rejects it.
    NotStrings,
    /// Anything else: the instruction is in shell form.
    NotJson,
}

/// BuildKit's error for [`JsonForm::NotStrings`].
pub const NOT_STRINGS_MESSAGE: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Go's `encoding/json` nesting limit.
const MAX_DEPTH: usize = 10_000;

/// Classifies argument text the way BuildKit's `parseJSON` does.
pub fn parse_json_array(text: &str) -> JsonForm {
    let text = trim_left_space(text);
    if !text.starts_with('[') {
        return JsonForm::NotJson;
    }
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 1,
        overflow: false,
    };
    match p.top_level_array() {
        Some(items) => {
            p.skip_ws();
            if p.pos != p.s.len() || p.overflow {
                JsonForm::NotJson
            } else {
                match items {
                    Some(strings) => JsonForm::Strings(strings),
                    None => JsonForm::NotStrings,
                }
            }
        }
        None => JsonForm::NotJson,
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    overflow: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// After the opening `[`: the elements, `Some(None)` if one is not a string.
    fn top_level_array(&mut self) -> Option<Option<Vec<String>>> {
        let mut strings = Some(Vec::new());
        self.skip_ws();
        if self.eat(b']').is_some() {
            return Some(strings);
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b'"') {
                let s = self.string()?;
                if let Some(list) = strings.as_mut() {
                    list.push(s);
                }
            } else {
                self.skip_value(1)?;
                strings = None;
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(strings);
                }
                _ => return None,
            }
        }
    }

    /// Skips one value without recursion; `depth` is the nesting it sits in.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // Expect a value.
            self.skip_ws();
            match self.peek()? {
                open @ (b'[' | b'{') => {
                    self.pos += 1;
                    if depth + stack.len() + 1 > MAX_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.eat(close).is_none() {
                        stack.push(open);
                        if open == b'{' {
                            self.object_key()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.skip_ws();
                match (self.peek()?, top) {
                    (b',', _) => {
                        self.pos += 1;
                        if top == b'{' {
                            self.object_key()?;
                        }
                        break;
                    }
                    (b']', b'[') | (b'}', b'{') => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    fn object_key(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.skip_ws();
        self.eat(b':')
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.s.get(self.pos..self.pos + word.len())? == word {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let literal = std::str::from_utf8(self.s.get(start..self.pos)?).ok()?;
        match literal.parse::<f64>() {
            Ok(v) if v.is_finite() => {}
            _ => self.overflow = true,
        }
        Some(())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.s.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }

    /// A string starting at `"`, decoded like Go's `unquote`.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    let esc = *self.s.get(self.pos + 1)?;
                    self.pos += 2;
                    let simple = match esc {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(0x08),
                        b'f' => Some(0x0c),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return None,
                    };
                    if let Some(byte) = simple {
                        out.push(byte);
                        continue;
                    }
                    let first = self.hex4(self.pos)?;
                    self.pos += 4;
                    let c = if (0xD800..0xE000).contains(&first) {
                        let pair = (first < 0xDC00)
                            .then(|| {
                                if self.s.get(self.pos..self.pos + 2)? != b"\\u" {
                                    return None;
                                }
                                let second = self.hex4(self.pos + 2)?;
                                (0xDC00..0xE000).contains(&second).then_some(second)
                            })
                            .flatten();
                        match pair {
                            Some(second) => {
                                self.pos += 6;
                                char::from_u32(
                                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                                )
                                .unwrap_or(char::REPLACEMENT_CHARACTER)
                            }
                            None => char::REPLACEMENT_CHARACTER,
                        }
                    } else {
                        char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER)
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1f => return None,
                _ => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> JsonForm {
        JsonForm::Strings(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn exec_form_table() {
        let table = [
            (r#"["a", "b c"]"#, strings(&["a", "b c"])),
            (r#"  [ ]"#, strings(&[])),
            ("[]", strings(&[])),
            (r#"["\u00e9\n\t\"\\\/"]"#, strings(&["é\n\t\"\\/"])),
            (r#"["\ud83d\ude00"]"#, strings(&["😀"])),
            (r#"["\ud83d"]"#, strings(&["\u{fffd}"])),
            (r#"["\ude00x"]"#, strings(&["\u{fffd}x"])),
            (r#"["\ud83d\u0041"]"#, strings(&["\u{fffd}A"])),
            (r#"[1]"#, JsonForm::NotStrings),
            (r#"["a", ["b"]]"#, JsonForm::NotStrings),
            (r#"[null]"#, JsonForm::NotStrings),
            (
                r#"["a", {"k": [1, true, false, null, -0.5e3]}]"#,
                JsonForm::NotStrings,
            ),
            (r#"[1e999]"#, JsonForm::NotJson),
            (r#"["a", [1e999]]"#, JsonForm::NotJson),
            (r#"['a']"#, JsonForm::NotJson),
            (r#"["a"] junk"#, JsonForm::NotJson),
            (r#"["a"]]"#, JsonForm::NotJson),
            (r#"["a""#, JsonForm::NotJson),
            (r#"[01]"#, JsonForm::NotJson),
            (r#"["\x"]"#, JsonForm::NotJson),
            ("[\"tab\there\"]", JsonForm::NotJson),
            (r#"{"a": 1}"#, JsonForm::NotJson),
            ("echo hi", JsonForm::NotJson),
            (r#"["a",]"#, JsonForm::NotJson),
        ];
        for (text, want) in table {
            assert_eq!(parse_json_array(text), want, "{text}");
        }
    }

    #[test]
    fn nesting_limit_is_go_s() {
        let ok = format!(
            "[{}1{}]",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(parse_json_array(&ok), JsonForm::NotStrings);
        let deep = format!("[{}1{}]", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse_json_array(&deep), JsonForm::NotJson);
    }
}
