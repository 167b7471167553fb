//! Required text fields: a title, name or 文号 that is empty, `null` or `~`
//! would publish an empty heading or the word "null", so it is refused here,
//! where the YAML is read.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// The message for a required text left empty (the loader positions it at the key).
pub const EMPTY: &str = "不能为空：这一项是必填的，但值是空的（或写成了 null、~）";

/// Reads a required text: refuses empty, whitespace-only, `null` and `~`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    // Refused inside the visitor, so the YAML parser attaches the value's
    // position and key path to the error.
    d.deserialize_str(Required)
}

struct Required;

impl Visitor<'_> for Required {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("文字")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if is_blank(v) {
            return Err(E::custom(EMPTY));
        }
        Ok(v.to_owned())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(E::custom(EMPTY))
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Err(E::custom(EMPTY))
    }
}

/// Whether `s` says nothing: whitespace only, or YAML's words for "no value".
pub fn is_blank(s: &str) -> bool {
    matches!(s.trim(), "" | "~" | "null" | "Null" | "NULL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values() {
        for s in ["", "  ", "\u{3000}", "~", "null", "NULL"] {
            assert!(is_blank(s), "{s:?}");
        }
        for s in ["标题", "null 值说明", "~x"] {
            assert!(!is_blank(s), "{s:?}");
        }
    }
}
