//! A statement's template context made from its shape, when it is first
//! read.
//!
//! Input: the bytes [`super::of`] wrote. Output: the template context
//! `minijinja::Value::from_serialize` makes of the value they were written
//! from: the same serde calls, with the same values and names, are made
//! again in the same order. Most statements a phase plans are compared by
//! their shape and never rendered, so their context is never made.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;

use minijinja::Value;
use serde::ser::{self, Serialize, Serializer};

/// The template context of `shape`.
pub fn value(shape: &[u8]) -> Value {
    Value::from_serialize(Item(&Cursor(Cell::new(shape))))
}

struct Cursor<'a>(Cell<&'a [u8]>);

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.0.get().first().copied()
    }

    fn take(&self, n: usize) -> &'a [u8] {
        let rest = self.0.get();
        let (head, tail) = rest.split_at(n.min(rest.len()));
        self.0.set(tail);
        head
    }

    fn byte(&self) -> Option<u8> {
        self.take(1).first().copied()
    }

    fn array<const N: usize>(&self) -> [u8; N] {
        let mut out = [0; N];
        let bytes = self.take(N);
        out[..bytes.len()].copy_from_slice(bytes);
        out
    }

    /// A length-prefixed run of bytes (text, bytes, names).
    fn run(&self) -> &'a [u8] {
        let n = u64::from_le_bytes(self.array());
        self.take(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn text(&self) -> &'a str {
        std::str::from_utf8(self.run()).unwrap_or_default()
    }

    /// A name: the tag the writer put before a variant's name, then it.
    fn tagged_name(&self) -> &'static str {
        self.byte();
        intern(self.text())
    }
}

/// The value at the cursor; reading it moves the cursor past it.
struct Item<'c, 'a>(&'c Cursor<'a>);

/// Closes a sequence, map, tuple or struct (see [`super::END`]).
const END: u8 = super::END;

impl Serialize for Item<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let malformed = || <S::Error as ser::Error>::custom("malformed shape");
        // A struct's or struct variant's fields, each named (16) or
        // skipped (32), up to `END`: serde's two traits share the calls.
        macro_rules! fields {
            ($st:ident) => {{
                let mut st = $st;
                loop {
                    match c.byte() {
                        Some(16) => st.serialize_field(intern(c.text()), self)?,
                        Some(32) => st.skip_field(intern(c.text()))?,
                        Some(END) => return st.end(),
                        _ => return Err(malformed()),
                    }
                }
            }};
        }
        let Some(tag) = c.byte() else {
            return Err(malformed());
        };
        match tag {
            1 => s.serialize_bool(true),
            2 => s.serialize_bool(false),
            3 => s.serialize_i8(i8::from_le_bytes(c.array())),
            4 => s.serialize_i16(i16::from_le_bytes(c.array())),
            5 => s.serialize_i32(i32::from_le_bytes(c.array())),
            6 => s.serialize_i64(i64::from_le_bytes(c.array())),
            7 => s.serialize_i128(i128::from_le_bytes(c.array())),
            8 => s.serialize_u8(u8::from_le_bytes(c.array())),
            9 => s.serialize_u16(u16::from_le_bytes(c.array())),
            10 => s.serialize_u32(u32::from_le_bytes(c.array())),
            11 => s.serialize_u64(u64::from_le_bytes(c.array())),
            12 => s.serialize_u128(u128::from_le_bytes(c.array())),
            13 => s.serialize_f32(f32::from_bits(u32::from_le_bytes(c.array()))),
            14 => s.serialize_f64(f64::from_bits(u64::from_le_bytes(c.array()))),
            15 => match char::from_u32(u32::from_le_bytes(c.array())) {
                Some(ch) => s.serialize_char(ch),
                None => Err(malformed()),
            },
            16 => s.serialize_str(c.text()),
            17 => s.serialize_bytes(c.run()),
            18 => s.serialize_none(),
            19 => s.serialize_some(self),
            20 => s.serialize_unit(),
            21 => s.serialize_unit_struct(intern(c.text())),
            22 => {
                let name = intern(c.text());
                s.serialize_unit_variant(name, 0, c.tagged_name())
            }
            23 => s.serialize_newtype_struct(intern(c.text()), self),
            24 => {
                let name = intern(c.text());
                s.serialize_newtype_variant(name, 0, c.tagged_name(), self)
            }
            25 => {
                use ser::SerializeSeq;
                let mut seq = s.serialize_seq(None)?;
                while c.peek().is_some_and(|b| b != END) {
                    seq.serialize_element(self)?;
                }
                c.byte();
                seq.end()
            }
            26 => {
                use ser::SerializeTuple;
                let mut tuple = s.serialize_tuple(0)?;
                while c.peek().is_some_and(|b| b != END) {
                    tuple.serialize_element(self)?;
                }
                c.byte();
                tuple.end()
            }
            27 => {
                use ser::SerializeTupleStruct;
                let mut tuple = s.serialize_tuple_struct(intern(c.text()), 0)?;
                while c.peek().is_some_and(|b| b != END) {
                    tuple.serialize_field(self)?;
                }
                c.byte();
                tuple.end()
            }
            28 => {
                use ser::SerializeTupleVariant;
                let name = intern(c.text());
                let mut tuple = s.serialize_tuple_variant(name, 0, c.tagged_name(), 0)?;
                while c.peek().is_some_and(|b| b != END) {
                    tuple.serialize_field(self)?;
                }
                c.byte();
                tuple.end()
            }
            29 => {
                use ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                while c.peek().is_some_and(|b| b != END) {
                    map.serialize_key(self)?;
                    map.serialize_value(self)?;
                }
                c.byte();
                map.end()
            }
            30 => {
                use ser::SerializeStruct;
                let st = s.serialize_struct(intern(c.text()), 0)?;
                fields!(st)
            }
            31 => {
                use ser::SerializeStructVariant;
                let name = intern(c.text());
                let st = s.serialize_struct_variant(name, 0, c.tagged_name(), 0)?;
                fields!(st)
            }
            _ => Err(malformed()),
        }
    }
}

