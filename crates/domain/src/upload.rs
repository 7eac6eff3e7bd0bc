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

/// Start of image with a segment marker after it, and an end of image
/// somewhere after (phones append their own data after it).
fn is_jpeg(b: &[u8]) -> bool {
    b.len() >= 4
        && b[..3] == [0xFF, 0xD8, 0xFF]
        && (0xC0..=0xFE).contains(&b[3])
        && b[4..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// The signature, an IHDR chunk of 13 bytes first, an IEND chunk last.
fn is_png(b: &[u8]) -> bool {
    b.len() >= 8 + 25 + 12
        && b.starts_with(PNG_SIGNATURE)
        && b[8..12] == [0, 0, 0, 13]
        && &b[12..16] == b"IHDR"
        && b[b.len() - 12..b.len() - 4] == [0, 0, 0, 0, b'I', b'E', b'N', b'D']
}

/// The name to show for an upload: the file's own name without any
/// folder, control or formatting characters (no right-to-left tricks) or
/// quotes, at most 100 characters, and always ending in the extension of
/// what its content is (never the one it was given).
pub fn display_name(given: &str, kind: FileKind) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c) && !matches!(c, '"' | '\'' | '<' | '>' | '.'))
        .take(96)
        .collect();
    let clean = clean.trim();
    let stem = if clean.is_empty() { "brief" } else { clean };
    format!("{stem}.{}", kind.extension())
}

/// Unicode format characters (bidi overrides, zero-width joiners): they
/// change how a name reads without showing.
fn is_format(c: char) -> bool {
    matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF)
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
        // A phone's photo with its own data after the end of image.
        let motion = [
            0xFF, 0xD8, 0xFF, 0xE1, 9, 0xFF, 0xD9, b'f', b't', b'y', b'p',
        ];
        assert_eq!(sniff("brief", &motion), Ok(FileKind::Jpeg));
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
        assert_eq!(
            display_name("../../etc/passwd", FileKind::Png),
            "passwd.png"
        );
        assert_eq!(display_name("\"<script>", FileKind::Jpeg), "script.jpg");
        assert_eq!(display_name("  ", FileKind::Jpeg), "brief.jpg");
        // The content decides the extension, and no right-to-left tricks.
        assert_eq!(display_name("brief.hta", FileKind::Pdf), "brief.pdf");
        assert_eq!(
            display_name("huur\u{202E}fdp.exe", FileKind::Pdf),
            "huurfdp.pdf"
        );
    }

    proptest! {
        #[test]
        fn any_bytes_are_judged_without_panic(b in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = sniff("brief", &b);
        }

        #[test]
        fn a_name_is_short_and_plain(s in "\\PC{0,300}") {
            let n = display_name(&s, FileKind::Pdf);
            prop_assert!(n.chars().count() <= 100 && n.ends_with(".pdf"));
            prop_assert_eq!(n.matches('.').count(), 1);
            prop_assert!(!n.contains('/') && !n.contains('\\') && !n.chars().any(char::is_control));
        }
    }
}
