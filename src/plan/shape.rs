//! A statement's context written out as bytes, once, when it is made.
//!
//! Input: the context a statement is made with (anything `Serialize`).
//! Output: bytes that are equal for two contexts only when serde sees the
//! same calls with the same values, so that the template context built
//! from them (`minijinja::Value::from_serialize`, a function of those
//! calls) is the same and renders the same text. The render cache keys
//! statements by them: reading the finished template context back costs
//! several times what writing the typed one does.
//!
//! Every value opens with a tag byte; text and bytes carry their length;
//! sequences, maps and structs close with [`END`], which opens no value.
//! So each encoding is self-delimiting and two call trees encode alike
//! only when they are the same. Names of structs, fields and variants are
//! written too: two types with the same values still differ.

use serde::ser::{self, Serialize};

mod replay;
pub use replay::value;

/// Closes a sequence, map, tuple or struct; opens no value.
const END: u8 = 0xFF;

/// The bytes of `value`, or `None` when it cannot be serialized (the
/// caller then keys by the template context itself).
pub fn of(value: &impl Serialize) -> Option<Box<[u8]>> {
    let mut w = Writer(Vec::with_capacity(128));
    value.serialize(&mut w).ok()?;
    Some(w.0.into_boxed_slice())
}

struct Writer(Vec<u8>);

#[derive(Debug)]
struct Error;

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not serializable")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Error
    }
}

impl Writer {
    fn tag(&mut self, t: u8) {
        self.0.push(t);
    }

    fn text(&mut self, t: u8, s: &[u8]) {
        self.0.push(t);
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s);
    }

    fn fixed(&mut self, t: u8, bytes: &[u8]) {
        self.0.push(t);
        self.0.extend_from_slice(bytes);
    }
}

type Done = Result<(), Error>;

impl ser::Serializer for &mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(if v { 1 } else { 2 });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.fixed(3, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.fixed(4, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.fixed(5, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.fixed(6, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.fixed(7, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.fixed(8, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.fixed(9, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.fixed(10, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.fixed(11, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.fixed(12, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.fixed(13, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.fixed(14, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.fixed(15, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.text(16, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.text(17, v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tag(18);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.tag(19);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(20);
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.text(21, name.as_bytes());
        Ok(())
    }
    fn serialize_unit_variant(self, name: &'static str, _: u32, variant: &'static str) -> Done {
        self.text(22, name.as_bytes());
        self.text(16, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.text(23, name.as_bytes());
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.text(24, name.as_bytes());
        self.text(16, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(25);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        self.tag(26);
        Ok(self)
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self, Error> {
        self.text(27, name.as_bytes());
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.text(28, name.as_bytes());
        self.text(16, variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(29);
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Error> {
        self.text(30, name.as_bytes());
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.text(31, name.as_bytes());
        self.text(16, variant.as_bytes());
        Ok(self)
    }
}

/// Items of a sequence, tuple or map, then [`END`].
macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Writer {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Writer {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

/// Fields by name, then [`END`]; a skipped field leaves a mark, so that
/// skipping one is not taken for another's absence.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Writer {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Done {
                self.text(16, key.as_bytes());
                value.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> Done {
                self.text(32, key.as_bytes());
                Ok(())
            }
            fn end(self) -> Done {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::of;
    use serde::Serialize;

    #[derive(Serialize)]
    struct A<'a> {
        name: &'a str,
        cols: Vec<&'a str>,
        on: Option<bool>,
    }

    #[derive(Serialize)]
    struct B<'a> {
        title: &'a str,
        cols: Vec<&'a str>,
        on: Option<bool>,
    }

    #[test]
    fn only_the_same_values_of_the_same_shape_write_the_same_bytes() {
        let a = |name, cols: Vec<&'static str>, on| of(&A { name, cols, on });
        assert_eq!(a("t", vec!["x"], None), a("t", vec!["x"], None));
        assert_ne!(a("t", vec!["x"], None), a("t", vec!["x"], Some(false)));
        assert_ne!(a("t", vec!["ab"], None), a("t", vec!["a", "b"], None));
        assert_ne!(a("t", vec!["x", ""], None), a("t", vec!["x"], None));
        assert_ne!(a("tx", vec![], None), a("t", vec!["x"], None));
        // Another field name is another context for a template.
        let b = of(&B {
            title: "t",
            cols: vec!["x"],
            on: None,
        });
        assert_ne!(a("t", vec!["x"], None), b);
        assert_ne!(of(&1_i64), of(&1_u64));
        assert_ne!(of(&1_i64), of(&1.0_f64));
        assert_ne!(of(&true), of(&1_u8));
        assert_ne!(of(&Some(())), of(&None::<()>));
        assert_ne!(of(&(vec!["a"], "b")), of(&("a", vec!["b"])));
    }
}
