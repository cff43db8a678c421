//! Rule documentation is Markdown; the rule pages show it as HTML. Raw HTML
//! in the Markdown is shown as text, never passed through.

use pulldown_cmark::{Event, Options, Parser, html};

/// `markdown` as HTML, with any raw HTML in it escaped.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_becomes_html_and_raw_html_stays_text() {
        assert_eq!(
            to_html("Use `COPY`, not **ADD**."),
            "<p>Use <code>COPY</code>, not <strong>ADD</strong>.</p>\n"
        );
        let html = to_html("<script>alert(1)</script>\n\nx <b>y</b>");
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