/// `name` as the `'static` text serde wants for the names of types,
/// fields and variants. They are the names of the program's own types,
/// a fixed set: each is kept once for the life of the process.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    thread_local! {
        static SEEN: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
    }
    SEEN.with(|seen| {
        if let Some(&n) = seen.borrow().get(name) {
            return n;
        }
        let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
        let n = match names.get(name) {
            Some(&n) => n,
            None => {
                let n: &'static str = Box::leak(name.into());
                names.insert(n);
                n
            }
        };
        seen.borrow_mut().insert(n);
        n
    })
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    enum Kind {
        Plain,
        Wrapped(u8),
        Pair(i32, String),
        Named { a: bool },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct All {
        text: String,
        n: i64,
        u: u64,
        f: f64,
        ch: char,
        on: Option<bool>,
        off: Option<bool>,
        list: Vec<&'static str>,
        tuple: (u8, &'static str),
        map: BTreeMap<String, Vec<i16>>,
        kinds: Vec<Kind>,
        unit: (),
        unit_struct: Unit,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
    }

    #[test]
    fn the_context_made_from_a_shape_is_the_one_made_from_the_value() {
        let value = All {
            text: "it's \"quoted\"".into(),
            n: -3,
            u: u64::MAX,
            f: 1.5,
            ch: 'é',
            on: Some(true),
            off: None,
            list: vec!["a", "", "c"],
            tuple: (7, "x"),
            map: [("k".to_string(), vec![1, -2])].into_iter().collect(),
            kinds: vec![
                Kind::Plain,
                Kind::Wrapped(9),
                Kind::Pair(-1, "p".into()),
                Kind::Named { a: false },
            ],
            unit: (),
            unit_struct: Unit,
            skipped: None,
        };
        let shape = super::super::of(&value).expect("serializable");
        let made = super::value(&shape);
        let direct = minijinja::Value::from_serialize(&value);
        assert_eq!(format!("{made:?}"), format!("{direct:?}"));
        let env = minijinja::Environment::new();
        let template = "{{ text }} {{ n }} {{ u }} {{ f }} {{ ch }} {{ on }} {{ off }} \
            {{ list|join(',') }} {{ tuple }} {{ map }} {{ kinds }} {{ unit }} {{ unit_struct }} \
            {{ skipped is defined }}";
        let render = |v: &minijinja::Value| env.render_str(template, v).expect("renders");
        assert_eq!(render(&made), render(&direct));
    }
}
