//! Random tokens (sessions, CSRF, one-time codes) and how they are stored.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token, hex-encoded (256 bits).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A one-time form token (128 bits, hex): see `once`.
pub fn new_form_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Session tokens are stored only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token as a page carries it: a fresh random pad and the token XOR
/// that pad, hex-encoded. Every response shows other bytes for the same
/// token, so a compressed page does not give it away to someone who can
/// make the browser fetch pages with text of their choosing (BREACH).
pub fn mask(token: &str) -> String {
    let Ok(raw) = hex::decode(token) else {
        return String::new();
    };
    let mut pad = vec![0u8; raw.len()];
    rand::rng().fill_bytes(&mut pad);
    let masked: Vec<u8> = raw.iter().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex::encode(pad), hex::encode(masked))
}

/// Does `sent` (a masked token from a form, or the token itself) stand for
/// `token`? Compared in constant time.
pub fn matches(sent: &str, token: &str) -> bool {
    let Ok(expected) = hex::decode(token) else {
        return false;
    };
    let Ok(sent) = hex::decode(sent) else {
        return false;
    };
    let unmasked: Vec<u8> = if sent.len() == 2 * expected.len() {
        let (pad, masked) = sent.split_at(expected.len());
        pad.iter().zip(masked).map(|(p, m)| p ^ m).collect()
    } else {
        sent
    };
    unmasked.len() == expected.len()
        && unmasked
            .iter()
            .zip(&expected)
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_matches_and_differs_each_time() {
        let token = new_token();
        let (a, b) = (mask(&token), mask(&token));
        assert_ne!(a, b);
        assert_eq!(a.len(), 128);
        assert!(matches(&a, &token) && matches(&b, &token));
        assert!(matches(&token, &token));
        let other = new_token();
        assert!(!matches(&mask(&other), &token));
        assert!(!matches(&other, &token));
        assert!(!matches("", &token));
        assert!(!matches(&a[..127], &token));
        assert!(!matches(&format!("{}00", &a[..126]), &token) || a.ends_with("00"));
    }
}
