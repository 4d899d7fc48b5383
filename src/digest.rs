//! Content hashes: the lock file's per-file hashes and the short hashes in
//! generated names.
//!
//! Input: bytes. Output: their SHA-256 in lower-case hex.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256, as drizzle-orm stores per migration.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes in lower-case hex, two digits each. Written digit by digit: a
/// `format!` per byte cost more than hashing a migration file.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_digits_are_lower_case_and_two_per_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
