//! Reading a file: in 4 MiB blocks cut at record ends, each parsed in two
//! parts on two threads while the previous block is merged. A record may
//! span lines inside a quoted field, so a block is cut only at a line end
//! with an even number of quotes before it in the block (every quoted field
//! before it closed); a piece that its own parse finds ending inside quotes
//! (a stray quote in an unquoted field makes the count lie) sends the rest
//! of the file, from that block on, down the sequential path, record by
//! record. Either way rows and rejections come out in file order with their
//! exact lines.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use csv::ByteRecord;

use super::batch::{check_capacity, flush, reject, reserve_for, Batch, BATCH};
use super::fields::{parse_record, Bounds, Fields, Row};
use super::header::{header_shape, Shape};
use super::lines::RecordReader;
use super::{Loader, Problem, Rejection};
use crate::{Dataset, Error, Table};

/// Input is read in blocks of this size, each cut at a record end and
/// parsed in two halves on two threads.
const BLOCK: usize = 4 << 20;

pub(super) fn read<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut reader: R,
) -> Result<(), Error> {
    let parallel = super::two_cores();
    let io_error = |source: io::Error| Error::Io { file: file.to_string(), source };
    let mut buf = Vec::with_capacity(if parallel { BLOCK } else { 0 });
    let mut at_end = false;
    if parallel {
        at_end = fill(&mut reader, &mut buf, BLOCK).map_err(io_error)?;
    }
    if !parallel {
        let chained = io::Cursor::new(buf).chain(reader);
        return read_sequential(
            loader,
            table,
            file,
            RecordReader::new(file, chained, loader.limits),
            None,
        );
    }
    // The header, from the first block.
    let mut records = RecordReader::new(file, &buf[..], loader.limits);
    let (header, header_line) = match records.next()? {
        Some(line) => (records.record().clone(), line),
        None => (ByteRecord::new(), 1),
    };
    let mut header_end = records.bytes_read() as usize;
    drop(records);
    if header_end >= buf.len() && !at_end {
        // A header longer than a block: the sequential path reads it whole.
        let chained = io::Cursor::new(buf).chain(reader);
        let records = RecordReader::new(file, chained, loader.limits);
        return read_sequential(loader, table, file, records, None);
    }
    // The csv reader stops after the `\r` of a CRLF; the `\n` is the header's.
    if header_end > 0 && buf[header_end - 1] == b'\r' && buf.get(header_end) == Some(&b'\n') {
        header_end += 1;
    }
    let shape = header_shape(loader, table, file, header_line, &header)?;
    let line_base = count_lines(&buf[..header_end]);
    buf.drain(..header_end);
    let input = Input { reader, buf, at_end };
    parallel_blocks(loader, table, file, input, shape, (line_base, header_end as u64))
}

/// The rest of a file after its first block's header: the reader, the
/// bytes read but not yet parsed, and whether the reader is at its end.
struct Input<R> {
    reader: R,
    buf: Vec<u8>,
    at_end: bool,
}

/// The two-thread path from the first data row on: another thread parses
/// the first part of each block while this one merges the previous block's
/// pieces, parses the rest of the block and reads the next (two tasks on
/// two cores, the parts sized so that they take as long), until the end or
/// a piece cut inside a quoted field, from which the sequential path goes
/// on. `(line_base, consumed)`: the lines and bytes before `input.buf`.
fn parallel_blocks<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut input: Input<R>,
    shape: Shape,
    (mut line_base, mut consumed): (u64, u64),
) -> Result<(), Error> {
    let io_error = |source: io::Error| Error::Io { file: file.to_string(), source };
    let mut batch = Batch::new(loader, table);
    batch.absent = shape.absent(table);
    let mut pending: Option<[(Piece, u64); 2]> = None;
    // The share of a block the other thread parses; this one merges the
    // previous block, parses the rest and reads the next block, and the
    // share moves so that both take as long.
    let mut share = 0.5f64;
    // The buffer of the block before, reused for the next block (a new
    // one each block would be faulted in by the kernel page by page).
    let mut spare: Vec<u8> = Vec::new();
    // Pieces merged, reused for the pieces of the next blocks.
    let mut pool: Vec<Piece> = Vec::new();
    loop {
        let buf = &input.buf;
        let quoted = memchr::memchr(b'"', buf).is_some();
        let cut = if input.at_end { Some(buf.len()) } else { last_record_end(buf, quoted) };
        let Some(cut) = cut.filter(|&cut| cut > 0 || buf.is_empty()) else {
            // A record longer than a block: on sequentially.
            return go_sequential(loader, table, file, input, shape, batch, pending, line_base);
        };
        let at = ((cut as f64 * share) as usize).min(cut);
        let half = first_record_end(&buf[..cut], at, quoted).unwrap_or(cut);
        let (first, second) = buf[..cut].split_at(half);
        let second_base = line_base + count_lines(first);
        let limits = loader.limits;
        let shape_ref = &shape;
        let reader = &mut input.reader;
        let at_end = input.at_end;
        let (reuse_a, reuse_b) = (pool.pop(), pool.pop());
        let (a, b, merged, next, timing) = std::thread::scope(|s| {
            let a = s.spawn(|| {
                let started = Instant::now();
                let piece = parse_piece(table, shape_ref, file, first, line_base, limits, reuse_a);
                (piece, started.elapsed())
            });
            let started = Instant::now();
            let merged = match pending.take() {
                Some(pieces) => merge_pieces(loader, table, file, &mut batch, pieces),
                None => Ok(Vec::new()),
            };
            let merging = started.elapsed();
            let b = merged
                .is_ok()
                .then(|| parse_piece(table, shape_ref, file, second, second_base, limits, reuse_b));
            let parsing = started.elapsed() - merging;
            // The next block: the bytes after the cut, then more input.
            let mut next = std::mem::take(&mut spare);
            next.clear();
            next.reserve(BLOCK);
            next.extend_from_slice(&buf[cut..]);
            let filled = if at_end { Ok(true) } else { fill(reader, &mut next, BLOCK) };
            let rest = started.elapsed() - merging - parsing;
            let (a, a_time) = a.join().expect("parsing threads do not panic");
            (a, b, merged, (next, filled), (a_time, merging + rest, parsing))
        });
        pool.extend(merged?);
        let b = b.expect("parsed when the merge succeeded");
        let (next, filled) = next;
        if a.unclosed || b.unclosed {
            // A cut inside a quoted field: this block and the rest
            // sequentially (the input read since follows the cut).
            input.buf.truncate(cut);
            input.buf.extend_from_slice(&next);
            input.at_end = filled.map_err(io_error)?;
            return go_sequential(loader, table, file, input, shape, batch, None, line_base);
        }
        share = next_share(share, (first.len(), second.len()), timing);
        pending = Some([(a, consumed + half as u64), (b, consumed + cut as u64)]);
        line_base = second_base + count_lines(second);
        consumed += cut as u64;
        spare = std::mem::replace(&mut input.buf, next);
        input.at_end = filled.map_err(io_error)?;
        if at_end {
            break;
        }
    }
    if let Some(pieces) = pending.take() {
        merge_pieces(loader, table, file, &mut batch, pieces)?;
    }
    match flush(loader, table, file, &mut batch) {
        Some(dup) => Err(Error::Rejected(dup)),
        None => Ok(()),
    }
}

