//! Letters a resident uploads to prepare a conversation: only PDF, JPEG
//! and PNG, recognised by their content (never by their name), up to a set
//! size. The check reads the structure's start and end, so a renamed file
//! or a truncated upload is refused.

use crate::error::{Problem, ValidationError};

/// The largest file: a phone photo of a letter, or a scanned PDF.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most files for one conversation.
pub const MAX_FILES: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }

    pub fn from_code(code: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Jpeg, FileKind::Png]
            .into_iter()
            .find(|k| k.code() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// What the bytes are, or why they cannot be taken.
pub fn sniff(field: &'static str, bytes: &[u8]) -> Result<FileKind, ValidationError> {
    if bytes.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    if bytes.len() > MAX_BYTES {
        let max = MAX_BYTES / (1024 * 1024);
        return Err(ValidationError::new(
            field,
            Problem::FileTooLarge { max_mb: max },
        ));
    }
    let kind = if is_pdf(bytes) {
        Some(FileKind::Pdf)
    } else if is_jpeg(bytes) {
        Some(FileKind::Jpeg)
    } else if is_png(bytes) {
        Some(FileKind::Png)
    } else {
        None
    };
    kind.ok_or(ValidationError::new(field, Problem::FileType))
}

/// "%PDF-1.x" at the start, "%%EOF" in the last kilobyte.
fn is_pdf(b: &[u8]) -> bool {
    let tail = &b[b.len().saturating_sub(1024)..];
    b.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// Start of image, a marker after it, end of image (trailing padding
/// some cameras add is allowed).
fn is_jpeg(b: &[u8]) -> bool {
    let trimmed = trim_end_zeros(b);
    b.len() >= 4 && b[..3] == [0xFF, 0xD8, 0xFF] && trimmed.ends_with(&[0xFF, 0xD9])
}

/// The signature, an IHDR chunk of 13 bytes first, an IEND chunk last.
fn is_png(b: &[u8]) -> bool {
    b.len() >= 8 + 25 + 12
        && b.starts_with(PNG_SIGNATURE)
        && b[8..12] == [0, 0, 0, 13]
        && &b[12..16] == b"IHDR"
        && b[b.len() - 12..b.len() - 4] == [0, 0, 0, 0, b'I', b'E', b'N', b'D']
}

fn trim_end_zeros(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
    &b[..end]
}

/// The name to show for an upload: the file's own name without any
/// folder, control characters or quotes, at most 100 characters; a plain
/// name when nothing is left.
pub fn display_name(given: &str, kind: FileKind) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>'))
        .take(100)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        format!("brief.{}", kind.extension())
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub fn tiny_png() -> Vec<u8> {
        let mut b = PNG_SIGNATURE.to_vec();
        b.extend([0, 0, 0, 13]);
        b.extend(b"IHDR");
        b.extend([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        b.extend([0x90, 0x77, 0x53, 0xDE]);
        b.extend([0, 0, 0, 0]);
        b.extend(b"IEND");
        b.extend([0xAE, 0x42, 0x60, 0x82]);
        b
    }

    #[test]
    fn the_content_decides_not_the_name() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n";
        assert_eq!(sniff("brief", pdf), Ok(FileKind::Pdf));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9, 0, 0];
        assert_eq!(sniff("brief", &jpeg), Ok(FileKind::Jpeg));
        assert_eq!(sniff("brief", &tiny_png()), Ok(FileKind::Png));
        // A truncated PDF, an executable, a text renamed to .pdf.
        for bad in [&b"%PDF-1.7\n1 0 obj"[..], b"MZ\x90\x00", b"Geachte heer,"] {
            assert_eq!(sniff("brief", bad).unwrap_err().problem, Problem::FileType);
        }
        assert_eq!(sniff("brief", b"").unwrap_err().problem, Problem::Empty);
        let big = vec![b'%'; MAX_BYTES + 1];
        assert_eq!(
            sniff("brief", &big).unwrap_err().problem,
            Problem::FileTooLarge { max_mb: 10 }
        );
    }

    #[test]
    fn names_lose_folders_and_tricks() {
        assert_eq!(
            display_name("C:\\Users\\x\\brief gemeente.pdf", FileKind::Pdf),
            "brief gemeente.pdf"
        );
        assert_eq!(display_name("../../etc/passwd", FileKind::Png), "passwd");
        assert_eq!(display_name("\"<script>", FileKind::Jpeg), "script");
        assert_eq!(display_name("  ", FileKind::Jpeg), "brief.jpg");
    }

    proptest! {
        #[test]
        fn any_bytes_are_judged_without_panic(b in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = sniff("brief", &b);
        }

        #[test]
        fn a_name_is_short_and_plain(s in "\\PC{0,300}") {
            let n = display_name(&s, FileKind::Pdf);
            prop_assert!(n.chars().count() <= 100 && !n.is_empty());
            prop_assert!(!n.contains('/') && !n.contains('\\') && !n.chars().any(char::is_control));
        }
    }
}
