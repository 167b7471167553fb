//! The `biaogan` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDateTime;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use biaogan::diagnostics::Diagnostics;
use biaogan::model::base_url::BaseUrl;
use biaogan::model::dates;
use biaogan::pipeline::{self, Options};
use biaogan::report::{self, Format};
use biaogan::schedule;
use biaogan::serve::{self, ServeConfig};

// A build allocates and frees millions of small strings (Markdown events,
// template values, HTML trees) from two threads; glibc's allocator was a
// tenth of a build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_t`
/// (mimalloc.h), which libmimalloc-sys does not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a command that is over in seconds (`build`, `check`): memory freed
/// stays with the process. By default mimalloc hands freed memory back to
/// the system after a delay, and the next allocations fault it in again,
/// zeroed by the kernel (two megabytes at a time when huge pages were on,
/// before [`no_huge_pages`]): the search index frees
/// tens of megabytes while pages still render, and that zeroing was 5–13 %
/// of a 1,000-case build's CPU time. `serve` keeps the default, so that a
/// long preview returns memory.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's global options (an integer it reads
    // when it next purges); valid at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Transparent huge pages off for this process. mimalloc asks for them
/// (madvise) on the memory it reserves, and the kernel then backs each
/// touched region with two megabytes: at 1,000 cases a build's peak memory
/// was 121 MB with them and 85 MB without (`scripts/bench`; issue 6's
/// memory budget), the sample site's check 58 MB and 28 MB, at the same
/// speed. The flag passes to child processes: `serve` clears it for the
/// browser it opens.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// biaogan（标杆）：由内容文件夹生成质量标杆典型经验遴选网站。
#[derive(Parser)]
#[command(name = "biaogan", version, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站，写入输出文件夹（只有生成成功才整体替换）。
    Build {
        #[command(flatten)]
        input: Input,
        /// 输出文件夹；整体替换，失败时保持原样。
        #[arg(long, default_value = "public", value_name = "文件夹")]
        out: PathBuf,
        /// 错误的输出格式：text 写到标准错误，json 和 github 写到标准输出。
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "格式")]
        format: Format,
    },
    /// 检查内容：在内存中生成全部页面，现在和日程上以后的每个时刻都检查一遍，不写文件。
    ///
    /// 只有网站将要经历的每个状态都能生成时，退出状态才是 0。
    Check {
        #[command(flatten)]
        input: Input,
        /// 只检查现在的网站，不检查以后各时刻的网站。
        #[arg(long)]
        only_now: bool,
        /// 错误的输出格式：text 写到标准错误，json 和 github 写到标准输出。
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "格式")]
        format: Format,
    },
    /// 列出以后网站会变化的每个时刻，以及每次变化的内容。
    Schedule {
        /// 内容文件夹（存放 site.yaml、campaigns/、events/ 的文件夹）。
        #[arg(long, default_value = "content", value_name = "文件夹")]
        content: PathBuf,
        /// 从这个时刻之后开始列（网站所在时区）；不给则为当前时间。
        #[arg(long, value_name = "时刻", value_parser = parse_now)]
        now: Option<NaiveDateTime>,
        /// 列到这个时刻为止（含这个时刻）。
        #[arg(long, value_name = "时刻", value_parser = parse_now)]
        until: Option<NaiveDateTime>,
        /// 输出格式。
        #[arg(long, value_enum, default_value_t = ScheduleFormat::Text, value_name = "格式")]
        format: ScheduleFormat,
    },
    /// 预览：在内存中生成网站并通过 HTTP 提供，每次保存后重新生成并刷新打开的页面。
    ///
    /// 内容有错误时，浏览器在上一次成功生成的网站上显示错误；预览服务不会因此停止。
    Serve {
        #[command(flatten)]
        input: Input,
        /// 同时显示尚未公开的文件；页面顶部会有提示条。
        #[arg(long)]
        drafts: bool,
        /// 监听的地址。不是本机回环地址时，其他电脑也能看到预览（包括 --drafts 显示的内容）。
        #[arg(long, default_value = "127.0.0.1", value_name = "地址", value_parser = parse_ip)]
        bind: IpAddr,
        /// 监听的端口；0 表示自动选一个空闲端口。
        #[arg(long, default_value_t = 1111, value_name = "端口", value_parser = parse_port)]
        port: u16,
        /// 用默认浏览器打开网站。
        #[arg(long)]
        open: bool,
    },
    /// 新建记录模板（年度活动、案例、交流活动、撤销公告），填好占位内容后才能发布。
    New(biaogan::new::NewArgs),
}

