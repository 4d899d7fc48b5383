//! Content hashes: the lock file's per-file hashes and the short hashes in
//! generated names.
//!
//! Input: bytes. Output: their SHA-256 in lower-case hex.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256, as drizzle-orm stores per migration.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
