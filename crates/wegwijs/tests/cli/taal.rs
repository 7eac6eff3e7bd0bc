//! `wegwijs taal check` as a letter writer and CI use it.

use super::*;

#[test]
fn taal_check_marks_a_letter_and_blocks_on_a_very_long_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let letter = data.join("brief.html");
    std::fs::write(
        &letter,
        "<p>Derhalve wordt u verzocht het verschuldigde bedrag m.b.t. de aanslag, die u op 1 maart 2026 \
         heeft ontvangen, indien mogelijk binnen veertien dagen, zonder dat u daarvoor eerst contact \
         opneemt met de afdeling Belastingen van de gemeente, onverwijld te voldoen.</p>",
    )
    .unwrap();
    let o = wegwijs(data, &["taal", "check", letter.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let shown = text(&o);
    assert!(
        shown.contains("BLOKKEREND: zeer-lange-zin") && shown.contains("Schrijf 'daarom'"),
        "{shown}"
    );
    let plain = data.join("goed.md");
    std::fs::write(
        &plain,
        "# Betalen\n\nU krijgt geld terug. Wij storten het op uw rekening.\n",
    )
    .unwrap();
    let o = wegwijs(data, &["taal", "check", plain.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        json["level"].as_u64().unwrap() <= 2 && json["findings"].is_array(),
        "{json}"
    );
    // A municipality's own list with a bad line is refused with the line.
    let words = data.join("eigen.tsv");
    std::fs::write(&words, "voornoemd\tdeze\tDeze brief is voor u.\nkapot\n").unwrap();
    let o = wegwijs(
        data,
        &[
            "taal",
            "check",
            plain.to_str().unwrap(),
            "--woorden",
            words.to_str().unwrap(),
        ],
    );
    assert!(
        !o.status.success() && text(&o).contains("line 2"),
        "{}",
        text(&o)
    );
}
