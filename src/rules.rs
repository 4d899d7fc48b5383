//! The registry of rule ids a workspace may configure (`lint { id = level }`)
//! or exempt an object from (`allow id "reason"`).

use crate::diagnostic::Code;

/// Why an id cannot be configured.
pub enum NotARule {
    Unknown,
    /// A diagnostic code for invalid input, which is always an error.
    Fixed,
}

pub fn lookup(id: &str) -> Result<Code, NotARule> {
    match id.parse::<Code>() {
        Ok(c) if c.is_configurable() => Ok(c),
        Ok(_) => Err(NotARule::Fixed),
        Err(()) => Err(NotARule::Unknown),
    }
}

pub fn all_ids() -> impl Iterator<Item = &'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.is_configurable())
        .map(|c| c.as_str())
}
