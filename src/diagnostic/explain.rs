//! Long-form explanations for `sluice explain CODE`.

use super::Code;

impl Code {
    pub fn explain(self) -> &'static str {
        ""
    }
}
