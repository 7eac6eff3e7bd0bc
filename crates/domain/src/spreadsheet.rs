//! Cells of CSV files that people open in a spreadsheet. A cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
//! by Excel and LibreOffice; a name or text that someone typed, or a value
//! in a delivered file, must stay text ("CSV injection").

use std::borrow::Cow;

/// The cell as it is safe to write: a leading apostrophe before anything a
/// spreadsheet would run. A plain number (`-12`, `+3,5`) stays as it is.
pub fn inert(cell: &str) -> Cow<'_, str> {
    let risky = matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = match digits.split_once([',', '.']) {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::inert;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        for risky in [
            "=1+1",
            "+31 6 1234",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"x\")",
            "-",
            "+",
        ] {
            assert_eq!(inert(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in [
            "-12",
            "+3",
            "-0,5",
            "12.50",
            "Jansen",
            "",
            "'al tekst",
            "−0,5",
            "a=b",
        ] {
            assert_eq!(inert(plain), plain, "{plain:?}");
        }
    }

    proptest! {
        #[test]
        fn nothing_written_starts_a_formula(cell in "[=+@\t\r-]?[\\PC\t\r]{0,10}") {
            let out = inert(&cell);
            let first = out.chars().next();
            let formula = matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r'));
            prop_assert!(!formula || super::is_plain_number(&out), "{out:?}");
            prop_assert!(out.ends_with(cell.as_str()));
        }
    }
}
