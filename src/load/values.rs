//! A walk over every value of a YAML record before it is typed: refuses
//! forbidden characters written as escapes (`"\v"`), line breaks in one-line
//! fields, and alias expansion that would make the record much larger than
//! its text (a "billion laughs" file).
//!
//! serde_yaml 0.9 only limits the number of alias jumps (100 per event), not
//! the size they expand to: one 1 MB anchor used 400 times passes it.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{text, yaml};
use crate::diagnostics::Diagnostic;

/// Expanded size allowed per byte of the record's text.
const GROWTH: usize = 4;
/// Expanded size every record may reach whatever its length.
const SLACK: usize = 64 * 1024;

/// Keys whose values may span lines (Markdown and free-text paragraphs).
const MULTI_LINE: [&str; 8] = [
    "body",
    "instructions",
    "email_instructions",
    "text",
    "note",
    "address",
    "footer",
    "confidential",
];

/// Checks every value of the record `src` (the text of `file`).
///
/// Syntax errors are left to the typed parse, which words them better.
pub fn check(file: &Path, src: &str) -> Result<(), Diagnostic> {
    let mut state = State {
        left: src.len().saturating_mul(GROWTH).saturating_add(SLACK),
        found: None,
    };
    let de = serde_yaml::Deserializer::from_str(src);
    let Err(err) = (Walk {
        state: &mut state,
        multi_line: false,
    })
    .deserialize(de) else {
        return Ok(());
    };
    let Some(found) = state.found else {
        return Ok(());
    };
    if let Found::Duplicate(key) = found {
        let near = err.location().map(|l| l.line());
        return Err(super::duplicates::diagnostic(file, src, &key, near));
    }
    let mut d = yaml::from_yaml_error(file, src, &err);
    // Never draw the line: it may hold the character itself or confidential data.
    d.source_line = None;
    let (message, help) = match found {
        Found::Char(c, name) => (format!("值{}", text::message(c, name)), text::HELP.into()),
        Found::LineBreak => (
            "这一项只能写一行，值中有换行".to_owned(),
            "写在同一行（如 title: 标题），不要用 | 或 > 分行".to_owned(),
        ),
        Found::TooLarge => (
            format!("锚点（&）和别名（*）展开后的内容超过文件本身的 {GROWTH} 倍"),
            "直接写出内容，不要用 & 锚点和 * 别名重复引用大段内容".to_owned(),
        ),
        Found::Duplicate(_) => return Ok(()),
    };
    d.message = message;
    d.help = Some(help);
    Err(d)
}

/// What the walk stopped at.
enum Found {
    Char(char, &'static str),
    LineBreak,
    TooLarge,
    /// A key written twice in one mapping.
    Duplicate(String),
}

struct State {
    /// Bytes of expanded content still allowed.
    left: usize,
    found: Option<Found>,
}

impl State {
    fn charge<E: de::Error>(&mut self, n: usize) -> Result<(), E> {
        match self.left.checked_sub(n.saturating_add(1)) {
            Some(l) => {
                self.left = l;
                Ok(())
            }
            None => self.stop(Found::TooLarge),
        }
    }

    fn stop<E: de::Error>(&mut self, f: Found) -> Result<(), E> {
        self.found = Some(f);
        Err(E::custom("biaogan value check"))
    }

    fn text<E: de::Error>(&mut self, v: &str, multi_line: bool) -> Result<(), E> {
        self.charge(v.len())?;
        if let Some((_, c, name)) = text::first_forbidden(v) {
            return self.stop(Found::Char(c, name));
        }
        if !multi_line && v.contains('\n') {
            return self.stop(Found::LineBreak);
        }
        Ok(())
    }
}

/// Walks one value; `multi_line` says whether strings in it may hold `\n`.
struct Walk<'s> {
    state: &'s mut State,
    multi_line: bool,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.state.text(v, self.multi_line)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.state.charge(0)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.state.charge(0)?;
        while seq
            .next_element_seed(Walk {
                state: &mut *self.state,
                multi_line: self.multi_line,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.state.charge(0)?;
        let mut seen = std::collections::BTreeSet::new();
        while let Some((key, multi)) = map.next_key_seed(Key(&mut *self.state))? {
            if let Some(k) = key {
                if !seen.insert(k.clone()) {
                    return self.state.stop(Found::Duplicate(k));
                }
            }
            let multi_line = self.multi_line || multi;
            map.next_value_seed(Walk {
                state: &mut *self.state,
                multi_line,
            })?;
        }
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag x`): check the tag's value like any other.
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// Walks a mapping key, returning it as text (when it is a scalar) and
/// whether it is one of [`MULTI_LINE`].
struct Key<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = (Option<String>, bool);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = (Option<String>, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.text(v, false)?;
        Ok((Some(v.to_owned()), MULTI_LINE.contains(&v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.charge(0).map(|()| (Some(v.to_string()), false))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.charge(0).map(|()| (Some(v.to_string()), false))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.charge(0).map(|()| (Some(v.to_string()), false))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.0.charge(0).map(|()| (None, false))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.charge(0).map(|()| (None, false))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Walk {
            state: self.0,
            multi_line: false,
        }
        .visit_seq(seq)
        .map(|()| (None, false))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Walk {
            state: self.0,
            multi_line: false,
        }
        .visit_map(map)
        .map(|()| (None, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> Diagnostic {
        check(Path::new("r.yaml"), src).unwrap_err()
    }

    #[test]
    fn escaped_control_characters_are_refused_with_field_and_line() {
        let d = err("a: 1\ntitle: \"质量\\v标杆\"\n");
        assert_eq!(d.line, Some(2), "{d}");
        assert_eq!(d.field.as_deref(), Some("title"));
        assert!(d.message.contains("U+000B"), "{}", d.message);
        assert!(d.source_line.is_none());
        for esc in ["\\x1b", "\\u2028", "\\x85", "\\r", "\\0", "\\x7f"] {
            assert!(
                check(Path::new("r.yaml"), &format!("title: \"a{esc}b\"")).is_err(),
                "{esc}"
            );
        }
    }

    #[test]
    fn line_breaks_only_in_multi_line_fields() {
        let d = err("title: |\n  标题\n");
        assert_eq!(d.field.as_deref(), Some("title"));
        let ok = "body: |\n  第一段\n\n  第二段\nchanges:\n  - note: |\n      改期\n";
        assert!(check(Path::new("r.yaml"), ok).is_ok());
        assert!(check(Path::new("r.yaml"), "title: \"a\\tb\"").is_ok());
    }

    #[test]
    fn alias_expansion_is_bounded_by_the_text() {
        let big = "x".repeat(100_000);
        let aliases = "  - *a\n".repeat(400);
        let src = format!("title: &a {big}\nmethods:\n{aliases}");
        let d = err(&src);
        assert!(d.message.contains("锚点"), "{}", d.message);
        assert!(d.line.is_some(), "{d}");
        // A few small aliases are fine.
        let ok = "a: &x 标杆\nb: *x\nc: [*x, *x]\n";
        assert!(check(Path::new("r.yaml"), ok).is_ok());
    }

    #[test]
    fn nested_alias_bombs_stop_early() {
        let mut src = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(err(&src).message.contains("锚点"));
    }
}