/// The share of the next block for the other thread, from this block's
/// bytes parsed by each thread and `(its time, this thread's other work,
/// this thread's parsing)`: both threads should finish together.
pub(super) fn next_share(
    share: f64,
    (first, second): (usize, usize),
    (theirs, other_work, ours): (Duration, Duration, Duration),
) -> f64 {
    let parsing = (theirs + ours).as_secs_f64();
    let bytes = (first + second) as f64;
    if parsing <= 0.0 || bytes <= 0.0 {
        return share;
    }
    // Bytes a second; the other thread takes x bytes of a block of n:
    // x / rate = other_work + (n - x) / rate.
    let rate = bytes / parsing;
    let want = 0.5 + other_work.as_secs_f64() * rate / (2.0 * bytes);
    (0.5 * share + 0.5 * want).clamp(0.5, 0.9)
}

/// Goes on record by record from the start of `input.buf`, after merging
/// the pieces still pending.
#[allow(clippy::too_many_arguments)]
fn go_sequential<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    input: Input<R>,
    shape: Shape,
    mut batch: Batch,
    pending: Option<[(Piece, u64); 2]>,
    line_base: u64,
) -> Result<(), Error> {
    if let Some(pieces) = pending {
        merge_pieces(loader, table, file, &mut batch, pieces)?;
    }
    // The sequential path writes every column of every row.
    loader.dataset.fill_columns(table);
    batch.absent = 0;
    let rest = io::Cursor::new(input.buf).chain(input.reader);
    let records = RecordReader::continuing(file, rest, loader.limits, line_base);
    read_sequential(loader, table, file, records, Some((shape, batch)))
}

/// The byte after the last line end of `buf` outside quoted fields (an even
/// number of quotes before it; `buf` starts at a record start), if any.
fn last_record_end(buf: &[u8], quoted: bool) -> Option<usize> {
    let mut end = memchr::memrchr(b'\n', buf)?;
    if !quoted {
        return Some(end + 1);
    }
    let mut quotes = memchr::memchr_iter(b'"', &buf[..end]).count();
    while quotes % 2 == 1 {
        let before = memchr::memrchr(b'\n', &buf[..end])?;
        quotes -= memchr::memchr_iter(b'"', &buf[before..end]).count();
        end = before;
    }
    Some(end + 1)
}

/// The byte after the first line end at or after `from` outside quoted
/// fields (as [`last_record_end`]), if any.
fn first_record_end(buf: &[u8], from: usize, quoted: bool) -> Option<usize> {
    let mut at = from + memchr::memchr(b'\n', &buf[from..])?;
    if !quoted {
        return Some(at + 1);
    }
    let mut quotes = memchr::memchr_iter(b'"', &buf[..at]).count();
    while quotes % 2 == 1 {
        let next = at + 1 + memchr::memchr(b'\n', &buf[at + 1..])?;
        quotes += memchr::memchr_iter(b'"', &buf[at..next]).count();
        at = next;
    }
    Some(at + 1)
}

