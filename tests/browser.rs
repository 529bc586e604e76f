//! The toolbox in a real browser: Debian's Chromium, headless, driven through
//! the DevTools protocol. The test types a word, checks a filter, reads the
//! results and the counts beside each filter value, and follows a result, on
//! the example site and on a generated site of 2 000 tools.
//!
//! `./scripts/test` installs Chromium when it is missing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Every file served: its path and the bytes of its body.
type Served = Arc<Mutex<Vec<(String, usize)>>>;

/// Serves `dir` over HTTP on a free port of 127.0.0.1, for the whole test,
/// and notes what it sends: what the page's scripts and its web workers
/// download, counted where it leaves the server.
fn serve(dir: PathBuf) -> (u16, Served) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("bound").port();
    let served: Served = Arc::default();
    let log = Arc::clone(&served);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let log = Arc::clone(&log);
            std::thread::spawn(move || answer(stream, &dir, &log));
        }
    });
    (port, served)
}

/// Bytes of the search index (Pagefind's files) served so far.
fn index_bytes(served: &Served) -> usize {
    served
        .lock()
        .expect("log")
        .iter()
        .filter(|(path, _)| path.starts_with("/pagefind/"))
        .map(|(_, bytes)| bytes)
        .sum()
}

fn answer(mut stream: TcpStream, dir: &Path, log: &Mutex<Vec<(String, usize)>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut file = dir.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let inside = !path.split('/').any(|part| part == "..");
    let (status, body) = match std::fs::read(&file) {
        Ok(bytes) if inside => ("200 OK", bytes),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    log.lock().expect("log").push((path, body.len()));
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(Ok(byte)) = hex.map(|h| u8::from_str_radix(h, 16))
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64_decode(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let Some(value) = alphabet.iter().position(|a| *a == byte) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(output) = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            && output.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        }
    }
    panic!("Chromium is needed for the browser test: run ./scripts/test, which installs it");
}

