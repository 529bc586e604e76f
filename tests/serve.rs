//! `msp-site serve` as an editor uses it: the site is served, each save
//! shows up, a mistake gives an error page and the server recovers.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server, stopped when the test ends.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_msp-site"))
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("msp-site serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let port = loop {
        line.clear();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("serve stopped before listening");
        }
        if let Some(rest) = line
            .trim()
            .strip_prefix("Serving the site at http://127.0.0.1:")
        {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("a port");
        }
    };
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    Server { child, port }
}

/// A raw GET, path sent as written (no normalisation): (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// Polls `path` until `test` holds; the limit only keeps a broken server
/// from hanging the suite.
fn wait_for(port: u16, path: &str, test: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (status, body) = get(port, path);
        if test(status, &body) {
            return (status, body);
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{path} never changed as expected: {status}\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_shows_each_save_reports_mistakes_and_recovers() {
    let site = common::fixture("minimal");
    let root = site.path();
    let server = start(root);
    let port = server.port;

    let (status, page) = get(port, "/equipes/msp-alpha/");
    assert_eq!(status, 200);
    assert!(
        page.contains("EventSource(\"/__msp-site/reload\")"),
        "live reload"
    );
    assert!(page.contains("MSP Alpha"));

    // A save shows up: a new figure, in French format, and a new name.
    assert!(page.contains("10\u{202f}000"), "the figure before the save");
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: 10000",
        "patients: 12345",
    );
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "name: MSP Alpha",
        "name: MSP Oméga",
    );
    wait_for(port, "/equipes/msp-alpha/", |status, body| {
        status == 200 && body.contains("12\u{202f}345") && body.contains("MSP Oméga")
    });
    // Its pictures are rasterised when the browser asks for them (the
    // rebuild defers them), then kept in the picture cache.
    let (status, png) = get(port, "/equipes/msp-alpha/scan-equipe.png");
    assert_eq!(status, 200);
    assert!(png.contains("PNG") && png.contains("IHDR"), "a PNG");
    let (status, pdf) = get(port, "/equipes/msp-alpha/scan-equipe.pdf");
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF-"), "a PDF");
    assert_eq!(get(port, "/equipes/msp-alpha/scan-equipe.png").1, png);

    // A mistake: every page becomes the error page, with file, line and column.
    common::edit(root, "data/teams/msp-alpha.yaml", "city: ", "city: [");
    let (_, error) = wait_for(port, "/", |status, _| status == 500);
    assert!(error.contains("data/teams/msp-alpha.yaml:"), "{error}");
    assert!(
        error.contains("Le site n’a pas pu être construit"),
        "{error}"
    );
    assert!(
        error.contains("EventSource"),
        "the error page reloads itself"
    );

    // Fixed: the site comes back.
    common::edit(root, "data/teams/msp-alpha.yaml", "city: [", "city: ");
    wait_for(port, "/equipes/msp-alpha/", |status, body| {
        status == 200 && body.contains("MSP Oméga")
    });

    // Deleting and renaming files.
    std::fs::rename(
        root.join("content/outils/modele-convention.md"),
        root.join("content/outils/convention-de-stage.md"),
    )
    .expect("rename");
    wait_for(port, "/outils/convention-de-stage/", |status, _| {
        status == 200
    });
    let (status, _) = get(port, "/outils/modele-convention/");
    assert_eq!(status, 404);

    // An editor's swap file does not trigger anything harmful.
    common::write(root, "content/.a-propos.md.swp", "garbage");
    common::write(root, "content/a-propos.md~", "garbage");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(get(port, "/a-propos/").0, 200);
}

#[test]
fn serve_never_reads_outside_the_site() {
    let site = common::fixture("minimal");
    let server = start(site.path());
    for hostile in [
        "/../data/site.yaml",
        "/%2e%2e/data/site.yaml",
        "/outils/%2E%2E/%2E%2E/data/site.yaml",
        "/..%5cdata%5csite.yaml",
        "/.msp-cache/",
    ] {
        let (status, body) = get(server.port, hostile);
        assert!(
            status == 400 || status == 404,
            "{hostile}: {status}\n{body}"
        );
        assert!(!body.contains("base_url"), "{hostile} leaked a data file");
    }
    assert!(
        !site.path().join("output").exists(),
        "serve works in memory and never writes output/"
    );
}

#[test]
fn serve_sends_a_reload_event_after_a_rebuild() {
    let site = common::fixture("minimal");
    let server = start(site.path());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        stream,
        "GET /__msp-site/reload HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("send");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // Let the stream open before the save.
    std::thread::sleep(Duration::from_millis(300));
    common::edit(
        site.path(),
        "content/a-propos.md",
        "title: À propos",
        "title: Qui sommes-nous",
    );
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).expect("an event") > 0);
        if line.starts_with("data:") {
            break;
        }
    }
}