/// Merges a block's two pieces, in order; returns them, merged, for reuse.
pub(super) fn merge_pieces(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    pieces: [(Piece, u64); 2],
) -> Result<Vec<Piece>, Error> {
    let mut merged = Vec::with_capacity(2);
    for (piece, end) in pieces {
        merged.push(merge_piece(loader, table, file, batch, piece, end)?);
    }
    Ok(merged)
}

/// Reads from `reader` until `buf` holds `size` bytes or the input ends;
/// true when it ended.
fn fill(reader: &mut impl io::Read, buf: &mut Vec<u8>, size: usize) -> io::Result<bool> {
    let want = size.saturating_sub(buf.len()) as u64;
    let got = reader.take(want).read_to_end(buf)? as u64;
    Ok(got < want)
}

/// Line terminators in `bytes`, counted as the record reader counts them:
/// `\n`, `\r\n`, or a lone `\r`.
fn count_lines(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr =
        memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    (lf + lone_cr) as u64
}

/// The records of one piece of a file, parsed on their own.
pub(super) struct Piece {
    pub(super) ds: Dataset,
    /// The line of each record in `ds`.
    pub(super) lines: Vec<u64>,
    /// Rejected rows, in line order.
    pub(super) rejections: Vec<Rejection>,
    /// An error that stopped the piece (a record over the limit).
    error: Option<Error>,
    /// Whether the piece ended inside a quoted field: it was not cut at a
    /// record end.
    unclosed: bool,
}

impl Piece {
    /// `reused` emptied (its columns keep their memory: no page of them is
    /// faulted in again), or a new piece, with room for `rows` rows of
    /// `table`.
    fn reuse(reused: Option<Piece>, table: Table, rows: usize) -> Piece {
        let Some(mut piece) = reused else { return Piece::with_capacity(table, rows) };
        piece.ds.truncate(table, 0);
        piece.ds.texts = Default::default();
        piece.lines.clear();
        piece.rejections.clear();
        piece.error = None;
        piece.unclosed = false;
        piece.ds.reserve(table, rows);
        piece.lines.reserve(rows);
        piece
    }

    /// An empty piece with room for `rows` rows of `table`.
    pub(super) fn with_capacity(table: Table, rows: usize) -> Piece {
        let mut piece = Piece {
            ds: Dataset::default(),
            lines: Vec::with_capacity(rows),
            rejections: Vec::new(),
            error: None,
            unclosed: false,
        };
        piece.ds.reserve(table, rows);
        piece
    }
}

fn parse_piece(
    table: Table,
    shape: &Shape,
    file: &str,
    bytes: &[u8],
    line_base: u64,
    limits: super::Limits,
    reused: Option<Piece>,
) -> Piece {
    // Room for the rows of a piece of rows of 50 bytes or more, so that the
    // columns are not grown (copied, their pages faulted in) row by row.
    let mut piece = Piece::reuse(reused, table, bytes.len() / 50 + 16);
    if !splittable(bytes, limits)
        || !split_lines(table, shape, file, bytes, line_base, limits, &mut piece)
    {
        piece = Piece::reuse(Some(piece), table, 0);
        read_records(table, shape, file, bytes, line_base, limits, &mut piece);
    }
    piece
}

/// Reads a piece with the `csv` crate.
fn read_records(
    table: Table,
    shape: &Shape,
    file: &str,
    bytes: &[u8],
    line_base: u64,
    limits: super::Limits,
    piece: &mut Piece,
) {
    let mut records = RecordReader::continuing(file, bytes, limits, line_base);
    loop {
        match records.next() {
            Ok(Some(_)) if records.ended_in_quotes() => {
                piece.unclosed = true;
                break;
            }
            Ok(Some(line)) => {
                let row = Row::new(records.record(), file, line);
                match parse_record(table, shape, &mut piece.ds, &row, limits.field_bytes) {
                    Ok(()) => piece.lines.push(line),
                    Err(r) => piece.rejections.push(*r),
                }
            }
            Ok(None) => break,
            Err(e) => {
                piece.error = Some(e);
                break;
            }
        }
    }
}

/// Whether a piece may be read by splitting its lines at the delimiter
/// ([`split_lines`]): every carriage return ends a line (before `\n`, or
/// at the end), no record over the limit, a delimiter that is no line end
/// or quote.
fn splittable(bytes: &[u8], limits: super::Limits) -> bool {
    bytes.len() <= limits.record_bytes
        && bytes.len() < LINE_END as usize
        && !matches!(limits.delimiter, b'\n' | b'\r' | b'"')
        && memchr::memchr_iter(b'\r', bytes).all(|i| matches!(bytes.get(i + 1), None | Some(b'\n')))
}

