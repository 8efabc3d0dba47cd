//! Reading records with their physical lines, under the size limits.
//!
//! The `csv` crate's own line counter skips blank lines and miscounts CRLF
//! and CR-only files, so lines are counted here: a wrapper around the input
//! notes where each line ends (`\n`, `\r\n` or a lone `\r`), and each
//! record's byte offset is turned into the physical line on which its first
//! field starts. The wrapper also keeps the bytes of the record being parsed
//! (bounded by the record limit), to tell a file that ends inside a quoted
//! field, which the `csv` crate silently accepts.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

use csv::ByteRecord;

use super::Limits;
use crate::Error;

#[derive(Debug, Default)]
struct Tracker {
    /// `(first byte, byte after)` of each line terminator read and not yet
    /// passed by the parser, in order.
    pending: VecDeque<(u64, u64)>,
    /// Bytes read so far.
    read: u64,
    /// Where a `\r` at the end of the last read stands, if one does: a
    /// terminator alone or with a `\n` to come.
    open_cr: Option<u64>,
    /// Terminators passed so far.
    passed: u64,
    /// Where the record being parsed starts.
    record_start: u64,
    /// The largest record allowed, in bytes.
    limit: u64,
    /// The bytes from `tail_base` to `read`.
    tail: Vec<u8>,
    tail_base: u64,
    /// Whether the input has ended.
    eof: bool,
    /// The field separator.
    delimiter: u8,
}

impl Tracker {
    fn terminator(&mut self, first: u64, end: u64) {
        self.pending.push_back((first, end));
    }

    /// Notes the terminators in `buf`, which starts at byte `self.read`.
    fn scan(&mut self, buf: &[u8]) {
        let base = self.read;
        for i in memchr::memchr2_iter(b'\n', b'\r', buf) {
            let at = base + i as u64;
            if buf[i] == b'\n' {
                match self.open_cr.take() {
                    Some(cr) if cr + 1 == at => self.terminator(cr, at + 1),
                    Some(cr) => {
                        self.terminator(cr, cr + 1);
                        self.terminator(at, at + 1);
                    }
                    None => self.terminator(at, at + 1),
                }
            } else {
                if let Some(cr) = self.open_cr.take() {
                    self.terminator(cr, cr + 1);
                }
                self.open_cr = Some(at);
            }
        }
        // A `\r` followed by anything but `\n` ends a line on its own.
        if let Some(cr) = self.open_cr {
            let next = (cr + 1 - base) as usize;
            if next < buf.len() && buf[next] != b'\n' {
                self.open_cr = None;
                self.terminator(cr, cr + 1);
            }
        }
    }
}

/// Reads through to `inner`, noting line terminators and keeping the tail.
struct Tracked<R> {
    inner: R,
    state: Rc<RefCell<Tracker>>,
}

/// The error a [`Tracked`] reader returns when a record outgrows the limit.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record is longer than the limit")
    }
}

impl std::error::Error for RecordTooLong {}

/// How far the csv reader may read ahead of the record it parses.
const READ_AHEAD: u64 = 1 << 16;

impl<R: io::Read> io::Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        {
            let t = self.state.borrow();
            if t.read.saturating_sub(t.record_start) > t.limit.saturating_add(READ_AHEAD) {
                return Err(io::Error::other(RecordTooLong));
            }
        }
        let n = self.inner.read(buf)?;
        let mut t = self.state.borrow_mut();
        if n == 0 {
            t.eof = true;
            if let Some(cr) = t.open_cr.take() {
                t.terminator(cr, cr + 1);
            }
            return Ok(0);
        }
        t.scan(&buf[..n]);
        // Keep the bytes from the record being parsed on; drop older ones
        // once they are at least half of what is kept.
        let keep_from = (t.record_start.max(t.tail_base) - t.tail_base) as usize;
        if keep_from > 0 && keep_from >= t.tail.len() / 2 {
            t.tail.drain(..keep_from);
            t.tail_base += keep_from as u64;
        }
        t.tail.extend_from_slice(&buf[..n]);
        t.read += n as u64;
        Ok(n)
    }
}

