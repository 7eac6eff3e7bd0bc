//! The audit key: the secret that keys the chain's hashes (HMAC-SHA-256)
//! and authenticates its checkpoints. It is never stored in the database:
//! someone who can rewrite the database cannot forge entries without it.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::sync::Arc;

/// At least this many bytes of secret (256 bits).
pub const MIN_KEY_BYTES: usize = 32;

#[derive(Clone)]
pub struct AuditKey(Arc<Vec<u8>>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl AuditKey {
    /// A key written as hex (at least 64 hex digits), as `generate` and
    /// `wegwijs audit new-key` write it; surrounding whitespace is ignored.
    pub fn from_hex(text: &str) -> Result<AuditKey, String> {
        let bytes = hex::decode(text.trim())
            .map_err(|_| "the audit key is not hexadecimal (0-9, a-f)".to_string())?;
        if bytes.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the audit key is too short: {} hex digits, at least {} needed",
                bytes.len() * 2,
                MIN_KEY_BYTES * 2
            ));
        }
        Ok(AuditKey(Arc::new(bytes)))
    }

    /// A new random key.
    pub fn generate() -> AuditKey {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        AuditKey(Arc::new(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_slice())
    }

    /// The keyed hash of `fields`, each length-prefixed so that no two
    /// sequences of fields hash alike.
    pub fn mac(&self, fields: &[&str]) -> String {
        hex::encode(self.keyed(fields).finalize().into_bytes())
    }

    /// Whether `mac` is the keyed hash of `fields` (in constant time).
    pub fn verify(&self, fields: &[&str], mac: &str) -> bool {
        let Ok(given) = hex::decode(mac) else {
            return false;
        };
        self.keyed(fields).verify_slice(&given).is_ok()
    }

    fn keyed(&self, fields: &[&str]) -> Hmac<Sha256> {
        #[allow(clippy::expect_used)]
        let mut m =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        for f in fields {
            m.update(&(f.len() as u64).to_be_bytes());
            m.update(f.as_bytes());
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_back_and_short_or_bad_ones_refused() {
        let k = AuditKey::generate();
        let again = AuditKey::from_hex(&format!(" {}\n", k.to_hex())).unwrap();
        assert_eq!(k.mac(&["a", "b"]), again.mac(&["a", "b"]));
        assert!(again.verify(&["a", "b"], &k.mac(&["a", "b"])));
        assert!(
            !again.verify(&["ab", ""], &k.mac(&["a", "b"])),
            "length-prefixed"
        );
        assert!(
            AuditKey::from_hex("abcd")
                .unwrap_err()
                .contains("too short")
        );
        assert!(
            AuditKey::from_hex(&"zz".repeat(32))
                .unwrap_err()
                .contains("hexadecimal")
        );
        assert_ne!(
            AuditKey::generate().mac(&["a"]),
            k.mac(&["a"]),
            "random keys"
        );
        assert_eq!(format!("{k:?}"), "AuditKey(..)", "never printed");
    }
}
