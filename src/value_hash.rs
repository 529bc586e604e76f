//! Hashing a serialisable value, for the keys of pages and pictures: what
//! a template or a drawing is given, fed to BLAKE3 in a compact binary form.
//!
//! Serialising to JSON first, as before, escaped every string (the HTML
//! of 10 000 tools' bodies) and printed every number, only to hash the
//! text: a tenth of a national site's rebuild. The form here is only ever
//! hashed, never read back; what matters is that two different values
//! never give the same bytes. Every value starts with a tag that says what
//! follows, strings and bytes with their length, and sequences, maps and
//! structs end with a tag no value starts with: no value's bytes are the
//! beginning of another's.

use serde::ser::{self, Serialize};

/// Feeds `value` into `hasher`.
pub(crate) fn hash_value<T: Serialize + ?Sized>(hasher: &mut blake3::Hasher, value: &T) {
    let mut serializer = HashSerializer {
        hasher,
        buffer: Vec::with_capacity(256),
    };
    // Only a value's own `Serialize` can fail: what it wrote is hashed, and
    // then its message, so that two values failing at the same point
    // differ by it.
    if let Err(Error(message)) = value.serialize(&mut serializer) {
        serializer.counted(FAILED, message.as_bytes());
    }
    serializer.flush();
}

/// The hash of `value` alone.
pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hash_value(&mut hasher, value);
    hasher.finalize()
}

/// Bytes are gathered before they are hashed: serde gives them in tiny
/// pieces, which BLAKE3 takes slowly one by one.
const BUFFER: usize = 16 * 1024;

struct HashSerializer<'h> {
    hasher: &'h mut blake3::Hasher,
    buffer: Vec<u8>,
}

// What starts each kind of value, and what ends a sequence or a map.
const BOOL: u8 = b'b';
const INTEGER: u8 = b'i';
const FLOAT: u8 = b'f';
const CHAR: u8 = b'c';
const STRING: u8 = b's';
const BYTES: u8 = b'y';
const NONE: u8 = b'n';
const SOME: u8 = b'o';
const UNIT: u8 = b'u';
const UNIT_VARIANT: u8 = b'v';
const NEWTYPE_VARIANT: u8 = b'w';
const SEQUENCE: u8 = b'[';
const TUPLE_VARIANT: u8 = b't';
const MAP: u8 = b'{';
const STRUCT_VARIANT: u8 = b'x';
const BIG_INTEGER: u8 = b'I';
const FAILED: u8 = b'!';
const END_SEQUENCE: u8 = b']';
const END_MAP: u8 = b'}';

impl HashSerializer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.flush();
        }
        if bytes.len() >= BUFFER {
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }

    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.put(&[tag]);
        self.put(bytes);
    }

    /// A string or bytes: their length first.
    fn counted(&mut self, tag: u8, bytes: &[u8]) {
        self.tagged(tag, &(bytes.len() as u64).to_le_bytes());
        self.put(bytes);
    }

    fn integer(&mut self, value: i128) {
        self.tagged(INTEGER, &value.to_le_bytes());
    }
}

/// Only a value's own `Serialize` makes one.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

type Done = Result<(), Error>;

/// The `serialize_…` methods of integers, each the same `i128` form.
macro_rules! integers {
    ($($method:ident: $type:ty),* $(,)?) => {
        $(
            fn $method(self, v: $type) -> Done {
                self.integer(v.into());
                Ok(())
            }
        )*
    };
}

/// Compound values that are their elements one after the other, then
/// `$end`.
macro_rules! ended_by {
    ($end:expr, $($trait:ident::$method:ident),* $(,)?) => {
        $(
            impl ser::$trait for &mut HashSerializer<'_> {
                type Ok = ();
                type Error = Error;
                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                    value.serialize(&mut **self)
                }
                fn end(self) -> Done {
                    self.put(&[$end]);
                    Ok(())
                }
            }
        )*
    };
}

/// Compound values of named fields: each name and value, then `$end`.
macro_rules! fields_ended_by {
    ($end:expr, $($trait:ident),* $(,)?) => {
        $(
            impl ser::$trait for &mut HashSerializer<'_> {
                type Ok = ();
                type Error = Error;
                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Done {
                    self.counted(STRING, key.as_bytes());
                    value.serialize(&mut **self)
                }
                fn end(self) -> Done {
                    self.put(&[$end]);
                    Ok(())
                }
            }
        )*
    };
}

impl<'a, 'h> ser::Serializer for &'a mut HashSerializer<'h> {
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
        self.tagged(BOOL, &[u8::from(v)]);
        Ok(())
    }
    integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
    );
    fn serialize_u128(self, v: u128) -> Done {
        // Beyond i128, under a tag of its own.
        match i128::try_from(v) {
            Ok(v) => self.integer(v),
            Err(_) => self.tagged(BIG_INTEGER, &v.to_le_bytes()),
        }
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.tagged(FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.tagged(CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.counted(STRING, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.counted(BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.put(&[NONE]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.put(&[SOME]);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.put(&[UNIT]);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Done {
        self.counted(UNIT_VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.counted(NEWTYPE_VARIANT, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Error> {
        self.put(&[SEQUENCE]);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.counted(TUPLE_VARIANT, variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Error> {
        self.put(&[MAP]);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.counted(STRUCT_VARIANT, variant.as_bytes());
        Ok(self)
    }
}

// Sequences and tuples: their elements, then their end.
ended_by!(
    END_SEQUENCE,
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for &mut HashSerializer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.put(&[END_MAP]);
        Ok(())
    }
}

// Structs: each field's name and value, as a map's, then their end.
fields_ended_by!(END_MAP, SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::of;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Tool<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        views: i64,
        summary: Option<&'a str>,
    }

    fn tool<'a>(title: &'a str, tags: Vec<&'a str>) -> Tool<'a> {
        Tool {
            title,
            tags,
            views: 3,
            summary: None,
        }
    }

    #[test]
    fn the_same_value_hashes_the_same() {
        assert_eq!(of(&tool("a", vec!["x"])), of(&tool("a", vec!["x"])));
    }

    /// Values whose parts, run together, are the same bytes: only the
    /// lengths and ends tell them apart.
    #[test]
    fn values_that_run_together_differ() {
        assert_ne!(of(&tool("ab", vec!["c"])), of(&tool("a", vec!["bc"])));
        assert_ne!(of(&tool("a", vec!["b", "c"])), of(&tool("a", vec!["bc"])));
        assert_ne!(of(&vec![vec![1], vec![]]), of(&vec![vec![], vec![1]]));
        assert_ne!(of(&("a", "")), of(&("", "a")));
        let map = |pairs: &[(&'static str, &'static str)]| -> BTreeMap<_, _> {
            pairs.iter().copied().collect()
        };
        assert_ne!(of(&map(&[("a", "b")])), of(&map(&[("ab", "")])));
    }

    #[test]
    fn every_field_counts() {
        let base = of(&tool("a", vec![]));
        assert_ne!(
            base,
            of(&Tool {
                views: 4,
                ..tool("a", vec![])
            })
        );
        assert_ne!(
            base,
            of(&Tool {
                summary: Some(""),
                ..tool("a", vec![])
            })
        );
        assert_ne!(of(&None::<i64>), of(&Some(0)));
        assert_ne!(of(&0.0_f64), of(&-0.0_f64));
        assert_ne!(of(&1_i64), of(&1.0_f64));
        assert_ne!(of(&1_i64), of(&true));
        assert_ne!(of(&"1"), of(&1_i64));
    }
}