#[derive(Args)]
struct Input {
    /// 内容文件夹（存放 site.yaml、holidays.yaml、campaigns/、events/ 的文件夹）。
    #[arg(long, default_value = "content", value_name = "文件夹")]
    content: PathBuf,
    /// 按这个时刻（网站所在时区）已公开的内容生成网站：写作 2024-09-25 或 "2024-09-25 17:00"；不给则为当前时间。
    #[arg(long, value_name = "时刻", value_parser = parse_now)]
    now: Option<NaiveDateTime>,
    /// 网站发布的完整网址，如 https://example.org/（代替 site.yaml 中的 base_url）。
    #[arg(long, value_name = "网址", value_parser = parse_url)]
    base_url: Option<BaseUrl>,
    /// 把警告当作错误：有警告时退出状态为 1，不写任何文件。
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScheduleFormat {
    /// 每个时刻一行
    Text,
    /// JSON 列表
    Json,
}

/// Prints the problems of a failed `check` or `build` in the chosen format.
fn report_errors(d: &Diagnostics, format: Format) {
    match format {
        Format::Text => eprintln!("{d}"),
        Format::Json => println!("{}", report::json(d)),
        Format::Github => {
            print!("{}", report::github(d));
            eprintln!("{}", biaogan::diagnostics::summary(d));
        }
    }
}

/// Prints the warnings of a successful `check` or `build` (JSON: always one document).
fn report_warnings(w: &Diagnostics, format: Format) {
    match format {
        Format::Text if !w.is_empty() => eprintln!("{w}"),
        Format::Text => {}
        Format::Json => println!("{}", report::json(w)),
        Format::Github => print!("{}", report::github(w)),
    }
}

fn parse_now(s: &str) -> Result<NaiveDateTime, String> {
    dates::parse_datetime(s)
        .or_else(|_| dates::parse_date(s).map(|d| d.and_time(chrono::NaiveTime::MIN)))
        .map_err(|_| "不是日期或日期时间；请写作 2024-09-25 或 \"2024-09-25 17:00\"".to_owned())
}

/// `检查通过：现在及以后 3 个时刻，共 36 个页面（1.3 秒）`; without later
/// moments (or with `--only-now`) only the site as it is now is named.
fn check_summary(pages: usize, later: usize, took: &str) -> String {
    if later == 0 {
        format!("检查通过：共 {pages} 个页面（{took}）")
    } else {
        format!("检查通过：现在及以后 {later} 个时刻，共 {pages} 个页面（{took}）")
    }
}

/// `1.3 秒`, or `850 毫秒` under a second.
fn seconds(started: Instant) -> String {
    let ms = started.elapsed().as_millis();
    if ms < 1000 {
        format!("{ms} 毫秒")
    } else {
        format!("{:.1} 秒", ms as f64 / 1000.0)
    }
}

/// Prints clap's help, version or parse error in Chinese and gives its exit status.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let text = biaogan::cli_text::error_text(e);
    if e.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(e.exit_code().clamp(0, 255) as u8)
}

impl Cli {
    /// The command tree with every heading and built-in text in Chinese.
    fn command_in_chinese() -> clap::Command {
        biaogan::cli_text::localize(Cli::command())
    }
}

fn parse_ip(s: &str) -> Result<IpAddr, String> {
    s.parse().map_err(|_| {
        "不是 IP 地址；请写作 127.0.0.1（只有本机能看）或 0.0.0.0（局域网都能看）".to_owned()
    })
}

fn parse_port(s: &str) -> Result<u16, String> {
    s.parse()
        .map_err(|_| "不是端口号；请写 0 到 65535 之间的整数，如 1111（0 表示自动选择）".to_owned())
}

fn parse_url(s: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(s)
}

fn options(i: Input) -> Options {
    Options {
        content: i.content,
        now: i.now,
        drafts: false,
        base_url: i.base_url,
        banner: None,
        strict: i.strict,
        search_index: std::env::var_os("BIAOGAN_BENCH_NO_SEARCH").is_none_or(|v| v.is_empty()),
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = match Cli::command_in_chinese()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let started = Instant::now();
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    match cli.command {
        Command::Build { input, out, format } => {
            let opts = options(input);
            match pipeline::build(&opts, &out) {
                Ok(manifest) => {
                    report_warnings(&manifest.warnings, format);
                    eprintln!(
                        "生成完成：{} 个页面（共 {} 个文件），已写入 {}（{}）",
                        manifest.scans.len(),
                        manifest.files.len(),
                        out.display(),
                        seconds(started)
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report_errors(&d, format);
                    eprintln!("没有写入任何文件；{} 保持原样", out.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            input,
            only_now,
            format,
        } => {
            let opts = options(input);
            let checked = if only_now {
                pipeline::check_keeping(&opts)
            } else {
                pipeline::check_schedule(&opts)
            };
            match checked {
                Ok(c) => {
                    report_warnings(&c.loaded.site.warnings, format);
                    let pages = c.output.keys().filter(|k| k.ends_with(".html")).count();
                    let later = if only_now {
                        0
                    } else {
                        schedule::upcoming(&c.loaded.site, c.plan.now, None).len()
                    };
                    eprintln!("{}", check_summary(pages, later, &seconds(started)));
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report_errors(&d, format);
                    ExitCode::from(1)
                }
            }
        }
        Command::Schedule {
            content,
            now,
            until,
            format,
        } => {
            let opts = Options {
                now,
                ..Options::new(content)
            };
            let loaded = match pipeline::load(&opts) {
                Ok(l) => l,
                Err(d) => {
                    eprintln!("{d}");
                    return ExitCode::from(1);
                }
            };
            let list = schedule::upcoming(&loaded.site, loaded.now(&opts), until);
            match format {
                ScheduleFormat::Text => print!("{}", schedule::to_text(&loaded.site, &list)),
                ScheduleFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&schedule::to_json(&loaded.site, &list))
                        .unwrap_or_default()
                ),
            }
            ExitCode::SUCCESS
        }
        Command::Serve {
            input,
            drafts,
            bind,
            port,
            open,
        } => {
            let mut options = options(input);
            options.drafts = drafts;
            let config = ServeConfig {
                options,
                bind,
                port,
                open,
            };
            // Returns only when the server cannot start or stops working.
            match serve::run(config) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New(args) => match biaogan::new::run(&args) {
            Ok(created) => {
                println!("{}", created.report(&args.content));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("错误：{e}");
                ExitCode::from(1)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    /// Option 15 is mimalloc's purge delay: 1,000 ms by default (its
    /// options.c), -1 once set. Another option in its place would fail here.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reads one of mimalloc's global options.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(get(), 1000);
        super::keep_freed_memory();
        assert_eq!(get(), -1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off() {
        super::no_huge_pages();
        // SAFETY: reads a flag of this process.
        let off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(off, 1);
    }
}