/// Reads a [`splittable`] piece: each non-empty line a record (an empty
/// line is none, as for the `csv` crate), its fields between delimiters; a
/// field quoted whole (`"..."` with no quote inside) is read without its
/// quotes. False, with the piece half read, at the first field with any
/// other quote: the `csv` crate reads the piece then (a quoted field may
/// hold a delimiter, a line end or a doubled quote).
///
/// The separators are found a window at a time ([`separators`]), then the
/// window's complete lines are cut at them; a line's separators that run
/// past the window wait for the next.
fn split_lines(
    table: Table,
    shape: &Shape,
    file: &str,
    bytes: &[u8],
    line_base: u64,
    limits: super::Limits,
    piece: &mut Piece,
) -> bool {
    let quoted = memchr::memchr(b'"', bytes).is_some();
    let mut bounds: Vec<u32> = Vec::with_capacity(2 * shape.width + 2);
    // The offsets of separators found and not yet cut: `seps[..held]`.
    let mut seps: Vec<u32> = Vec::new();
    let mut held = 0;
    // One check of the whole piece spares one a text field.
    let text = std::str::from_utf8(bytes).ok();
    let mut line = line_base;
    // The start of the line being read.
    let mut start = 0;
    // Flows in the contract's column order: each line read by the direct
    // reader first (no field over the limit when the line is not).
    let direct = text.is_some() && super::fields::canonical_flows(table, shape);
    let mut record = |start: usize, end: usize, line: u64, bounds: Bounds<'_>| {
        if let Some(text) = text.filter(|_| direct && end - start <= limits.field_bytes) {
            let ds = &mut piece.ds;
            if let Some(row) =
                super::fields::flow_row(&text[start..end], bounds, shape.width, &mut ds.texts)
            {
                ds.deportations.push(row);
                piece.lines.push(line);
                return;
            }
        }
        let fields = match text {
            Some(text) => Fields::Text(&text[start..end], bounds),
            None => Fields::Split(&bytes[start..end], bounds),
        };
        let row = Row::of(fields, file, line);
        match parse_record(table, shape, &mut piece.ds, &row, limits.field_bytes) {
            Ok(()) => piece.lines.push(line),
            Err(r) => piece.rejections.push(*r),
        }
    };
    // A line ends before its `\r\n` or `\n`.
    let content_end = |start: usize, at: usize| {
        if at > start && bytes[at - 1] == b'\r' {
            at - 1
        } else {
            at
        }
    };
    // The bounds of the fields of a line of a piece with quotes, from
    // `start` ending at `end`, cut at `seps` (the last one may be the line
    // end), a field quoted whole (`"..."`) without its quotes; false when a
    // field holds any other quote (then only the `csv` crate reads it
    // right). The fields and the delimiters between them make up the line
    // (`end` is before a CRLF's `\r`), and a delimiter is never a quote nor
    // a `\r` (`splittable`): so the line's quotes are two for each field
    // quoted whole exactly when no field holds another one, and one count
    // of the line's quotes spares a search in each field.
    let cut = |bounds: &mut Vec<u32>, seps: &[u32], start: usize, end: usize| {
        bounds.clear();
        let mut field = start;
        let mut whole = 0;
        for &s in seps {
            let at = ((s & !LINE_END) as usize).min(end);
            let from = field.min(at);
            let f = &bytes[from..at];
            let (a, b) = if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
                whole += 1;
                (from + 1, at - 1)
            } else {
                (from, at)
            };
            bounds.extend([(a - start) as u32, (b - start) as u32]);
            field = at + 1;
        }
        quotes(&bytes[start..end]) == 2 * whole
    };
    let mut from = 0;
    loop {
        // The separators held from the windows before hold no line end:
        // only the new ones are looked through (a line of many fields over
        // many windows is read in linear time).
        let new = held;
        if from < bytes.len() {
            let to = (from + WINDOW).min(bytes.len());
            held = separators(&bytes[from..to], from as u32, limits.delimiter, &mut seps, held);
            from = to;
        } else if start < bytes.len() {
            // A last line without a line end ends with the piece.
            seps.truncate(held);
            seps.push(bytes.len() as u32 | LINE_END);
            held += 1;
        } else {
            return true;
        }
        let mut first = 0;
        for k in new..held {
            let s = seps[k];
            if s & LINE_END == 0 {
                continue;
            }
            let at = (s & !LINE_END) as usize;
            let end = content_end(start, at);
            line += 1;
            // An empty line is no record.
            if end > start {
                let line_seps = &seps[first..=k];
                if !quoted {
                    let cuts = Bounds::Cuts { seps: line_seps, start: start as u32 };
                    record(start, end, line, cuts);
                } else if cut(&mut bounds, line_seps, start, end) {
                    record(start, end, line, Bounds::Pairs(&bounds));
                } else {
                    return false;
                }
            }
            start = at + 1;
            first = k + 1;
        }
        if first > 0 {
            seps.copy_within(first..held, 0);
            held -= first;
        }
    }
}

/// The quotes in `bytes`, counted in byte-wide sums of up to 255 bytes
/// (a loop the compiler turns into wide compares and adds).
fn quotes(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|c| c.iter().fold(0u8, |n, &b| n + (b == b'"') as u8) as usize).sum()
}

