//! Rendered statements remembered by what renders them.
//!
//! Input: statements, many of them rendered before (a build plans the whole
//! schema of every phase of a long history, and most of it does not change
//! from one phase to the next). Output: the same text
//! [`super::statement`] gives, rendered once per distinct statement.
//!
//! Two statements render alike when their template, label and context are
//! the same: the context is compared strictly, kind by kind and in order
//! (minijinja's own equality takes `1` for `true` and ignores map order,
//! either of which can change the text).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use foldhash::fast::FixedState;

use minijinja::value::{Value, ValueKind};

use crate::plan::Stmt;

/// A render cache; one per project build keeps it proportional to it.
/// Every lookup hashes a whole context: a fixed-seed fast hasher, not
/// SipHash (nothing here faces untrusted keys, and its order is never read).
#[derive(Default)]
pub struct Cache {
    texts: RefCell<HashMap<Fingerprint, String, FixedState>>,
}

impl Cache {
    /// [`super::statement`], from the cache when rendered before.
    pub fn statement(&self, stmt: &Stmt) -> Result<String, minijinja::Error> {
        let key = Fingerprint {
            template: stmt.template,
            label: stmt.label.clone(),
            ctx: stmt.ctx.clone(),
        };
        if let Some(text) = self.texts.borrow().get(&key) {
            return Ok(text.clone());
        }
        let text = super::statement(stmt)?;
        self.texts.borrow_mut().insert(key, text.clone());
        Ok(text)
    }
}

struct Fingerprint {
    template: &'static str,
    label: String,
    ctx: Value,
}

impl Hash for Fingerprint {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.template.hash(state);
        self.label.hash(state);
        // Consistent with `same`: strictly equal values hash alike.
        self.ctx.hash(state);
    }
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Self) -> bool {
        self.template == other.template && self.label == other.label && same(&self.ctx, &other.ctx)
    }
}

impl Eq for Fingerprint {}

/// Whether two values render alike in any template: same kinds, same
/// scalars as text, same items in the same order.
fn same(a: &Value, b: &Value) -> bool {
    if a.kind() != b.kind() {
        return false;
    }
    match a.kind() {
        ValueKind::Map => {
            // Walked side by side, not collected: this runs on every hit.
            let (Ok(mut ka), Ok(mut kb)) = (a.try_iter(), b.try_iter()) else {
                return false;
            };
            loop {
                match (ka.next(), kb.next()) {
                    (None, None) => break true,
                    (Some(x), Some(y))
                        if same(&x, &y)
                            && match (a.get_item(&x), b.get_item(&y)) {
                                (Ok(va), Ok(vb)) => same(&va, &vb),
                                _ => false,
                            } => {}
                    _ => break false,
                }
            }
        }
        ValueKind::Seq | ValueKind::Iterable => match (a.try_iter(), b.try_iter()) {
            (Ok(mut ia), Ok(mut ib)) => loop {
                match (ia.next(), ib.next()) {
                    (None, None) => break true,
                    (Some(x), Some(y)) if same(&x, &y) => {}
                    _ => break false,
                }
            },
            _ => false,
        },
        ValueKind::String | ValueKind::Bool | ValueKind::None | ValueKind::Undefined => a == b,
        ValueKind::Number => a == b && a.to_string() == b.to_string(),
        _ => a.to_string() == b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_render_differently_are_not_the_same() {
        assert!(same(
            &Value::from_serialize(("a", 1, true)),
            &Value::from_serialize(("a", 1, true))
        ));
        assert!(!same(
            &Value::from_serialize(true),
            &Value::from_serialize(1)
        ));
        assert!(!same(
            &Value::from_serialize(1),
            &Value::from_serialize(1.0)
        ));
        assert!(!same(
            &Value::from_serialize(vec!["a", "b"]),
            &Value::from_serialize(vec!["b", "a"])
        ));
        let m = |pairs: &[(&str, i32)]| {
            let map: std::collections::BTreeMap<&str, i32> = pairs.iter().copied().collect();
            Value::from_serialize(map)
        };
        assert!(same(&m(&[("a", 1), ("b", 2)]), &m(&[("a", 1), ("b", 2)])));
        assert!(!same(&m(&[("a", 1), ("b", 2)]), &m(&[("a", 1), ("b", 3)])));
    }
}