/// One keep-alive connection: GETs answered with a `Content-Length` body.
struct Client {
    reader: BufReader<TcpStream>,
    stream: TcpStream,
}

impl Client {
    fn connect(port: u16) -> std::io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Client {
            reader: BufReader::new(stream.try_clone()?),
            stream,
        })
    }

    /// The status of a GET of `path`, its body read whole.
    fn get(&mut self, path: &str) -> std::io::Result<u16> {
        write!(
            self.stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(status)
    }
}

/// Resident memory of a process, in kB (Linux).
fn resident_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// 200 clients on loopback for 30 s (`MSP_SITE_LOAD_SECONDS` to change it)
/// ask for pages, pictures, styles, the search index and a missing page,
/// while a team file is saved every second: every answer is the
/// expected one (never a 5xx, never a dropped connection), the server is
/// still running at the end, and its memory does not grow.
#[test]
fn serve_under_load_while_files_change() {
    let site = common::example_site();
    let root = site.path().to_path_buf();
    let server = start(&root);
    let port = server.port;
    let pid = server.child.id();
    let seconds: u64 = std::env::var("MSP_SITE_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    let stylesheet = home
        .split("href=")
        .filter_map(|rest| {
            rest.trim_start_matches(['"', '/'])
                .split(['"', ' ', '>'])
                .next()
        })
        .find(|href| href.ends_with(".css"))
        .map(|href| format!("/{href}"))
        .expect("a stylesheet link");
    let team = "msp-laennec";
    let paths: Vec<(String, u16)> = [
        ("/", 200),
        ("/equipes/", 200),
        (&format!("/equipes/{team}/") as &str, 200),
        (&format!("/equipes/{team}/scan-equipe.png"), 200),
        (&format!("/equipes/{team}/scan-equipe.svg"), 200),
        ("/outils/", 200),
        ("/outils/comprendre-l-aci-pour-les-msp/", 200),
        ("/region/scan-equipe-region.json", 200),
        ("/pagefind/pagefind.js", 200),
        (&stylesheet, 200),
        ("/page-qui-n-existe-pas/", 404),
    ]
    .iter()
    .map(|(p, s)| (p.to_string(), *s))
    .collect();
    for (path, expected) in &paths {
        assert_eq!(get(port, path).0, *expected, "{path} before the load");
    }

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..200)
        .map(|n| {
            let paths = paths.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let (mut answers, mut wrong) = (0u64, Vec::new());
                let mut client = Client::connect(port).expect("connect");
                let mut i = n;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (path, expected) = &paths[i % paths.len()];
                    i += 1;
                    match client.get(path) {
                        Ok(status) if status == *expected => answers += 1,
                        Ok(status) => wrong.push(format!("{path}: {status}")),
                        Err(error) => {
                            wrong.push(format!("{path}: {error}"));
                            client = Client::connect(port).expect("reconnect");
                        }
                    }
                }
                (answers, wrong)
            })
        })
        .collect();

    // Saves, every second; memory sampled every half second.
    let (mut saves, mut memory) = (0, Vec::new());
    while started.elapsed() < Duration::from_secs(seconds) {
        let (from, to) = if saves % 2 == 0 {
            ("patients: 14500", "patients: 14501")
        } else {
            ("patients: 14501", "patients: 14500")
        };
        common::edit(&root, &format!("data/teams/{team}.yaml"), from, to);
        saves += 1;
        for _ in 0..2 {
            std::thread::sleep(Duration::from_millis(500));
            memory.push((started.elapsed().as_secs_f64(), resident_kb(pid)));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut answers, mut wrong) = (0, Vec::new());
    for client in clients {
        let (a, w) = client.join().expect("client thread");
        answers += a;
        wrong.extend(w);
    }
    let elapsed = started.elapsed().as_secs_f64();

    let mut server = server;
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "the server stopped"
    );
    let third = memory.len() / 3;
    let peak = |samples: &[(f64, u64)]| samples.iter().map(|(_, kb)| *kb).max().unwrap_or(0);
    let (early, late) = (
        peak(&memory[..third]),
        peak(&memory[memory.len() - third..]),
    );
    eprintln!(
        "serve under load: {answers} answers in {elapsed:.1} s ({:.0}/s) by 200 clients, {saves} saves, \
         {} wrong; resident memory peak {} MB in the first third, {} MB in the last",
        answers as f64 / elapsed,
        wrong.len(),
        early / 1024,
        late / 1024
    );
    assert!(
        wrong.is_empty(),
        "{} wrong answers, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    assert!(answers > 1000, "only {answers} answers");
    assert!(
        late <= early + early / 4 + 32 * 1024,
        "memory grew from {early} kB to {late} kB: {memory:?}"
    );
}