/// A headless Chromium with one page, driven through the DevTools protocol.
struct Browser {
    child: Child,
    socket: tungstenite::WebSocket<std::net::TcpStream>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch() -> Browser {
        let profile = tempfile::tempdir().expect("profile folder");
        let mut child = Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Chromium starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        let address = loop {
            line.clear();
            if stderr.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("Chromium stopped before opening its DevTools port");
            }
            if let Some(rest) = line.trim().strip_prefix("DevTools listening on ") {
                break rest.to_string();
            }
        };
        // Keep reading Chromium's messages so that it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
        let (socket, _) = tungstenite::connect(address.as_str()).expect("DevTools connection");
        let socket = match socket.into_inner() {
            tungstenite::stream::MaybeTlsStream::Plain(stream) => {
                tungstenite::WebSocket::from_raw_socket(
                    stream,
                    tungstenite::protocol::Role::Client,
                    None,
                )
            }
            _ => panic!("a plain local connection"),
        };
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().expect("session").to_string();
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        browser
    }

    /// Sends a command (to the page once attached) and returns its result.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    /// Sends a command and returns its result, or Chromium's error.
    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .expect("send to Chromium");
        loop {
            let reply = self.socket.read().expect("read from Chromium");
            let Ok(text) = reply.to_text() else { continue };
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if value["id"] == json!(id) {
                if let Some(error) = value.get("error") {
                    return Err(error.clone());
                }
                return Ok(value["result"].clone());
            }
        }
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    fn eval(&mut self, expression: &str) -> Value {
        self.try_eval(expression)
            .unwrap_or_else(|error| panic!("Runtime.evaluate: {error}"))
    }

    /// The value of `expression`, or Chromium's error (an evaluation met by
    /// a navigation fails: the page it ran in is gone).
    fn try_eval(&mut self, expression: &str) -> Result<Value, Value> {
        let result = self.try_call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{expression}\n→ {details}");
        }
        Ok(result["result"]["value"].clone())
    }

    /// Waits until `expression` is truthy, and returns its value. The limit
    /// only keeps a broken page from hanging the test suite.
    fn wait_for(&mut self, expression: &str) -> Value {
        let start = Instant::now();
        loop {
            // During a navigation an evaluation may fail: not yet, then.
            let value = match self.try_eval(expression) {
                Ok(value) => value,
                Err(error) if is_navigation(&error) => Value::Null,
                Err(error) => panic!("Runtime.evaluate: {error}"),
            };
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return value;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let status = self.eval("document.querySelector('[data-status]')?.textContent");
                panic!("still false after 60 s: {expression} (status: {status})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for(&format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(url)
        ));
    }

    /// With `MSP_SCREENSHOTS=<folder>`, saves a PNG of the page there, to look at.
    fn screenshot(&mut self, name: &str) {
        let Some(folder) = std::env::var_os("MSP_SCREENSHOTS") else {
            return;
        };
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        let data = shot["data"].as_str().expect("base64 PNG");
        let bytes = base64_decode(data);
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        std::fs::write(PathBuf::from(folder).join(format!("{name}.png")), bytes)
            .expect("write screenshot");
    }

    /// Types into the focused field as a keyboard would.
    fn type_text(&mut self, selector: &str, text: &str) {
        self.eval(&format!(
            "document.querySelector({}).focus()",
            json!(selector)
        ));
        self.call("Input.insertText", json!({ "text": text }));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the toolbox shows after a search settles.
#[derive(Debug)]
struct Shown {
    status: String,
    /// Paths of the result links, in order.
    results: Vec<String>,
    /// Filter name → value → count shown beside it.
    counts: BTreeMap<String, BTreeMap<String, u64>>,
}

const READ_SHOWN: &str = r#"(() => {
  const counts = {};
  document.querySelectorAll('[data-facets] input[type=checkbox]').forEach(box => {
    const n = Number(box.closest('label').querySelector('[data-count]').textContent.replace(/\s/g, ''));
    (counts[box.name] = counts[box.name] || {})[box.value] = n;
  });
  return {
    status: document.querySelector('[data-status]').textContent,
    busy: document.querySelector('[data-results]').getAttribute('aria-busy'),
    results: Array.from(document.querySelectorAll('[data-result-list] .card-title a')).map(a => a.pathname),
    counts,
  };
})()"#;

impl Browser {
    /// Waits for a search whose status line differs from `previous`.
    fn settled(&mut self, previous: &str) -> Shown {
        let expression = format!(
            "(() => {{ const s = document.querySelector('[data-status]').textContent; \
             const busy = document.querySelector('[data-results]').getAttribute('aria-busy'); \
             return s !== {} && s !== '' && busy === 'false'; }})()",
            json!(previous)
        );
        self.wait_for(&expression);
        let value = self.eval(READ_SHOWN);
        Shown {
            status: value["status"].as_str().unwrap_or_default().to_string(),
            results: serde_json::from_value(value["results"].clone()).expect("paths"),
            counts: serde_json::from_value(value["counts"].clone()).expect("counts"),
        }
    }

    fn check(&mut self, name: &str, value: &str) {
        self.eval(&format!(
            "document.querySelector('[data-facets] input[name={}][value=\"' + CSS.escape({}) + '\"]').click()",
            name,
            json!(value)
        ));
    }
}

/// Paths of the published tools of `dir` whose file contains `word`
/// (any case): the search's expected results, found without Pagefind.
fn tools_mentioning(dir: &Path, word: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("content/outils")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?.to_lowercase();
            let published = !text.contains("\ndraft: true");
            let slug = path.file_stem()?.to_str()?.to_string();
            (published && text.contains(word)).then(|| format!("/outils/{slug}/"))
        })
        .collect()
}

