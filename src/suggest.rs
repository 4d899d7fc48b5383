//! "Did you mean `x`?" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = match len {
        0 => return None,
        1..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip what is
        // out of reach without filling the edit table, which for a long
        // name (a mutated or generated input) against many candidates is
        // what the compile would spend its time on.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name_within_reach() {
        let names = ["notebooks", "notes", "tags"];
        assert_eq!(did_you_mean("notebook", names), Some("notebooks"));
        assert_eq!(did_you_mean("nots", names), Some("notes"));
        assert_eq!(did_you_mean("users", names), None);
    }

    #[test]
    fn a_long_name_against_many_candidates_is_answered_quickly() {
        let candidates: Vec<String> = (0..2_000).map(|i| format!("table_{i}")).collect();
        let long = "x".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(
            did_you_mean(&long, candidates.iter().map(String::as_str)),
            None
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
    }
}
