//! The count column: 32 bits a value until a value needs more.

use super::schema::Column;

/// A column of counts, stored in 32 bits a value while every value fits
/// and widened to 64 bits (every value copied exactly) when one does not:
/// a count is never cut, and the usual column takes half the memory.
#[derive(Clone, Debug)]
pub(crate) enum Counts {
    /// Every value fits in 32 bits.
    Narrow(Vec<u32>),
    /// Some value needs more than 32 bits.
    Wide(Vec<u64>),
}

impl Default for Counts {
    fn default() -> Self {
        Counts::Narrow(Vec::new())
    }
}

impl PartialEq for Counts {
    /// The same values, however stored.
    fn eq(&self, other: &Counts) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.at(i) == other.at(i))
    }
}

/// Runs `$body` with `$v` bound to the values as a slice of `u32` or
/// `u64`, whichever the column holds (the body is compiled for both).
macro_rules! with_counts {
    ($counts:expr, $v:ident => $body:expr) => {
        match $counts {
            $crate::dataset::Counts::Narrow($v) => $body,
            $crate::dataset::Counts::Wide($v) => $body,
        }
    };
}
pub(crate) use with_counts;

impl Counts {
    /// Value `i`.
    #[inline]
    pub(crate) fn at(&self, i: usize) -> u64 {
        match self {
            Counts::Narrow(v) => v[i] as u64,
            Counts::Wide(v) => v[i],
        }
    }

    /// The 64-bit column for a value that needs it: every value copied.
    fn widen(&mut self) -> &mut Vec<u64> {
        if let Counts::Narrow(v) = self {
            let mut wide = Vec::with_capacity(v.capacity());
            wide.extend(v.iter().map(|&x| x as u64));
            *self = Counts::Wide(wide);
        }
        match self {
            Counts::Wide(v) => v,
            Counts::Narrow(_) => unreachable!("widened above"),
        }
    }
}

/// Every write widens the column first when the value needs 64 bits.
impl Column<u64> for Counts {
    fn len(&self) -> usize {
        with_counts!(self, v => v.len())
    }

    #[inline]
    fn push(&mut self, value: u64) {
        match self {
            Counts::Narrow(v) if value <= u32::MAX as u64 => v.push(value as u32),
            Counts::Wide(v) => v.push(value),
            Counts::Narrow(_) => self.widen().push(value),
        }
    }

    fn at(&self, i: usize) -> u64 {
        Counts::at(self, i)
    }

    fn set(&mut self, i: usize, value: u64) {
        match self {
            Counts::Narrow(v) if value <= u32::MAX as u64 => v[i] = value as u32,
            Counts::Wide(v) => v[i] = value,
            Counts::Narrow(_) => self.widen()[i] = value,
        }
    }

    /// Keeps the first `n` values (the width stays).
    fn truncate(&mut self, n: usize) {
        with_counts!(self, v => v.truncate(n))
    }

    fn reserve_exact(&mut self, additional: usize) {
        with_counts!(self, v => v.reserve_exact(additional))
    }

    fn resize(&mut self, n: usize, value: u64) {
        match self {
            Counts::Narrow(v) if value <= u32::MAX as u64 => v.resize(n, value as u32),
            Counts::Wide(v) => v.resize(n, value),
            Counts::Narrow(_) => self.widen().resize(n, value),
        }
    }

    fn filled(value: u64, n: usize) -> Counts {
        match u32::try_from(value) {
            Ok(v) => Counts::Narrow(vec![v; n]),
            Err(_) => Counts::Wide(vec![value; n]),
        }
    }

    fn extend_from(&mut self, src: &Self, rows: std::ops::Range<usize>, f: impl Fn(u64) -> u64) {
        match (&mut *self, src) {
            // Counts are never remapped: the 32-bit values copied as they are.
            (Counts::Narrow(to), Counts::Narrow(from)) => to.extend_from_slice(&from[rows]),
            _ => rows.for_each(|i| self.push(f(src.at(i)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: &Counts) -> Vec<u64> {
        (0..c.len()).map(|i| c.at(i)).collect()
    }

    #[test]
    fn a_value_past_32_bits_widens_the_column_exactly() {
        let mut c = Counts::default();
        c.push(7);
        c.push(u32::MAX as u64);
        assert!(matches!(c, Counts::Narrow(_)));
        c.push(u32::MAX as u64 + 1);
        assert!(matches!(c, Counts::Wide(_)));
        assert_eq!(values(&c), [7, u32::MAX as u64, 1 << 32]);
        let mut d = Counts::default();
        d.push(1);
        d.set(0, u64::MAX);
        assert_eq!(d.at(0), u64::MAX);
        let mut e = Counts::filled(0, 3);
        e.resize(5, 1 << 40);
        assert_eq!(values(&e), [0, 0, 0, 1 << 40, 1 << 40]);
        // Equal values are equal columns, however stored.
        assert_eq!(Counts::Narrow(vec![1, 2]), Counts::Wide(vec![1, 2]));
        assert_ne!(Counts::Narrow(vec![1, 2]), Counts::Wide(vec![1, 3]));
        e.truncate(1);
        assert_eq!(e.len(), 1);
    }
}
