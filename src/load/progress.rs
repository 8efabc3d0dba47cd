//! Progress of a directory load: a callback told how far each file is read.

use std::io;

use crate::Table;

/// The callback of [`Loader::on_progress`](super::Loader::on_progress):
/// the table, bytes read so far, and the file's size.
pub(super) type Callback = Box<dyn FnMut(Table, u64, u64) + Send>;

/// An optional progress callback (a `Debug` that shows whether one is set).
#[derive(Default)]
pub(super) struct Progress(pub(super) Option<Callback>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Some(callback)" } else { "None" })
    }
}

/// The callback is told at least every this many bytes.
const STEP: u64 = 1 << 20;

/// Reads through to `inner`, telling `callback` how far it got: at the
/// start, at least every MiB, and at the end of the input.
pub(super) struct Counted<'a, R> {
    pub(super) inner: R,
    pub(super) callback: &'a mut Callback,
    pub(super) table: Table,
    pub(super) size: u64,
    pub(super) read: u64,
    pub(super) told: u64,
}

impl<'a, R> Counted<'a, R> {
    pub(super) fn new(inner: R, callback: &'a mut Callback, table: Table, size: u64) -> Self {
        callback(table, 0, size);
        Counted { inner, callback, table, size, read: 0, told: 0 }
    }
}

impl<R: io::Read> io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if n == 0 || self.read - self.told >= STEP {
            self.told = self.read;
            (self.callback)(self.table, self.read, self.size.max(self.read));
        }
        Ok(n)
    }
}
