//! Date and time values as editors write them in YAML, parsed once at the edge.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer};

/// Parses `2024-08-05`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` 不是日期：请写成 年-月-日，例如 2024-08-05"))
}

/// Parses `17:00`.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| format!("`{s}` 不是时间：请写成 时:分（24 小时制），例如 17:00"))
}

/// Parses `2024-09-20T09:00`, `2024-09-20 09:00` or `2024-05-31 24:00`
/// (24:00 is how official notices write the end of a day).
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    let err = || {
        format!("`{s}` 不是日期和时间：请写成 年-月-日 时:分，例如 2024-09-20 09:00（一天结束可写 24:00）")
    };
    let (d, tm) = t.split_once(['T', ' ']).ok_or_else(err)?;
    let date = parse_date(d).map_err(|_| err())?;
    if tm.trim() == "24:00" {
        return date
            .succ_opt()
            .map(|n| n.and_time(NaiveTime::MIN))
            .ok_or_else(err);
    }
    let time = NaiveTime::parse_from_str(tm.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(tm.trim(), "%H:%M:%S"))
        .map_err(|_| err())?;
    Ok(date.and_time(time))
}

/// The day a period ending at `end` ends on: an end written 24:00 is the
/// next day's 00:00 once parsed, and the day before it is the one meant.
pub fn last_day(end: NaiveDateTime) -> NaiveDate {
    (end - chrono::Duration::seconds(1)).date()
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    // Dates written unquoted are plain scalars; accept them as text.
    let v = serde_yaml::Value::deserialize(d)?;
    match v {
        serde_yaml::Value::String(s) => Ok(s),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "这里要写日期或时间（例如 2024-09-20 或 2024-09-20 09:00），写成了{}",
            kind(&other)
        ))),
    }
}

fn kind(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "空值",
        serde_yaml::Value::Bool(_) => "是/否（true/false）",
        serde_yaml::Value::Number(_) => "数字",
        serde_yaml::Value::String(_) => "文字",
        serde_yaml::Value::Sequence(_) => "列表",
        serde_yaml::Value::Mapping(_) => "键值映射",
        serde_yaml::Value::Tagged(_) => "带标签的值",
    }
}

/// serde adapter for a date field.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    parse_date(&scalar(d)?).map_err(serde::de::Error::custom)
}

/// serde adapter for an optional date field.
pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    date(d).map(Some)
}

/// serde adapter for a list of dates.
pub fn date_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
    let items: Vec<serde_yaml::Value> = Vec::deserialize(d)?;
    items
        .iter()
        .map(|v| match v {
            serde_yaml::Value::String(s) => parse_date(s),
            other => Err(format!(
                "这里要写日期（例如 2024-10-01），写成了{}",
                kind(other)
            )),
        })
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)
}

/// serde adapter for a time-of-day field.
pub fn time<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    parse_time(&scalar(d)?).map_err(serde::de::Error::custom)
}

/// serde adapter for a date-time field.
pub fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    parse_datetime(&scalar(d)?).map_err(serde::de::Error::custom)
}

/// serde adapter for a deadline: a date-time, or a date meaning the end of that day.
pub fn deadline<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let s = scalar(d)?;
    parse_datetime(&s)
        .or_else(|e| match parse_date(&s) {
            Ok(day) => day.succ_opt().map(|n| n.and_time(NaiveTime::MIN)).ok_or(e),
            Err(_) => Err(e),
        })
        .map_err(serde::de::Error::custom)
}

/// serde adapter for an optional deadline.
pub fn opt_deadline<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    deadline(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_four_hundred_is_the_next_midnight() {
        let dt = parse_datetime("2024-05-31 24:00").unwrap();
        assert_eq!(dt.to_string(), "2024-06-01 00:00:00");
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse_date("2024/08/05").unwrap_err().contains("年-月-日"));
        assert!(parse_datetime("2024-08-05").is_err());
        assert!(parse_time("5pm").is_err());
    }
}
