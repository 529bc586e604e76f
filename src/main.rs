//! The command line of msp-site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use msp_site::{BuildOptions, Error, new};

#[derive(Parser)]
#[command(
    name = "msp-site",
    version,
    about = "Builds the website of a federation of health centres (MSP) from plain files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        /// The site's folder (with data/, content/, themes/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/output]
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site is published at, instead of site.yaml's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Publish drafts too
        #[arg(long)]
        drafts: bool,
    },
    /// Check every file and render the site in memory; write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site in memory, serve it, and rebuild and reload the pages on every save
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (127.0.0.1: this computer only)
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Show drafts too
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new tool, news item, team or job offer with valid fields, and print its path
    New {
        kind: new::Kind,
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn report(error: &Error, what: &str) -> ExitCode {
    match error {
        Error::Site(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("{what}");
        }
        Error::Check(findings) => {
            eprintln!("{findings}");
            eprintln!("{what}");
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::FAILURE
}

// Rendering allocates many small strings on every thread: glibc's allocator
// spent a third of a national site's rebuild in malloc and free; mimalloc
// does not. It is built without transparent huge pages (`no_thp` in
// Cargo.toml): zeroing them on first touch took a quarter of a short rebuild.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let mut options = BuildOptions::new(&root);
            if let Some(output) = output {
                options.output = output;
            }
            options.base_url = base_url;
            options.drafts = drafts;
            // Drawn on stderr only when it is a terminal; nothing otherwise.
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:32} {pos}/{len} infographies")
            {
                bar.set_style(style);
            }
            let shown = bar.clone();
            options.progress = Some(msp_site::site::Progress(std::sync::Arc::new(
                move |done, total| {
                    shown.set_length(total);
                    shown.set_position(done);
                },
            )));
            msp_site::aside::process_ends_after_command();
            let result = msp_site::build(&options);
            bar.finish_and_clear();
            match result {
                Ok(report) if report.up_to_date => {
                    println!(
                        "Nothing changed since the last build: {} pages and {} pictures ({} files) in {} are up to date ({} ms)",
                        report.pages,
                        report.pictures,
                        report.files,
                        options.output.display(),
                        report.milliseconds
                    );
                    ExitCode::SUCCESS
                }
                Ok(report) => {
                    println!(
                        "Built {} pages and {} pictures ({} files, {} written) into {} in {} ms",
                        report.pages,
                        report.pictures,
                        report.files,
                        report.written,
                        options.output.display(),
                        report.milliseconds
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => report(
                    &error,
                    &format!(
                        "The build failed: {} was left unchanged.",
                        options.output.display()
                    ),
                ),
            }
        }
        Command::Check { root } => match msp_site::check(&BuildOptions::new(&root)) {
            Ok(report) => {
                println!(
                    "No problem found ({} pages, {} files checked).",
                    report.pages, report.files
                );
                ExitCode::SUCCESS
            }
            Err(error) => report(&error, "Nothing was written."),
        },
        Command::Serve {
            root,
            bind,
            port,
            drafts,
        } => {
            let options = msp_site::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
            };
            let ready = |address| {
                println!("Serving the site at http://{address}/ (Ctrl+C to stop)");
            };
            match msp_site::serve::serve(&options, ready) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => report(&error, "The server stopped."),
            }
        }
        Command::New { kind, title, root } => {
            match new::create(&root, kind, &title, msp_site::data::Date::today()) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => report(&error, "No file was written."),
            }
        }
    }
}
