//! The command line's own words in Chinese: clap's help headings, usage
//! lines, built-in `-h`/`-V`/`help` texts and its parse errors.
//!
//! clap writes these in English and offers no translation, so the built
//! command tree is rewritten here once ([`localize`]) and its errors are
//! put into sentences from their kind and context ([`error_text`]).

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

/// The help page layout, with Chinese headings (`用法`; `命令`, `参数`,
/// `选项` come from the headings set in [`localize`]).
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Builds `cmd` and rewrites every text clap adds in English, recursively:
/// headings, usage lines, the help and version flags, the `help` subcommand,
/// and default and possible values (shown in Chinese after each option's help).
pub fn localize(mut cmd: Command) -> Command {
    cmd.build();
    let name = cmd.get_name().to_owned();
    rewrite(cmd, &name)
}

fn rewrite(cmd: Command, path: &str) -> Command {
    let is_help = cmd.get_name() == "help";
    let cmd = cmd.mut_args(arg_in_chinese);
    let usage = usage_of(&cmd, path);
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .override_usage(usage)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令");
    if is_help {
        cmd = cmd.about("显示本帮助，或所给命令的帮助");
    }
    for sub in cmd.get_subcommands_mut() {
        let sub_path = format!("{path} {}", sub.get_name());
        *sub = rewrite(std::mem::take(sub), &sub_path);
    }
    cmd
}

/// `biaogan new case [选项] <年份> <案例id>`.
fn usage_of(cmd: &Command, path: &str) -> String {
    let mut s = path.to_owned();
    if cmd.get_arguments().any(|a| !a.is_positional()) {
        s.push_str(" [选项]");
    }
    for a in cmd.get_positionals() {
        let name = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| a.get_id().to_string());
        if a.is_required_set() {
            s.push_str(&format!(" <{name}>"));
        } else {
            s.push_str(&format!(" [{name}]"));
        }
    }
    if cmd.has_subcommands() {
        s.push_str(" <命令>");
    }
    s
}

fn arg_in_chinese(a: Arg) -> Arg {
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    // Headed arguments are listed by display order, then by name; positionals
    // must stay in the order they are typed.
    let a = match a.get_index() {
        Some(i) if a.is_positional() => a.display_order(i),
        _ => a,
    };
    match a.get_id().as_str() {
        "help" if !a.is_positional() => {
            return a
                .help_heading(heading)
                .help("显示帮助")
                .long_help("显示帮助")
        }
        "version" => return a.help_heading(heading).help("显示版本号"),
        "subcommand" if a.is_positional() => {
            return a
                .help_heading(heading)
                .value_name("命令")
                .help("要查看帮助的命令")
        }
        _ => {}
    }
    let help = a.get_help().map(|h| h.to_string());
    let mut extra = Vec::new();
    let values: Vec<PossibleValue> = a.get_possible_values();
    let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
    if takes_value && !values.is_empty() && !a.is_hide_possible_values_set() {
        let list: Vec<String> = values
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(h) => format!("{}（{h}）", v.get_name()),
                None => v.get_name().to_owned(),
            })
            .collect();
        extra.push(format!("可选：{}", list.join("、")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
        extra.push(format!("默认：{}", defaults.join("、")));
    }
    let help = match (help, extra.is_empty()) {
        (h, true) => h,
        (Some(h), false) => Some(format!("{h}［{}］", extra.join("；"))),
        (None, false) => Some(format!("［{}］", extra.join("；"))),
    };
    let mut a = a
        .help_heading(heading)
        .hide_possible_values(true)
        .hide_default_value(true);
    if let Some(h) = help {
        // The long help (`--help`) is the doc comment's full text; the
        // values go after it too.
        let long = a.get_long_help().map(|l| l.to_string());
        a = a.help(h.clone());
        if let Some(l) = long {
            let tail = h.find('［').map(|i| &h[i..]).unwrap_or("");
            a = a.long_help(format!("{l}{tail}"));
        }
    }
    a
}

/// What the user sees when the command line cannot be parsed, or the help
/// and version texts (which clap already renders from the Chinese tree).
pub fn error_text(e: &clap::Error) -> String {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return full_width_headings(&e.render().to_string())
        }
        _ => {}
    }
    let ctx = |k: ContextKind| e.get(k).map(value_text);
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let mut s = match e.kind() {
        ErrorKind::InvalidValue => {
            let mut s = if value.is_empty() {
                format!("{arg} 后面缺少值")
            } else {
                format!("{arg} 不接受 `{value}`")
            };
            if let Some(valid) = ctx(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                s.push_str(&format!("；可选：{valid}"));
            }
            s
        }
        ErrorKind::UnknownArgument => format!("没有 {arg} 这个选项"),
        ErrorKind::InvalidSubcommand => {
            let sub = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有 {sub} 这个命令")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用 = 连接，如 {arg}=值"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("{arg} 的值 `{value}` 不对：{why}")
        }
        ErrorKind::TooManyValues => format!("{arg} 给了太多值（多出 `{value}`）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 给的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} 不能和 {prior} 同时使用")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必须给出的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::InvalidUtf8 => "命令行里有不是 UTF-8 编码的文字".to_owned(),
        _ => "命令行有误".to_owned(),
    };
    let suggested = ctx(ContextKind::SuggestedArg)
        .or_else(|| ctx(ContextKind::SuggestedSubcommand))
        .or_else(|| ctx(ContextKind::SuggestedValue));
    if let Some(t) = suggested {
        s.push_str(&format!("；是不是想写 {t}？"));
    }
    let mut out = format!("错误：{s}\n");
    let usage = ctx(ContextKind::Usage);
    let usage = usage
        .as_deref()
        .map(|u| u.trim().trim_start_matches("Usage:").trim());
    if let Some(u) = usage {
        out.push_str(&format!("\n用法：{u}\n"));
    }
    // `biaogan new case [选项] <年份>` → `biaogan new case`: the command whose help to read.
    let command: Vec<&str> = usage
        .unwrap_or("biaogan")
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<']))
        .collect();
    out.push_str(&format!(
        "\n运行 {} --help 查看全部命令和选项\n",
        command.join(" ")
    ));
    out
}

/// clap ends each heading with an ASCII colon (`选项:`); Chinese takes `：`.
fn full_width_headings(help: &str) -> String {
    help.lines()
        .map(|l| match l.strip_suffix(':') {
            Some(h @ ("命令" | "参数" | "选项")) => format!("{h}：\n"),
            _ => format!("{l}\n"),
        })
        .collect()
}

fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}
