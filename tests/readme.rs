//! The README's check table is the registry: same ids, same order, same words.

use sigaudit::CheckId;

fn table() -> String {
    let mut out = String::from("| id | what it establishes |\n|---|---|\n");
    for id in CheckId::ALL {
        out.push_str(&format!("| `{}` | {} |\n", id.as_str(), id.description()));
    }
    out
}

#[test]
fn readme_check_table_matches_the_registry() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let start = readme.find("<!-- checks:begin -->").expect("checks:begin marker") + "<!-- checks:begin -->".len();
    let end = readme.find("<!-- checks:end -->").expect("checks:end marker");
    let section = readme[start..end].trim();
    let want = table();
    assert_eq!(section, want.trim(), "README check table is out of date; replace it with the output of `sigaudit checks --markdown`");
}
