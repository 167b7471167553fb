//! The `biaogan` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDateTime;
use clap::{Args, Parser, Subcommand};

use biaogan::model::base_url::BaseUrl;
use biaogan::model::dates;
use biaogan::pipeline::{self, Options};
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
    },
    /// Validate the content and render every page in memory; write nothing.
    /// Exit status 0 only when `build` would succeed.
    Check {
        #[command(flatten)]
        input: Input,
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
    /// Treat warnings as errors (exit 1), as CI should.
    #[arg(long)]
    strict: bool,
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

/// Prints the warnings of a build that succeeded (nothing when there are none).
fn print_warnings(warnings: &biaogan::diagnostics::Diagnostics) {
    if !warnings.is_empty() {
        eprintln!("{warnings}");
        eprintln!("（警告不阻止发布；加 --strict 时按错误处理）");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    match cli.command {
        Command::Build { input, out } => {
            let opts = options(input);
            match pipeline::build_reporting(&opts, &out) {
                Ok((manifest, warnings)) => {
                    print_warnings(&warnings);
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
                    eprintln!("{d}");
                    eprintln!("nothing was written; {} is unchanged", out.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { input } => {
            let opts = options(input);
            match pipeline::check_keeping(&opts) {
                Ok(checked) => {
                    print_warnings(&checked.loaded.site.warnings);
                    let output = checked.output;
                    let pages = output.keys().filter(|k| k.ends_with(".html")).count();
                    eprintln!(
                        "ok: {pages} pages would be built ({} ms)",
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{d}");
                    ExitCode::from(1)
                }
            }
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
