//! 统一社会信用代码 (unified social credit code), GB 32100-2015.

use std::fmt;

use serde::{Deserialize, Serialize};

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A credit code whose length, alphabet and check digit have been verified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check character for the first 17 characters, if they are all valid.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += ALPHABET.find(c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(check as usize)
}

impl TryFrom<String> for CreditCode {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let code = s.trim().to_owned();
        let n = code.chars().count();
        if n != 18 {
            return Err(format!(
                "统一社会信用代码 `{code}` 有 {n} 位，应为 18 位：请对照营业执照重新填写"
            ));
        }
        if let Some(bad) = code.chars().find(|c| !ALPHABET.contains(*c)) {
            let hint = if bad.is_ascii_lowercase() {
                "（字母必须大写）"
            } else if matches!(bad, 'I' | 'O' | 'S' | 'V' | 'Z') {
                "（代码中不使用字母 I、O、S、V、Z）"
            } else {
                ""
            };
            return Err(format!(
                "统一社会信用代码 `{code}` 含有不允许的字符 `{bad}`{hint}：请对照营业执照重新填写"
            ));
        }
        let expected = check_char(&code[..17]).unwrap_or('?');
        let actual = code.chars().nth(17).unwrap_or('?');
        if expected != actual {
            return Err(format!(
                "统一社会信用代码 `{code}` 未通过 GB 32100 校验：按前 17 位，第 18 位（校验码）应为 `{expected}`，而不是 `{actual}`；请对照营业执照核对每一位"
            ));
        }
        Ok(CreditCode(code))
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_codes() {
        // Codes whose check digit was verified independently.
        for code in [
            "91110000100005220B",
            "91350100M000100Y43",
            "911100001011155728",
        ] {
            assert!(CreditCode::try_from(code.to_owned()).is_ok(), "{code}");
        }
    }

    #[test]
    fn computed_check_digit_round_trips() {
        let body = "91330100MA2B3C4D5";
        let full = format!("{body}{}", check_char(body).unwrap());
        assert!(CreditCode::try_from(full).is_ok());
    }

    #[test]
    fn rejects_wrong_check_digit() {
        let err = CreditCode::try_from("91110000100005220C".to_owned()).unwrap_err();
        assert!(err.contains("应为 `B`"), "{err}");
    }

    #[test]
    fn rejects_bad_length_and_letters() {
        assert!(CreditCode::try_from("9111000010000522".to_owned())
            .unwrap_err()
            .contains("有 16 位"));
        assert!(CreditCode::try_from("91110000100005220I".to_owned())
            .unwrap_err()
            .contains("不使用字母"));
        assert!(CreditCode::try_from("91110000100005220b".to_owned())
            .unwrap_err()
            .contains("字母必须大写"));
    }
}