/// The records of one CSV file, each with the physical line it starts on.
pub(crate) struct RecordReader<R: io::Read> {
    rdr: csv::Reader<Tracked<R>>,
    state: Rc<RefCell<Tracker>>,
    rec: ByteRecord,
    file: String,
    first: bool,
    line: u64,
    unclosed: bool,
    /// Lines before the input's first byte (for a piece of a larger file).
    line_base: u64,
}

impl<R: io::Read> RecordReader<R> {
    /// Reads `reader`, named `file` in errors, under `limits`.
    pub(crate) fn new(file: &str, reader: R, limits: Limits) -> Self {
        let state = Rc::new(RefCell::new(Tracker {
            limit: limits.record_bytes as u64,
            delimiter: limits.delimiter,
            ..Tracker::default()
        }));
        let tracked = Tracked { inner: reader, state: Rc::clone(&state) };
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(limits.delimiter)
            .flexible(true)
            .buffer_capacity(READ_AHEAD as usize)
            .from_reader(tracked);
        RecordReader {
            rdr,
            state,
            rec: ByteRecord::new(),
            file: file.to_string(),
            first: true,
            line: 0,
            unclosed: false,
            line_base: 0,
        }
    }

    /// Reads a piece of a file that starts at a line start after
    /// `line_base` lines (at least the header's): no byte-order mark or
    /// encoding check, lines counted from `line_base + 1`. The `csv` crate
    /// drops a byte-order mark at the start of its input; mid-file it is
    /// data, so the piece is read behind an empty line, which the crate
    /// skips and the line count takes back.
    pub(crate) fn continuing(
        file: &str,
        reader: R,
        limits: Limits,
        line_base: u64,
    ) -> RecordReader<io::Chain<&'static [u8], R>> {
        let mut records = RecordReader::new(file, (&b"\n"[..]).chain(reader), limits);
        records.first = false;
        records.line_base = line_base.saturating_sub(1);
        records
    }

    /// Reads the next record and returns the line it starts on. The first
    /// record loses a leading UTF-8 byte-order mark; a UTF-16 file is an
    /// error.
    pub(crate) fn next(&mut self) -> Result<Option<u64>, Error> {
        let more = match self.rdr.read_byte_record(&mut self.rec) {
            Ok(more) => more,
            Err(e) => return Err(self.error(e)),
        };
        if std::mem::take(&mut self.first) {
            if let Some(endian) = self.utf16() {
                return Err(Error::Format {
                    file: self.file.clone(),
                    line: 1,
                    message: format!("the file is UTF-16 ({endian}), not UTF-8 (save it as UTF-8)"),
                });
            }
            if more {
                self.strip_bom();
            }
        }
        if !more {
            return Ok(None);
        }
        let start = self.rec.position().map_or(0, |p| p.byte());
        let end = self.rdr.position().byte();
        let mut t = self.state.borrow_mut();
        self.line = self.line_base + line_of(&mut t, start);
        self.unclosed = t.eof && end == t.read && ends_in_quotes(&t, start);
        t.record_start = end;
        Ok(Some(self.line))
    }

    /// The record last read.
    pub(crate) fn record(&self) -> &ByteRecord {
        &self.rec
    }

    /// Whether the file ended inside a quoted field of the record last read.
    pub(crate) fn ended_in_quotes(&self) -> bool {
        self.unclosed
    }

    /// Bytes of input consumed so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.rdr.position().byte()
    }

    fn utf16(&self) -> Option<&'static str> {
        let t = self.state.borrow();
        match t.tail.get(..2)? {
            [0xFF, 0xFE] => Some("little-endian"),
            [0xFE, 0xFF] => Some("big-endian"),
            [a, 0] if *a != 0 => Some("little-endian"),
            [0, b] if *b != 0 => Some("big-endian"),
            _ => None,
        }
    }

    fn strip_bom(&mut self) {
        if let Some(rest) = self.rec.get(0).and_then(|f| f.strip_prefix(b"\xEF\xBB\xBF")) {
            let mut out = ByteRecord::new();
            out.push_field(rest);
            for f in self.rec.iter().skip(1) {
                out.push_field(f);
            }
            out.set_position(self.rec.position().cloned());
            self.rec = out;
        }
    }

    /// The error for a failed read: a record over the limit (at the line the
    /// record starts on), or an I/O error.
    pub(crate) fn error(&self, e: csv::Error) -> Error {
        let file = self.file.clone();
        match e.into_kind() {
            csv::ErrorKind::Io(source)
                if source.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) =>
            {
                let mut t = self.state.borrow_mut();
                let start = t.record_start;
                Error::Format {
                    file,
                    line: self.line_base + line_of(&mut t, start),
                    message: format!(
                        "a record is longer than {} bytes, the limit (see Loader::max_record_bytes); reading stopped",
                        t.limit
                    ),
                }
            }
            csv::ErrorKind::Io(source) => Error::Io { file, source },
            other => Error::Format { file, line: self.line, message: format!("{other:?}") },
        }
    }
}