#[test]
fn the_example_toolbox_searches_filters_and_counts_in_a_browser() {
    let site = common::example_site();
    common::build(site.path()).expect("builds");
    let (port, served) = serve(site.path().join("output"));
    let mut browser = Browser::launch();
    let toolbox = format!("http://127.0.0.1:{port}/outils/");
    browser.goto(&toolbox);
    browser.wait_for("!document.querySelector('[data-facets]').hidden");

    // French stemming: "protocoles" finds the tools that say "protocole" as
    // well; the expected set is every published tool whose file mentions
    // the word, found here without Pagefind.
    browser.type_text("#recherche-outils", "protocoles");
    let shown = browser.settled("");
    let expected = tools_mentioning(&site.path().join("content/outils"), "protocol");
    assert_eq!(expected.len(), 6, "the example has six such tools");
    assert_eq!(
        shown.results.iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "{shown:?}"
    );
    assert_eq!(shown.status, "6\u{a0}outils trouvés");
    let types = &shown.counts["type"];
    assert_eq!(
        (
            types["Modèle de document"],
            types["Fiche pratique"],
            types["Livret"],
            types["Guide d'accompagnement"],
            types["Fiche-outil"]
        ),
        (3, 1, 1, 1, 0),
        "{types:?}"
    );
    assert_eq!(shown.counts["theme"]["Protocoles pluriprofessionnels"], 2);
    browser.screenshot("toolbox-search");

    // A filter narrows the results, and every count is what checking that
    // value would leave.
    browser.check("type", "Fiche pratique");
    let filtered = browser.settled(&shown.status);
    assert_eq!(
        filtered.results,
        vec!["/outils/protocoles-ne-confondons-pas-tout/".to_string()],
        "{filtered:?}"
    );
    assert_eq!(filtered.status, "1\u{a0}outil trouvé");
    browser.screenshot("toolbox-filtered");
    assert_eq!(filtered.counts["type"]["Fiche pratique"], 1);
    assert_eq!(filtered.counts["type"]["Livret"], 0);

    let bytes = index_bytes(&served);
    eprintln!("example site: the first search downloaded {bytes} bytes of index");
    assert!(
        bytes < 300_000,
        "the index must add under 300 kB to a first search"
    );

    // The URL keeps the search; following a result opens the tool.
    let href = browser.eval("location.search");
    assert_eq!(href, json!("?q=protocoles&type=Fiche+pratique"));
    browser.eval("document.querySelector('[data-result-list] .card-title a').click()");
    browser.wait_for("location.pathname === '/outils/protocoles-ne-confondons-pas-tout/'");
    let title = browser
        .wait_for("document.readyState === 'complete' && document.querySelector('h1').textContent");
    assert!(
        title.as_str().unwrap_or_default().contains("Protocoles"),
        "{title}"
    );
}

/// Adds `count` tools to the site at `root`: one in 25 speaks of
/// "protocoles" in its body, the themes and types take turns.
fn add_generated_tools(root: &Path, count: usize) {
    let themes = ["coordination", "prevention", "protocoles"];
    let types = ["guide", "modele-document"];
    for i in 0..count {
        let body = if i % 25 == 0 {
            "Ce document rassemble des protocoles de soins partagés par l'équipe."
        } else {
            "Un document de travail sur l'organisation de l'équipe."
        };
        common::write(
            root,
            &format!("content/outils/fiche-{i:04}.md"),
            &format!(
                "---\ntitle: Fiche de travail n° {i}\ntype: {}\nthemes: [{}]\nkeywords: [série {}]\n\
                 date: 2022-{:02}-{:02}\nsummary: Une fiche de travail pour l'équipe.\n---\n\n{body}\n",
                types[i % 2],
                themes[i % 3],
                i % 10,
                1 + i % 12,
                1 + i % 28,
            ),
        );
    }
}

/// Paths of the tools of `dir` whose file has a line starting with `field`
/// that contains `value`.
fn tools_with(dir: &Path, field: &str, value: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("content/outils")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let slug = path.file_stem()?.to_str()?.to_string();
            text.lines()
                .any(|line| line.starts_with(field) && line.contains(value))
                .then(|| format!("/outils/{slug}/"))
        })
        .collect()
}