/// The eight bytes of `m`, each 0 or 1, as its eight low bits (byte `i`
/// as bit `i`): the multiply puts bit 8i times bit 7(j + 1) of the
/// constant at bit 8i + 7j + 7, sixty-four distinct places (nothing
/// carries), and of them only i + j = 7 lands at 56 and up, at 56 + i.
#[inline(always)]
fn gather(m: u64) -> u64 {
    m.wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The bytes [`split_lines`] looks for separators in at a time (a multiple
/// of 64, the block of [`separators`], so that only the piece's last
/// window has a remainder read byte by byte).
const WINDOW: usize = 16 << 10;

/// The flag of a separator that is a line end (`\n`) in the offsets of
/// [`separators`]; a piece is shorter than this ([`splittable`]).
pub(super) const LINE_END: u32 = 1 << 31;

/// Writes after the first `n` entries of `out` the offset (`base` plus the
/// position) of each `delimiter` and line end (`\n`) of `bytes`, in order,
/// a line end's with [`LINE_END`] set, and returns how many entries `out`
/// now holds; its entries past those are scratch (grown when short).
///
/// Sixty-four bytes at a time: each byte compared with both (wide compares
/// the compiler makes of a plain loop), each eight results gathered into
/// eight bits by one multiply, then ten of the block's offsets written
/// whatever their number (the slots past it overwritten by the next
/// block), more only for a block of more than ten separators: the one
/// branch on their number is seldom taken.
fn separators(bytes: &[u8], base: u32, delimiter: u8, out: &mut Vec<u32>, mut n: usize) -> usize {
    // Room for a separator a byte: the ten slots written for a block
    // end at least 54 entries before that (the block's 64 bytes are still
    // ahead of them).
    if out.len() < n + bytes.len() {
        out.resize(n + bytes.len(), 0);
    }
    let mut blocks = bytes.chunks_exact(64);
    let mut at = base;
    for block in &mut blocks {
        // Each byte of the block as 1 when it is a separator (a loop the
        // compiler turns into wide compares), then eight of those at a
        // time into one bit each.
        let (mut seps, mut nls) = ([0u8; 64], [0u8; 64]);
        for ((s, e), &b) in seps.iter_mut().zip(nls.iter_mut()).zip(block) {
            let nl = b == b'\n';
            *s = (b == delimiter) as u8 | nl as u8;
            *e = nl as u8;
        }
        let (mut found, mut ends) = (0u64, 0u64);
        for (j, (s, e)) in seps.chunks_exact(8).zip(nls.chunks_exact(8)).enumerate() {
            let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("words of 8 bytes"));
            found |= gather(word(s)) << (8 * j);
            ends |= gather(word(e)) << (8 * j);
        }
        let count = found.count_ones() as usize;
        let mut write = |slots: &mut [u32]| {
            for slot in slots {
                // 64 once `found` is empty: a slot past the count.
                let bit = found.trailing_zeros();
                *slot = (at + bit) | ((ends >> (bit & 63)) as u32) << 31;
                found &= found.wrapping_sub(1);
            }
        };
        // Ten slots always, more if need be: a line of eight fields holds
        // about eight separators in 64 bytes, and short lines ten or so; a
        // branch taken for a tenth of the blocks costs less than six more
        // slots each (the pass over the 5M-row file on one thread, best
        // of 9: 97-99 ms with ten, 120-123 ms with twelve, 138-190 ms with
        // sixteen; UNHCR's registrations, 45-byte lines, no slower).
        write(&mut out[n..n + 10]);
        if count > 10 {
            write(&mut out[n + 10..n + count]);
        }
        n += count;
        at += 64;
    }
    for (i, &b) in blocks.remainder().iter().enumerate() {
        if b == delimiter || b == b'\n' {
            out[n] = (at + i as u32) | if b == b'\n' { LINE_END } else { 0 };
            n += 1;
        }
    }
    n
}

/// Adds a piece's records and rejections to the loader in line order, as
/// the sequential path would have; `end` is the byte after the piece.
/// Returns the piece (its rows merged) for reuse.
fn merge_piece(
    loader: &mut Loader,
    table: Table,
    file: &str,
    batch: &mut Batch,
    mut piece: Piece,
    end: u64,
) -> Result<Piece, Error> {
    let t = table as usize;
    if let Some(size) = loader.size_hint.take() {
        let rows = loader.report.read[t] + (piece.lines.len() + piece.rejections.len()) as u64;
        reserve_for(loader, table, size, end, rows);
    }
    // A text the dataset cannot number maps to u32::MAX and stops the load
    // at the first row that uses it.
    let remap: Vec<u32> = (0..piece.ds.texts.len() as u32)
        .map(|id| loader.dataset.texts.intern(piece.ds.texts.text(id)).unwrap_or(u32::MAX))
        .collect();
    let mut rejections = std::mem::take(&mut piece.rejections).into_iter().peekable();
    // Registrations and flows are checked once the file is read: the rows
    // between two rejections go in column by column when every text is
    // numbered and the table has room for them; else row by row.
    let bulk = table != Table::Statements && !remap.contains(&u32::MAX);
    let mut i = 0;
    while i < piece.lines.len() {
        let line = piece.lines[i];
        while let Some(r) = rejections.next_if(|r| r.line < line) {
            loader.report.read[t] += 1;
            reject(loader, table, file, batch, Box::new(r))?;
        }
        let next = rejections.peek().map_or(u64::MAX, |r| r.line);
        let run = i + piece.lines[i..].partition_point(|&l| l < next);
        let room = loader.dataset.len(table) + (run - i) <= loader.state.max_rows;
        let j = if bulk && room { run } else { i + 1 };
        loader.report.read[t] += (j - i) as u64;
        if j == i + 1 {
            check_capacity(loader, table, file, batch, line)?;
            if let Some((column, id)) = piece.ds.unmapped(table, i, &remap) {
                let text = piece.ds.texts.text(id).as_bytes();
                let rejection = Rejection::new(file, line, Problem::TooManyTexts).at(column, text);
                reject(loader, table, file, batch, Box::new(rejection))?;
            }
        }
        loader.dataset.append_rows(&piece.ds, table, i..j, &remap, batch.absent);
        batch.lines.extend_from_slice(&piece.lines[i..j]);
        // Registrations' and flows' lines are mapped at once (their flush
        // only does that); statements are checked a batch at a time.
        if bulk || batch.lines.len() == BATCH {
            if let Some(dup) = flush(loader, table, file, batch) {
                return Err(Error::Rejected(dup));
            }
        }
        i = j;
    }
    for r in rejections {
        loader.report.read[t] += 1;
        reject(loader, table, file, batch, Box::new(r))?;
    }
    match piece.error.take() {
        Some(e) => {
            if let Some(dup) = flush(loader, table, file, batch) {
                return Err(Error::Rejected(dup));
            }
            Err(e)
        }
        None => Ok(piece),
    }
}

/// The sequential path: every record from `records`, whose header has
/// been read already when `state` is given.
fn read_sequential<R: io::Read>(
    loader: &mut Loader,
    table: Table,
    file: &str,
    mut records: RecordReader<R>,
    state: Option<(Shape, Batch)>,
) -> Result<(), Error> {
    let t = table as usize;
    let (shape, mut batch) = match state {
        Some(state) => state,
        None => {
            let (header, header_line) = match records.next()? {
                Some(line) => (records.record().clone(), line),
                None => (ByteRecord::new(), 1),
            };
            (header_shape(loader, table, file, header_line, &header)?, Batch::new(loader, table))
        }
    };
    let field_limit = loader.limits.field_bytes;
    while let Some(line) = records.next()? {
        loader.report.read[t] += 1;
        if records.ended_in_quotes() {
            let rejection = Box::new(Rejection::new(file, line, Problem::UnclosedQuote));
            reject(loader, table, file, &mut batch, rejection)?;
            continue;
        }
        check_capacity(loader, table, file, &mut batch, line)?;
        let row = Row::new(records.record(), file, line);
        match parse_record(table, &shape, &mut loader.dataset, &row, field_limit) {
            Ok(()) => {
                batch.lines.push(line);
                if batch.lines.len() == BATCH {
                    if let Some(dup) = flush(loader, table, file, &mut batch) {
                        return Err(Error::Rejected(dup));
                    }
                    if let Some(size) = loader.size_hint.take() {
                        let rows = loader.report.read[t];
                        reserve_for(loader, table, size, records.bytes_read(), rows);
                    }
                }
            }
            Err(rejection) => reject(loader, table, file, &mut batch, rejection)?,
        }
    }
    match flush(loader, table, file, &mut batch) {
        Some(dup) => Err(Error::Rejected(dup)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::header::header_shape;

    /// Pieces without quotes read by splitting lines and by the `csv`
    /// crate give the same records, lines and rejections.
    #[test]
    fn split_lines_reads_as_the_csv_crate_does() {
        // A field that spans more than one window of separators.
        let long = format!("Torkham {}", "x".repeat(WINDOW + 100));
        let values: [&[&str]; 8] = [
            &["2023-11-01", "2023-13-01", "", "2023-11-1", " 2023-11-01"],
            &["", "2023-10-01", "2023-11-05", "x"],
            &["AFG", "PAK", "Afghanistan", "Atlantis", "", "afg"],
            &["PAK", "IRN", "Côte d'Ivoire", "Iran"],
            &["returned", "deported", "spontaneous", "Returned", "", "gone"],
            &["1", "0", "18446744073709551615", "18446744073709551616", "-1", "1.5", ""],
            &["", "Torkham", "Chaman", "a field far longer than the limit of forty bytes", &long],
            &["IOM DTM", "UNHCR", "", "\u{e9}t\u{e9}", "\"IOM\"", "\"\"", "\"a \"\"b\"\"\""],
        ];
        let mut x: u64 = 17;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let mut seen = (0, 0);
        let mut plains = 0;
        // Pieces longer than a window without any quote (read from the
        // separators' offsets), with CRLF line ends and without.
        let mut long_unquoted = [0, 0];
        for delimiter in [b',', b';', b'\t'] {
            let d = delimiter as char;
            for round in 0..40 {
                let mut text = String::new();
                // Some pieces longer than split_lines' window of separators,
                // half of them without a quote.
                let long_piece = round % 5 == 4;
                let no_quotes = long_piece && (round / 5) % 2 == 1;
                let lines = if long_piece { 600 + next(900) } else { 1 + next(60) };
                for _ in 0..lines {
                    match next(20) {
                        0 => {}
                        1 => text.push_str(&format!("a{d}b")),
                        _ => {
                            let width = match next(15) {
                                0 => 7,
                                1 => 9,
                                _ => 8,
                            };
                            let fields: Vec<String> = (0..width)
                                .map(|i| {
                                    // Mostly the first (valid) value.
                                    let pool = values[i % 8];
                                    let mut v =
                                        pool[if next(3) == 0 { next(pool.len()) } else { 0 }];
                                    if no_quotes && v.contains('"') {
                                        v = pool[0];
                                    }
                                    // Quoted whole in some rounds.
                                    if round % 3 == 1 && !no_quotes && !v.contains('"') {
                                        format!("\"{v}\"")
                                    } else {
                                        v.to_string()
                                    }
                                })
                                .collect();
                            text.push_str(&fields.join(&d.to_string()));
                        }
                    }
                    text.push_str(if round % 4 == 3 { "\r\n" } else { "\n" });
                }
                if next(2) == 0 {
                    text.pop();
                }
                if round % 4 == 3 && next(2) == 0 {
                    text.pop();
                }
                let limits =
                    super::super::Limits { field_bytes: 40, record_bytes: 1 << 26, delimiter };
                let shape = deportations_shape(delimiter);
                let bytes = text.as_bytes();
                assert!(splittable(bytes, limits));
                let mut read = empty();
                read_records(Table::Deportations, &shape, "d.csv", bytes, 5, limits, &mut read);
                let plain = split_lines(
                    Table::Deportations,
                    &shape,
                    "d.csv",
                    bytes,
                    5,
                    limits,
                    &mut empty(),
                );
                // Fields with doubled quotes are left to the csv crate.
                assert_eq!(plain, !text.contains("\"\"b"), "{round}");
                plains += plain as usize;
                let split =
                    parse_piece(Table::Deportations, &shape, "d.csv", bytes, 5, limits, None);
                let case = format!("delimiter {d:?}, round {round}");
                assert!(read.error.is_none() && !read.unclosed, "{case}");
                assert_eq!(split.lines, read.lines, "{case}");
                assert_eq!(split.rejections, read.rejections, "{case}");
                let rows = |p: &Piece| format!("{:?}", p.ds.deportations().collect::<Vec<_>>());
                assert_eq!(rows(&split), rows(&read), "{case}");
                seen.0 += split.lines.len();
                seen.1 += split.rejections.len();
                if no_quotes {
                    assert!(!text.contains('"') && text.len() > 2 * WINDOW, "{case}");
                    long_unquoted[(round % 4 == 3) as usize] += 1;
                }
            }
        }
        assert!(seen.0 > 100 && seen.1 > 100, "{seen:?}");
        assert!(long_unquoted[0] >= 4 && long_unquoted[1] >= 4, "{long_unquoted:?}");
        assert!(plains > 20 && plains < 110, "{plains}");
    }

    #[test]
    fn separators_are_found_at_every_offset_and_byte_value() {
        let mut x: u64 = 3;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Many separators, and every byte value (0x80 and up
                    // too); some blocks of separators only.
                    match x % 4 {
                        _ if len % 7 == 3 => [b',', b'\n'][(x >> 9) as usize % 2],
                        0 => b',',
                        1 => b'\n',
                        _ => (x >> 8) as u8,
                    }
                })
                .collect();
            for delimiter in [b',', b';', b'\t', 0x80, 0xFF, 0] {
                // In windows of 64 bytes or more, some not a multiple of 64
                // (so that a middle window has a remainder too).
                let window = 64 * (1 + len % 3) + 8 * (len % 2);
                let mut offsets = Vec::new();
                let mut held = 0;
                for (i, w) in bytes.chunks(window).enumerate() {
                    held = separators(w, (i * window) as u32, delimiter, &mut offsets, held);
                }
                let found: Vec<(usize, bool)> = offsets[..held]
                    .iter()
                    .map(|&s| ((s & !LINE_END) as usize, s & LINE_END != 0))
                    .collect();
                let want: Vec<(usize, bool)> = (0..bytes.len())
                    .filter(|&i| bytes[i] == delimiter || bytes[i] == b'\n')
                    .map(|i| (i, bytes[i] == b'\n'))
                    .collect();
                assert_eq!(found, want, "length {len}, delimiter {delimiter}");
            }
        }
    }

    #[test]
    fn lines_are_counted_as_line_ends_and_lone_carriage_returns() {
        let mut x: u64 = 11;
        for len in [0, 1, 2, 254, 255, 256, 511, 1000, 5000] {
            for density in [2, 5, 64] {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        match x % density {
                            0 => b'\n',
                            1 => b'\r',
                            _ => b'a',
                        }
                    })
                    .collect();
                let lf = bytes.iter().filter(|&&b| b == b'\n').count();
                let lone_cr = (0..bytes.len())
                    .filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    .count();
                assert_eq!(count_lines(&bytes), (lf + lone_cr) as u64, "{len} {density}");
            }
        }
        // A CRLF is one line end, a lone CR one, at the end too.
        assert_eq!(count_lines(&[b'\n'; 1021]), 1021);
        assert_eq!(count_lines(b"a\r\nb\rc\n\r"), 4);
    }

    #[test]
    fn split_lines_leaves_a_line_with_any_stray_quote_to_the_csv_crate() {
        // A field holds a stray quote unless its only quotes are the two
        // around it; lines of one piece each, judged field by field.
        let stray = |f: &str| match f.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
            Some(inner) => inner.contains('"'),
            None => f.contains('"'),
        };
        let row = ["2023-11-01", "", "AFG", "PAK", "deported", "17000", "Torkham", "IOM"];
        let mut lines: Vec<String> = Vec::new();
        for odd in ["a\"b", "\"a", "a\"", "\"", "\"\"\"", "\"\"\"\"", "\"a\"b\"", "\"\"", "\"x\""] {
            for at in [0, 3, 7] {
                let mut fields: Vec<String> = row.iter().map(|f| format!("\"{f}\"")).collect();
                fields[at] = odd.to_string();
                lines.push(fields.join(","));
            }
        }
        // More quotes than one byte-wide sum holds: 130 fields quoted
        // whole (a ragged row), then one of them not.
        let many: Vec<&str> = vec!["\"x\""; 130];
        lines.push(many.join(","));
        let mut one_off = many.clone();
        one_off[129] = "x\"";
        lines.push(one_off.join(","));
        let shape = deportations_shape(b',');
        let limits =
            super::super::Limits { field_bytes: 4096, record_bytes: 1 << 20, delimiter: b',' };
        for line in &lines {
            let want = !line.split(',').any(stray);
            let text = format!("{line}\n");
            let got = split_lines(
                Table::Deportations,
                &shape,
                "d.csv",
                text.as_bytes(),
                1,
                limits,
                &mut empty(),
            );
            assert_eq!(got, want, "{line}");
        }
        assert!(lines.iter().filter(|l| !l.split(',').any(stray)).count() >= 6);
    }

    #[test]
    fn gather_puts_each_byte_in_its_bit() {
        for pattern in 0..256u64 {
            let mut word = 0u64;
            for i in 0..8 {
                word |= (pattern >> i & 1) << (8 * i);
            }
            assert_eq!(gather(word), pattern, "{word:#x}");
        }
    }

    #[test]
    fn quotes_are_counted_across_the_sums_of_255_bytes() {
        // All quotes (every byte-wide sum full), none, and mixed, at
        // lengths around the sums' bounds; against a byte-by-byte count.
        for len in [0, 1, 254, 255, 256, 509, 510, 511, 2000] {
            for every in [1, 2, 3, 7, usize::MAX] {
                let bytes: Vec<u8> =
                    (0..len).map(|i| if i % every == 0 { b'"' } else { b'x' }).collect();
                let mut want = 0;
                for &b in &bytes {
                    if b == b'"' {
                        want += 1;
                    }
                }
                assert_eq!(quotes(&bytes), want, "{len} {every}");
            }
        }
    }

    #[test]
    fn separators_keep_offsets_up_to_the_limit_of_a_piece() {
        let bytes: Vec<u8> = (0..200).map(|i| [b'a', b',', b'\n', b'b'][i * 7 % 4]).collect();
        let base = LINE_END - bytes.len() as u32;
        let mut out = Vec::new();
        let n = separators(&bytes, base, b',', &mut out, 0);
        let want: Vec<u32> = (0..bytes.len())
            .filter(|&i| bytes[i] != b'a' && bytes[i] != b'b')
            .map(|i| (base + i as u32) | if bytes[i] == b'\n' { LINE_END } else { 0 })
            .collect();
        assert_eq!(out[..n], want[..]);
        // The last byte, a delimiter, at the highest offset a piece has.
        assert_eq!(out[n - 1], LINE_END - 1);
    }

    /// A line of only delimiters over many windows, without a quote (its
    /// fields read from the separators' offsets), is one record.
    #[test]
    fn a_line_of_many_windows_is_one_ragged_record() {
        let mut text = ",".repeat(20 * WINDOW);
        text.push('\n');
        let limits =
            super::super::Limits { field_bytes: 1 << 20, record_bytes: 1 << 26, delimiter: b',' };
        let shape = deportations_shape(b',');
        let mut piece = empty();
        let bytes = text.as_bytes();
        assert!(split_lines(Table::Deportations, &shape, "d.csv", bytes, 1, limits, &mut piece));
        assert_eq!(piece.lines, Vec::<u64>::new());
        assert_eq!(piece.rejections.len(), 1);
        assert_eq!(
            piece.rejections[0].problem,
            Problem::Ragged { found: 20 * WINDOW + 1, expected: 8 }
        );
        assert_eq!(piece.rejections[0].line, 2);
    }

    /// The shape of a deportations file with the canonical header written
    /// with `delimiter`.
    fn deportations_shape(delimiter: u8) -> Shape {
        let names =
            ["date", "period_start", "origin", "host", "kind", "count", "crossing", "source"];
        let rec = csv::ByteRecord::from(names.to_vec());
        let mut loader = Loader::new().delimiter(delimiter);
        header_shape(&mut loader, Table::Deportations, "d.csv", 1, &rec).unwrap()
    }

    fn empty() -> Piece {
        Piece {
            ds: Dataset::default(),
            lines: Vec::new(),
            rejections: Vec::new(),
            error: None,
            unclosed: false,
        }
    }
}
