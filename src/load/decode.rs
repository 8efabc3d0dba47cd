//! Input in another encoding than UTF-8, decoded to UTF-8 as it is read.

use std::io;

/// The character encoding of an input file.
///
/// Files are read as UTF-8 unless told otherwise (a UTF-8 byte-order mark is
/// dropped). Spreadsheets on Windows often save Windows-1252 (also called
/// ANSI or Latin-1) or UTF-16 ("Unicode text"); such files are decoded to
/// UTF-8 before they are parsed, so lines and columns in messages are the
/// same as in the file.
///
/// * `Latin1` decodes as Windows-1252, as web browsers do: the two agree on
///   every printable character, and bytes 0x80-0x9F, control characters in
///   ISO-8859-1, are almost always Windows-1252 text (`€`, curly quotes).
/// * `Utf16` reads the byte-order mark to tell little- from big-endian;
///   without one it is little-endian, as Windows writes it.
/// * Bytes that are not valid in the chosen encoding are an error naming
///   the file and the byte offset, never silently replaced.
///
/// ```
/// use refugee_data::{Encoding, Loader, Table};
/// let enc: Encoding = "windows-1252".parse()?;
/// assert_eq!(enc, Encoding::Windows1252);
/// // "Côte d'Ivoire" with ô as the single byte 0xF4.
/// let csv = b"date,origin,host,population,count,source\n2023-12-31,C\xF4te d'Ivoire,FRA,refugees,5,UNHCR\n";
/// let mut loader = Loader::new().encoding(enc);
/// loader.read(Table::Registrations, "registrations.csv", &csv[..])?;
/// let (ds, _) = loader.finish();
/// assert_eq!(ds.registrations().next().unwrap().origin.alpha3(), "CIV");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 (the default).
    #[default]
    Utf8,
    /// Windows-1252 (Western European "ANSI").
    Windows1252,
    /// ISO-8859-1, read as Windows-1252 (see above).
    Latin1,
    /// UTF-16, either byte order (by the byte-order mark; little-endian without one).
    Utf16,
}

impl Encoding {
    /// Every encoding, in the order of its names in messages.
    pub const ALL: [Encoding; 4] =
        [Encoding::Utf8, Encoding::Windows1252, Encoding::Latin1, Encoding::Utf16];

    /// The encoding's name as accepted by `parse` (`utf-8`, `windows-1252`,
    /// `latin1`, `utf-16`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Latin1 => "latin1",
            Encoding::Utf16 => "utf-16",
        }
    }

    /// `reader`'s bytes decoded from this encoding to UTF-8 (`reader` itself
    /// for UTF-8), for input that does not go through [`Loader::read`]
    /// (the UNHCR and HXL importers, for instance). Invalid bytes are an
    /// `InvalidData` error naming their offset.
    ///
    /// [`Loader::read`]: crate::Loader::read
    ///
    /// ```
    /// use std::io::Read;
    /// use refugee_data::Encoding;
    /// let mut text = String::new();
    /// Encoding::Windows1252.reader(&b"C\xF4te d'Ivoire \x80"[..]).read_to_string(&mut text)?;
    /// assert_eq!(text, "Côte d'Ivoire €");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn reader<'a, R: io::Read + 'a>(self, reader: R) -> Box<dyn io::Read + 'a> {
        decoded(reader, self)
    }

    fn decoder(self) -> Option<encoding_rs::Decoder> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Windows1252 | Encoding::Latin1 => {
                Some(encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling())
            }
            Encoding::Utf16 => Some(encoding_rs::UTF_16LE.new_decoder()),
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;

    /// Parses a name, case-insensitively: `utf-8` (`utf8`), `windows-1252`
    /// (`cp1252`), `latin1` (`latin-1`, `iso-8859-1`), `utf-16` (`utf16`).
    fn from_str(s: &str) -> Result<Self, String> {
        let name = s.trim().to_ascii_lowercase();
        Ok(match name.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "windows-1252" | "cp1252" => Encoding::Windows1252,
            "latin1" | "latin-1" | "iso-8859-1" => Encoding::Latin1,
            "utf-16" | "utf16" => Encoding::Utf16,
            _ => {
                return Err(format!(
                    "unknown encoding \"{}\" (expected utf-8, windows-1252, latin1 or utf-16)",
                    crate::text::cut(s)
                ))
            }
        })
    }
}

/// Reads `inner` in `encoding`, giving UTF-8.
pub(super) struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    start: usize,
    at_end: bool,
    /// The decoder has been told the input ended.
    done: bool,
    /// Bytes of input decoded so far (for the offset in errors).
    offset: u64,
    out: Vec<u8>,
    out_start: usize,
    name: &'static str,
}

/// A `Read` of `inner` decoded from `encoding`, or `inner` itself for UTF-8.
pub(super) fn decoded<'a, R: io::Read + 'a>(
    inner: R,
    encoding: Encoding,
) -> Box<dyn io::Read + 'a> {
    match encoding.decoder() {
        None => Box::new(inner),
        Some(decoder) => Box::new(Decoded {
            inner,
            decoder,
            input: Vec::new(),
            start: 0,
            at_end: false,
            done: false,
            offset: 0,
            out: Vec::new(),
            out_start: 0,
            name: encoding.name(),
        }),
    }
}

const CHUNK: usize = 1 << 16;

impl<R: io::Read> Decoded<R> {
    /// Decodes the next stretch of input into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.out_start = 0;
        self.out.clear();
        while !self.done {
            if self.start == self.input.len() && !self.at_end {
                self.input.resize(CHUNK, 0);
                let n = loop {
                    match self.inner.read(&mut self.input) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => break other?,
                    }
                };
                self.input.truncate(n);
                self.start = 0;
                self.at_end = n == 0;
            }
            let rest = self.input.len() - self.start;
            let room = self.decoder.max_utf8_buffer_length_without_replacement(rest);
            self.out.resize(room.unwrap_or(4 * CHUNK).max(16), 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..],
                &mut self.out,
                self.at_end,
            );
            self.start += read;
            self.offset += read as u64;
            self.out.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(len, after) = result {
                let at = self.offset - u64::from(after) - u64::from(len);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the bytes at offset {at} are not valid {}", self.name),
                ));
            }
            self.done = self.at_end && result == encoding_rs::DecoderResult::InputEmpty;
            if written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<R: io::Read> io::Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_start == self.out.len() && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.out_start);
        buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}
