//! Strings put together without `core::fmt`. Everything the wasm says is concatenation of words
//! and whole numbers, and one `format!` on its path links the formatting machinery (Formatter,
//! padding, every integer's Display, the Debug builders: ~8 KB of code) into every visitor's
//! download. `cat!` joins [`Piece`]s into a `String` with none of it.

/// Something `cat!` can append.
pub(crate) trait Piece {
    fn put(&self, out: &mut String);
}

impl Piece for str {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn put(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn put(&self, out: &mut String) {
                Padded(u64::from(*self), 1).put(out);
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

impl Piece for usize {
    fn put(&self, out: &mut String) {
        // usize is 32 or 64 bits on every target this builds for.
        Padded(*self as u64, 1).put(out);
    }
}

impl Piece for i32 {
    fn put(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        Padded(u64::from(self.unsigned_abs()), 1).put(out);
    }
}

/// A whole number in decimal, zero-padded to at least `.1` digits (`Padded(7, 2)` is `07`).
pub(crate) struct Padded(pub u64, pub usize);

impl Piece for Padded {
    fn put(&self, out: &mut String) {
        let mut digits = [0u8; 20];
        let (mut n, mut len) = (self.0, 0);
        while n > 0 || len == 0 {
            digits[len] = b'0' + (n % 10) as u8;
            n /= 10;
            len += 1;
        }
        for _ in len..self.1 {
            out.push('0');
        }
        out.extend(digits[..len].iter().rev().map(|&d| d as char));
    }
}

/// `cat!(a, b, …)`: the pieces joined, in order, into a new `String`.
macro_rules! cat {
    ($($piece:expr),* $(,)?) => {{
        let mut out = String::new();
        $( $crate::text::Piece::put(&$piece, &mut out); )*
        out
    }};
}
pub(crate) use cat;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_as_format_would() {
        let owned = String::from("条款");
        // (name, cat!'s result, what format! gives)
        let cases = [
            ("words", cat!("关于“", "补贴", "”"), format!("关于“{}”", "补贴")),
            ("owned and borrowed", cat!(owned, " ", &owned), format!("{owned} {owned}")),
            ("char", cat!('[', "x", ']'), "[x]".to_string()),
            ("zero", cat!(0u32), format!("{}", 0u32)),
            ("numbers", cat!(7u8, "/", 65535u16, "/", 4_000_000_000u32, "/", u64::MAX, "/", 12usize), format!("{}/{}/{}/{}/{}", 7u8, 65535u16, 4_000_000_000u32, u64::MAX, 12usize)),
            ("negative", cat!(-2026i32, " ", i32::MIN), format!("{} {}", -2026i32, i32::MIN)),
            ("padded date", cat!(Padded(2026, 4), "-", Padded(3, 2), "-", Padded(12, 2)), format!("{:04}-{:02}-{:02}", 2026, 3, 12)),
            ("padding shorter than the number", cat!(Padded(12345, 2)), "12345".to_string()),
        ];
        for (name, got, want) in cases {
            assert_eq!(got, want, "{name}");
        }
    }
}
