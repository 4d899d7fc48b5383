//! "Did you mean `x`?" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0 => return None,
        1..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
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
}