#[test]
fn a_toolbox_of_2000_tools_searches_and_filters_exactly_in_a_browser() {
    let site = common::fixture("minimal");
    let tools = site.path().join("content/outils");
    add_generated_tools(site.path(), 2000);
    common::build(site.path()).expect("builds");
    let (port, served) = serve(site.path().join("output"));
    let mut browser = Browser::launch();
    browser.goto(&format!("http://127.0.0.1:{port}/outils/"));
    browser.wait_for("!document.querySelector('[data-facets]').hidden");

    browser.type_text("#recherche-outils", "protocole");
    let shown = browser.settled("");
    let expected = tools_mentioning(&tools, "protocol");
    // 80 bodies, 666 tools of the theme, the fixture's RCP guide; 26 overlap.
    assert_eq!(expected.len(), 80 + 666 + 1 - 26);
    assert_eq!(
        shown.status,
        format!("{}\u{a0}outils trouvés", expected.len())
    );
    assert_eq!(shown.results.len(), 24, "results come 24 at a time");
    assert!(
        shown.results.iter().all(|path| expected.contains(path)),
        "{shown:?}"
    );
    let guides = expected
        .intersection(&tools_with(&tools, "type:", "guide"))
        .count() as u64;
    assert_eq!(shown.counts["type"]["Guide"], guides);
    let bytes = index_bytes(&served);
    eprintln!("2 000 tools: the first search downloaded {bytes} bytes of index");
    assert!(
        bytes < 300_000,
        "the index must add under 300 kB to a first search"
    );

    browser.check("theme", "Coordination");
    let filtered = browser.settled(&shown.status);
    let expected: BTreeSet<String> = expected
        .intersection(&tools_with(&tools, "themes:", "coordination"))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 28, "27 generated tools and the RCP guide");
    assert_eq!(filtered.status, "28\u{a0}outils trouvés");
    browser.eval("document.querySelector('[data-more]').click()");
    browser.wait_for("document.querySelectorAll('[data-result-list] li').length === 28");
    let all = browser.settled("");
    assert_eq!(
        all.results.iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "every result once, and only those"
    );
    assert_eq!(all.results.len(), 28);
}

/// No script runs from hostile text (see `tests/common/hostile.rs`): on every
/// page of the site, and in the toolbox's search results, which the page
/// builds from the search index.
#[test]
fn hostile_text_runs_no_script_in_a_browser() {
    let site = common::fixture("minimal");
    common::hostile::make_hostile(site.path());
    common::build(site.path()).expect("builds");
    let output = site.path().join("output");
    let pages: Vec<String> = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative = e.path().strip_prefix(&output).expect("inside");
            relative
                .to_string_lossy()
                .trim_end_matches("index.html")
                .to_string()
        })
        .collect();
    assert!(pages.len() > 20, "{pages:?}");
    let (port, _) = serve(output);
    let mut browser = Browser::launch();
    let inert = "window.__pwned === undefined && document.querySelector('[data-pwned]') === null";
    for page in &pages {
        browser.goto(&format!("http://127.0.0.1:{port}/{page}"));
        assert_eq!(browser.eval(inert), json!(true), "a script ran on /{page}");
    }

    browser.goto(&format!("http://127.0.0.1:{port}/outils/"));
    browser.wait_for("!document.querySelector('[data-facets]').hidden");
    browser.type_text("#recherche-outils", "Champ19");
    let shown = browser.settled("");
    assert_eq!(shown.results, ["/outils/guide-rcp/"], "{shown:?}");
    let title =
        browser.eval("document.querySelector('[data-result-list] .card-title').textContent");
    assert!(
        title
            .as_str()
            .is_some_and(|t| t.contains("Champ19 <script>")),
        "the result shows the title as text: {title}"
    );
    assert_eq!(
        browser.eval(inert),
        json!(true),
        "a script ran in the search results"
    );
}

/// Chromium's answer to an evaluation in a page that is being replaced.
fn is_navigation(error: &Value) -> bool {
    let message = error["message"].as_str().unwrap_or_default();
    message.contains("navigated or closed") || message.contains("Cannot find context")
}
