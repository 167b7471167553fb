//! `biaogan new`: record templates for editors. Each writes every field with a
//! Chinese comment and `【待填写：…】` placeholders, which `check` refuses
//! (see [`crate::load::placeholder`]) until an editor fills them in.

mod case;
mod event;
mod revocation;
mod round;
mod yaml;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::load::paths;

/// `biaogan new …`: which record to start, and where the content folder is.
#[derive(Args)]
pub struct NewArgs {
    /// 内容文件夹（存放 site.yaml、campaigns/、events/ 的文件夹）
    #[arg(long, default_value = "content", value_name = "文件夹", global = true)]
    pub content: PathBuf,
    #[command(subcommand)]
    record: Record,
}

#[derive(Subcommand)]
enum Record {
    /// 新建一年的遴选活动 campaigns/<年份>/（沿用上一年的设置，不沿用案例、日期和文号）
    Round {
        /// 年份，如 2025
        #[arg(value_name = "年份", value_parser = parse_year)]
        year: i32,
    },
    /// 新建一个申报案例 campaigns/<年份>/cases/<id>.yaml 和经验总结 <id>.md
    Case {
        /// 年份，如 2025
        #[arg(value_name = "年份", value_parser = parse_year)]
        year: i32,
        /// 案例 id：小写字母、数字和 -，如 hx-auto-parts（也是网址的一部分）
        #[arg(value_name = "案例id")]
        id: String,
    },
    /// 新建一个交流活动 events/<id>.yaml
    Event {
        /// 活动 id：小写字母、数字和 -，如 2025-09-lecture-beijing
        #[arg(value_name = "活动id")]
        id: String,
    },
    /// 新建一份撤销公告 campaigns/<年份>/revocations/<案例 id>.yaml
    Revocation {
        /// 案例所在的年份
        #[arg(value_name = "年份", value_parser = parse_year)]
        year: i32,
        /// 被撤销案例的 id（cases/ 中的文件名，不含 .yaml）
        #[arg(value_name = "案例id")]
        case_id: String,
    },
}

/// A year as typed on the command line (`2025`), refused in Chinese otherwise.
fn parse_year(s: &str) -> Result<i32, String> {
    s.parse()
        .map_err(|_| "不是年份；请写四位数字，如 2025".to_owned())
}

/// What a template command wrote, and what the editor does next.
#[derive(Debug)]
pub struct Created {
    /// The files written, in the order they should be edited.
    pub files: Vec<PathBuf>,
    /// Extra steps specific to this record (the common ones are added by [`Created::report`]).
    pub steps: Vec<String>,
}

impl Created {
    /// The Chinese text printed after a template was written.
    pub fn report(&self, content: &Path) -> String {
        let mut s = String::from("已新建：\n");
        for f in &self.files {
            s.push_str(&format!("  {}\n", f.display()));
        }
        s.push_str("\n下一步：\n");
        let mut steps = vec![format!(
            "用记事本、WPS 或 VS Code 打开上面的文件，把每一处“【待填写：…】”（连同括号）换成真实内容；以 # 开头的行是说明，不会发布。保存时选择 UTF-8 编码。"
        )];
        steps.extend(self.steps.iter().cloned());
        steps.push(format!(
            "运行 biaogan check --content {}：还有没填的占位内容时会报“占位内容未填写”，并给出文件和行号。",
            content.display()
        ));
        steps.push(format!(
            "运行 biaogan serve --drafts --content {}，在浏览器里预览（包括尚未到公开日期的内容）。",
            content.display()
        ));
        for (i, step) in steps.iter().enumerate() {
            s.push_str(&format!("  {}. {step}\n", i + 1));
        }
        s
    }
}

/// Runs `biaogan new …`: writes the template, or says in Chinese why not.
pub fn run(args: &NewArgs) -> Result<Created, String> {
    let content = args.content.as_path();
    if !content.join("site.yaml").is_file() {
        return Err(format!(
            "{} 不是内容文件夹（里面没有 site.yaml）。请在网站文件夹中运行，或用 --content 指定内容文件夹。",
            content.display()
        ));
    }
    match &args.record {
        Record::Round { year } => round::create(content, check_year(*year)?),
        Record::Case { year, id } => case::create(content, check_year(*year)?, slug(id, "案例")?),
        Record::Event { id } => event::create(content, slug(id, "活动")?),
        Record::Revocation { year, case_id } => {
            revocation::create(content, check_year(*year)?, slug(case_id, "案例")?)
        }
    }
}

fn check_year(year: i32) -> Result<i32, String> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(format!("年份 {year} 不对：请写四位数的年份，如 2025。"))
    }
}

fn slug<'a>(id: &'a str, what: &str) -> Result<&'a str, String> {
    if paths::is_slug(id) {
        Ok(id)
    } else {
        Err(format!(
            "{what} id “{id}” 不能用：它是网址的一部分，只能用小写英文字母、数字和 -（如 hx-auto-parts）。"
        ))
    }
}

/// The round folder `campaigns/<year>/`, which must already exist.
fn round_dir(content: &Path, year: i32) -> Result<PathBuf, String> {
    let dir = content.join("campaigns").join(year.to_string());
    if dir.join("campaign.yaml").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "还没有 {year} 年的遴选活动（{} 不存在）。请先运行 biaogan new round {year}。",
            dir.join("campaign.yaml").display()
        ))
    }
}

/// Writes all files or none: every target is checked first, and each is
/// created only if it does not exist, so nothing an editor wrote is overwritten.
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    for (path, _) in files {
        if path.exists() {
            return Err(format!(
                "{} 已经存在，没有改动任何文件。如果要重新开始，请先把它改名或移走。",
                path.display()
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let result = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| OpenOptions::new().write(true).create_new(true).open(path))
            .and_then(|mut f| f.write_all(text));
        if let Err(e) = result {
            return Err(format!("无法写入 {}：{e}", path.display()));
        }
        written.push(path.clone());
    }
    Ok(written)
}

/// `【待填写：what】`, the placeholder `check` refuses.
fn todo(what: &str) -> String {
    format!("{}：{what}】", crate::load::placeholder::MARKER)
}
