//! The `biaogan` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDateTime;
use clap::{Args, Parser, Subcommand};

use biaogan::diagnostics::Diagnostics;
use biaogan::model::base_url::BaseUrl;
use biaogan::model::dates;
use biaogan::pipeline::{self, Options};
use biaogan::report::{self, Format};
use biaogan::schedule;
use biaogan::serve::{self, ServeConfig};

/// biaogan (标杆): builds the quality-benchmark selection website from content/.
#[derive(Parser)]
#[command(name = "biaogan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced whole, only when the build succeeds).
    Build {
        #[command(flatten)]
        input: Input,
        /// Output folder; replaced atomically.
        #[arg(long, default_value = "public", value_name = "DIR")]
        out: PathBuf,
        /// How to print errors: text (stderr), json or github (stdout).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Validate the content and render every page in memory, now and at every
    /// later moment of the schedule; write nothing. Exit status 0 only when
    /// every state the site will pass through builds.
    Check {
        #[command(flatten)]
        input: Input,
        /// Check only the site as it is now, not its future states.
        #[arg(long)]
        only_now: bool,
        /// How to print errors: text (stderr), json or github (stdout).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List every future moment at which the built site changes, with what changes.
    Schedule {
        /// Content folder.
        #[arg(long, default_value = "content", value_name = "DIR")]
        content: PathBuf,
        /// List moments after this one (site time zone); default: the current time.
        #[arg(long, value_name = "DATE|DATETIME", value_parser = parse_now)]
        now: Option<NaiveDateTime>,
        /// List moments up to and including this one.
        #[arg(long, value_name = "DATE|DATETIME", value_parser = parse_now)]
        until: Option<NaiveDateTime>,
        /// text (one line per moment) or json.
        #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
        format: ScheduleFormat,
    },
    /// Preview: build in memory, serve over HTTP, rebuild on every save and
    /// reload open pages. Content errors are shown in the browser over the
    /// last good site; they never stop the server.
    Serve {
        #[command(flatten)]
        input: Input,
        /// Also show documents that are not yet public; pages carry a banner saying so.
        #[arg(long)]
        drafts: bool,
        /// Address to listen on. Anything but a loopback address shows the
        /// preview (and its drafts) to other machines.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: IpAddr,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111, value_name = "N")]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// 新建记录模板（年度活动、案例、交流活动、撤销公告），填好占位内容后才能发布。
    New(biaogan::new::NewArgs),
}

#[derive(Args)]
struct Input {
    /// Content folder (site.yaml, holidays.yaml, campaigns/, events/).
    #[arg(long, default_value = "content", value_name = "DIR")]
    content: PathBuf,
    /// Build the site as it is public at this moment, in the site's time zone:
    /// YYYY-MM-DD or "YYYY-MM-DD HH:MM". Default: the current time.
    #[arg(long, value_name = "DATE|DATETIME", value_parser = parse_now)]
    now: Option<NaiveDateTime>,
    /// Absolute URL the site is published at (overrides base_url in site.yaml).
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    base_url: Option<BaseUrl>,
    /// Treat warnings as errors: exit 1 and write nothing.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScheduleFormat {
    Text,
    Json,
}

/// Prints the problems of a failed `check` or `build` in the chosen format.
fn report_errors(d: &Diagnostics, format: Format) {
    match format {
        Format::Text => eprintln!("{d}"),
        Format::Json => println!("{}", report::json(d)),
        Format::Github => {
            print!("{}", report::github(d));
            eprintln!("{} error(s) found", d.len());
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
        .map_err(|_| {
            format!("`{s}` is not a date or date-time; use YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"")
        })
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
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    match cli.command {
        Command::Build { input, out, format } => {
            let opts = options(input);
            match pipeline::build(&opts, &out) {
                Ok(manifest) => {
                    report_warnings(&manifest.warnings, format);
                    eprintln!(
                        "built {} pages ({} files) into {} in {} ms",
                        manifest.scans.len(),
                        manifest.files.len(),
                        out.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report_errors(&d, format);
                    eprintln!("nothing was written; {} is unchanged", out.display());
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
                    let states = if only_now {
                        String::new()
                    } else {
                        let n = schedule::upcoming(&c.loaded.site, c.plan.now, None).len();
                        format!(", now and at {n} later moments")
                    };
                    eprintln!(
                        "ok: {pages} pages would be built{states} ({} ms)",
                        started.elapsed().as_millis()
                    );
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
