//! Physical line numbers of records.
//!
//! The `csv` crate's own line counter skips blank lines and miscounts CRLF
//! files, so the loader counts lines itself: a wrapper around the input notes
//! where each line ends, and each record's byte offset is turned into the
//! physical line on which the record's first field starts.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;

#[derive(Debug, Default)]
struct Terminators {
    /// `(first byte, byte after)` of each line terminator read and not yet
    /// passed by the parser, in order.
    pending: VecDeque<(u64, u64)>,
    /// Bytes read so far.
    read: u64,
    /// Whether the last byte read was `\r`.
    last_was_cr: bool,
    /// Terminators passed so far.
    passed: u64,
    /// Where the record being parsed starts.
    record_start: u64,
    /// The largest record allowed, in bytes.
    limit: u64,
}

/// Reads through to `inner`, noting line terminators.
pub(crate) struct LineReader<R> {
    inner: R,
    terms: Rc<RefCell<Terminators>>,
}

/// Turns record offsets into lines; shares its state with a [`LineReader`].
#[derive(Debug)]
pub(crate) struct LineCounter {
    terms: Rc<RefCell<Terminators>>,
}

/// The error a [`LineReader`] returns when a record outgrows the limit.
#[derive(Debug)]
pub(crate) struct RecordTooLong {
    pub(crate) limit: u64,
}

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is longer than {} bytes, the limit", self.limit)
    }
}

impl std::error::Error for RecordTooLong {}

/// A reader that notes line ends, and a counter sharing its notes. `limit`
/// bounds the bytes read past the start of the record being parsed, plus
/// one buffer of read-ahead.
pub(crate) fn line_reader<R: io::Read>(inner: R, limit: usize) -> (LineReader<R>, LineCounter) {
    let terms =
        Rc::new(RefCell::new(Terminators { limit: limit as u64, ..Terminators::default() }));
    (LineReader { inner, terms: Rc::clone(&terms) }, LineCounter { terms })
}

impl<R: io::Read> io::Read for LineReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        {
            let t = self.terms.borrow();
            if t.read.saturating_sub(t.record_start) > t.limit.saturating_add(READ_AHEAD) {
                return Err(io::Error::other(RecordTooLong { limit: t.limit }));
            }
        }
        let n = self.inner.read(buf)?;
        let mut t = self.terms.borrow_mut();
        let base = t.read;
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            let cr = if i > 0 { buf[i - 1] == b'\r' } else { t.last_was_cr };
            let at = base + i as u64;
            t.pending.push_back((if cr { at - 1 } else { at }, at + 1));
        }
        if n > 0 {
            t.last_was_cr = buf[n - 1] == b'\r';
        }
        t.read += n as u64;
        Ok(n)
    }
}

/// How far the csv reader may read ahead of the record it parses.
pub(crate) const READ_AHEAD: u64 = 1 << 16;

impl LineCounter {
    /// Notes that the next record starts at byte `offset`.
    pub(crate) fn record_starts(&self, offset: u64) {
        self.terms.borrow_mut().record_start = offset;
    }

    /// The line the reader has reached (for errors that stop a file).
    pub(crate) fn lines_read(&self) -> u64 {
        let t = self.terms.borrow();
        t.passed + t.pending.len() as u64 + 1
    }

    /// The 1-based line of the record whose span starts at byte `offset` (as
    /// `csv::Position::byte` gives it: blank lines before the record are part
    /// of its span and are skipped here).
    pub(crate) fn line_of(&self, offset: u64) -> u64 {
        let mut t = self.terms.borrow_mut();
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(body: &str) -> Vec<(String, u64)> {
        let (reader, counter) = line_reader(body.as_bytes(), 1 << 20);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(3)
            .from_reader(reader);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let line = counter.line_of(rec.position().unwrap().byte());
            out.push((String::from_utf8_lossy(&rec[0]).into_owned(), line));
        }
        out
    }

    #[test]
    fn counts_blank_lines_crlf_and_quoted_newlines() {
        let want = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, l)| (s.to_string(), *l)).collect()
        };
        assert_eq!(lines("h\na\n\nb\n"), want(&[("h", 1), ("a", 2), ("b", 4)]));
        assert_eq!(lines("h\r\na\r\n\r\nb\r\n"), want(&[("h", 1), ("a", 2), ("b", 4)]));
        assert_eq!(lines("h\n\"a\nx\"\nb\n"), want(&[("h", 1), ("a\nx", 2), ("b", 4)]));
        assert_eq!(lines("\n\nh\na"), want(&[("h", 3), ("a", 4)]));
        assert_eq!(
            lines("h\r\n\"a\r\n\r\nx\"\r\n\r\n\r\nb"),
            want(&[("h", 1), ("a\r\n\r\nx", 2), ("b", 7)])
        );
    }
}
