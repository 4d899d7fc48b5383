//! Rendered statements remembered by what renders them.
//!
//! Input: statements, many of them rendered before (a build plans the whole
//! schema of every phase of a long history, and most of it does not change
//! from one phase to the next). Output: the same text
//! [`super::statement`] gives, rendered once per distinct statement.
//!
//! Two statements render alike when their template, header, label and
//! context are the same: the context is compared strictly, kind by kind and
//! in order (minijinja's own equality takes `1` for `true` and ignores map
//! order, either of which can change the text). The key is that whole
//! description written out as bytes: the context by the shape the
//! statement was made with (see `plan::shape`), or, for a context set
//! attribute by attribute, by one walk of it; then a fast hash and a byte
//! comparison, so a hash collision can never hand back another
//! statement's text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;

use foldhash::fast::FixedState;

use minijinja::value::{Value, ValueKind};

use crate::plan::Stmt;

/// A render cache; one per project build keeps it proportional to it.
/// A fixed-seed fast hasher, not SipHash: nothing here faces untrusted
/// keys, and the map's order is never read.
#[derive(Default)]
pub struct Cache {
    texts: RefCell<HashMap<Box<[u8]>, String, FixedState>>,
    /// The key being built, kept to spare an allocation per lookup.
    scratch: RefCell<Vec<u8>>,
}

impl Cache {
    /// [`super::statement`], from the cache when rendered before.
    pub fn statement(&self, stmt: &Stmt) -> Result<String, minijinja::Error> {
        let mut key = self.scratch.borrow_mut();
        key.clear();
        describe(stmt, &mut key);
        if let Some(text) = self.texts.borrow().get(key.as_slice()) {
            return Ok(text.clone());
        }
        let text = super::statement(stmt)?;
        self.texts
            .borrow_mut()
            .insert(key.as_slice().into(), text.clone());
        Ok(text)
    }
}

// Tags opening each encoded value. Text ends with `END_TEXT` and lists
// with `END_LIST`: neither byte occurs in UTF-8 nor opens a value, so
// every encoding is self-delimiting and two values encode alike only when
// they are strictly the same.
const END_TEXT: u8 = 0xFF;
const END_LIST: u8 = 0xFE;

/// Everything [`super::statement`] reads from `stmt`, as bytes.
fn describe(stmt: &Stmt, out: &mut Vec<u8>) {
    text(stmt.template, out);
    match stmt.header {
        Some(h) => {
            out.push(1);
            text(h, out);
        }
        None => out.push(0),
    }
    text(&stmt.label, out);
    // The shape written when the statement was made, or the context read
    // back; a leading byte keeps the two kinds of key apart.
    match stmt.shape() {
        Some(shape) => {
            out.push(1);
            out.extend_from_slice(shape);
        }
        None => {
            out.push(0);
            encode(stmt.ctx(), out);
        }
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(s.as_bytes());
    out.push(END_TEXT);
}

/// A value as bytes: same kinds, same scalars as text, same items in the
/// same order give the same bytes, and only they do.
pub(super) fn encode(v: &Value, out: &mut Vec<u8>) {
    match v.kind() {
        ValueKind::Undefined => out.push(0),
        ValueKind::None => out.push(1),
        ValueKind::Bool => out.push(if v.is_true() { 3 } else { 2 }),
        ValueKind::Number => {
            out.push(4);
            let _ = write!(out, "{v}");
            out.push(END_TEXT);
        }
        ValueKind::String => {
            out.push(5);
            text(v.as_str().unwrap_or_default(), out);
        }
        ValueKind::Bytes => {
            let bytes = v.as_bytes().unwrap_or_default();
            out.push(6);
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push(if v.kind() == ValueKind::Seq { 7 } else { 8 });
            if let Ok(items) = v.try_iter() {
                for item in items {
                    encode(&item, out);
                }
            }
            out.push(END_LIST);
        }
        ValueKind::Map => {
            out.push(9);
            match v.as_object().and_then(|o| o.try_iter_pairs()) {
                Some(pairs) => {
                    for (k, item) in pairs {
                        encode(&k, out);
                        encode(&item, out);
                    }
                }
                None => {
                    if let Ok(keys) = v.try_iter() {
                        for k in keys {
                            let item = v.get_item(&k).unwrap_or_default();
                            encode(&k, out);
                            encode(&item, out);
                        }
                    }
                }
            }
            out.push(END_LIST);
        }
        _ => {
            out.push(10);
            let _ = write!(out, "{v}");
            out.push(END_TEXT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &Value, b: &Value) -> bool {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        encode(a, &mut x);
        encode(b, &mut y);
        x == y
    }

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
        // Nesting shows in the bytes: ["ab"] is not ["a", "b"], nor [["a"], "b"].
        assert!(!same(
            &Value::from_serialize(vec!["ab"]),
            &Value::from_serialize(vec!["a", "b"])
        ));
        assert!(!same(
            &Value::from_serialize((vec!["a"], "b")),
            &Value::from_serialize(("a", vec!["b"]))
        ));
        assert!(!same(&Value::from(()), &Value::UNDEFINED));
        let m = |pairs: &[(&str, i32)]| {
            let map: std::collections::BTreeMap<&str, i32> = pairs.iter().copied().collect();
            Value::from_serialize(map)
        };
        assert!(same(&m(&[("a", 1), ("b", 2)]), &m(&[("a", 1), ("b", 2)])));
        assert!(!same(&m(&[("a", 1), ("b", 2)]), &m(&[("a", 1), ("b", 3)])));
        assert!(!same(&m(&[("a", 1)]), &m(&[("b", 1)])));
    }
}