/// The 1-based line of the record whose span starts at byte `offset` (as
/// `csv::Position::byte` gives it: blank lines before the record are part
/// of its span and are skipped here).
fn line_of(t: &mut Tracker, offset: u64) -> u64 {
    // Terminators that start before the record's first byte are passed;
    // one that starts right at it ends a blank line, which is skipped.
    let mut start = offset;
    while let Some(&(first, end)) = t.pending.front() {
        if first > start {
            break;
        }
        t.pending.pop_front();
        t.passed += 1;
        start = start.max(end);
    }
    t.passed + 1
}

/// Whether the bytes from `start` to the end of the input leave a quoted
/// field open, read as RFC 4180 and the `csv` crate read them: a quote opens
/// a quoted field only at the start of a field, `""` inside one is a quote.
fn ends_in_quotes(t: &Tracker, start: u64) -> bool {
    let Some(from) = start.checked_sub(t.tail_base) else { return false };
    let mut at_field_start = true;
    let mut quoted = false;
    let mut bytes = t.tail[from as usize..].iter().peekable();
    while let Some(&b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
        } else {
            match b {
                b'"' if at_field_start => quoted = true,
                b'\n' | b'\r' => {
                    at_field_start = true;
                    continue;
                }
                d if d == t.delimiter => {
                    at_field_start = true;
                    continue;
                }
                _ => {}
            }
            at_field_start = false;
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits { field_bytes: 1 << 20, record_bytes: 1 << 20, delimiter: b',' }
    }

    fn lines(body: &str) -> Vec<(String, u64)> {
        let mut r = RecordReader::new("f.csv", body.as_bytes(), limits());
        let mut out = Vec::new();
        while let Some(line) = r.next().unwrap() {
            out.push((String::from_utf8_lossy(&r.record()[0]).into_owned(), line));
        }
        out
    }

    fn want(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(s, l)| (s.to_string(), *l)).collect()
    }

    #[test]
    fn counts_blank_lines_crlf_cr_and_quoted_newlines() {
        assert_eq!(lines("h\na\n\nb\n"), want(&[("h", 1), ("a", 2), ("b", 4)]));
        assert_eq!(lines("h\r\na\r\n\r\nb\r\n"), want(&[("h", 1), ("a", 2), ("b", 4)]));
        assert_eq!(lines("h\n\"a\nx\"\nb\n"), want(&[("h", 1), ("a\nx", 2), ("b", 4)]));
        assert_eq!(lines("\n\nh\na"), want(&[("h", 3), ("a", 4)]));
        assert_eq!(
            lines("h\r\n\"a\r\n\r\nx\"\r\n\r\n\r\nb"),
            want(&[("h", 1), ("a\r\n\r\nx", 2), ("b", 7)])
        );
        assert_eq!(lines("h\ra\r\rb\r"), want(&[("h", 1), ("a", 2), ("b", 4)]));
        assert_eq!(lines("h\ra\n\rb"), want(&[("h", 1), ("a", 2), ("b", 4)]));
    }

    #[test]
    fn tells_a_file_that_ends_inside_quotes() {
        for (body, open) in [
            ("h\na\n", false),
            ("h\n\"a", true),
            ("h\n\"a\"", false),
            ("h\n\"a\"\"", true),
            ("h\nx\"a", false),
            ("h\n\"a\nb\nc\n", true),
            ("h\na,\"b", true),
        ] {
            let mut r = RecordReader::new("f.csv", body.as_bytes(), limits());
            let mut last = false;
            while r.next().unwrap().is_some() {
                last = r.ended_in_quotes();
            }
            assert_eq!(last, open, "{body:?}");
        }
    }
}
