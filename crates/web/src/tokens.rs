//! Random tokens (sessions, CSRF, one-time codes) and how they are stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token, hex-encoded (256 bits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Session tokens are stored only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
