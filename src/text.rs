//! Small text helpers shared by every layer: values cut for messages, and
//! ASCII trimming of raw bytes.

/// At most this many characters of an offending value are shown.
pub(crate) const SHOWN_CHARS: usize = 60;

/// `s` cut to at most [`SHOWN_CHARS`] characters, with `...` where it was cut.
pub(crate) fn cut(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(SHOWN_CHARS) {
        None => s.into(),
        Some((end, _)) => format!("{}...", &s[..end]).into(),
    }
}

/// At most `max` items joined by `sep`, each cut to 60 characters, then
/// `and N more`: messages stay short whatever the input.
pub(crate) fn bounded_list<S: AsRef<str>>(items: &[S], max: usize, sep: &str) -> String {
    let mut out: Vec<String> =
        items.iter().take(max).map(|s| cut(s.as_ref()).into_owned()).collect();
    if items.len() > max {
        out.push(format!("and {} more", items.len() - max));
    }
    out.join(sep)
}

/// `b` without leading and trailing ASCII whitespace.
pub(crate) fn trim_bytes(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// `s` without leading and trailing whitespace, as [`str::trim`], with a
/// fast path for the usual text that starts and ends with a visible ASCII
/// character (never whitespace).
pub(crate) fn trim_text(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trim_text_trims_as_str_trim_does() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\u{a0}UNHCR\u{a0}",
            "IOM\u{2003}",
            "x y",
            "~",
            "\u{85}z",
        ] {
            assert_eq!(super::trim_text(s), s.trim(), "{s:?}");
        }
    }
}
