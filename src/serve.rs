//! `msp-site serve`: builds the site in memory, serves it on 127.0.0.1,
//! watches `content/`, `data/` and `themes/`, rebuilds on every save and
//! reloads the open pages. A mistake shows as an error page naming the file,
//! line and column; the server keeps running and recovers on the next good
//! save. `output/` is never written.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::broadcast;

use crate::content::load::Tools;
use crate::data::load::is_hidden_or_temporary;
use crate::diagnostics::Error;
use crate::infographic::Fonts;
use crate::infographic::cache::Cache;
use crate::render::escape::html as escape;
use crate::render::infographics::rasterise_deferred;
use crate::render::{Deferred, FileContents, Memo};
use crate::site::{BuildOptions, Site};

/// The address the live-reload script listens to.
const RELOAD_PATH: &str = "/__msp-site/reload";
/// A save is a burst of file events a few milliseconds long: the rebuild
/// starts once the burst has been quiet this long...
const SETTLE: Duration = Duration::from_millis(15);
/// ...and saves closer together than this make at most one more rebuild, so
/// that the page reloads at once after a save yet a burst of saves (a `git
/// checkout`, a search-and-replace) does not rebuild again and again.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// Requests carry no body worth reading: anything larger is refused.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port (tests).
    pub port: u16,
    pub drafts: bool,
}

/// The site as it is served: its files, or why the last build failed.
enum Snapshot {
    Ready {
        files: HashMap<String, FileContents>,
        /// To rasterise the pictures the rebuild deferred.
        fonts: Arc<Fonts>,
    },
    Failed(String),
}

struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    reload: broadcast::Sender<u64>,
    /// The picture cache, where deferred pictures go once rasterised.
    cache: Option<PathBuf>,
    /// Deferred pictures being drawn, by cache key.
    drawing: Mutex<HashMap<String, Drawing>>,
    /// At most one drawing per core at a time: a page full of pictures, or
    /// many browsers at once, queue instead of taking the memory.
    draw_slots: tokio::sync::Semaphore,
}

/// One drawing of a deferred picture, however many requests ask for it at
/// once: the first draws, the others wait for its bytes.
type Drawing = Arc<tokio::sync::OnceCell<Result<Arc<Vec<u8>>, String>>>;

/// Builds and serves until the process is stopped. `ready` receives the
/// address once the server listens (the command line prints it).
pub fn serve(options: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server", &options.root, e))?;
    runtime.block_on(async {
        let address = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {address}: {e}")))?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {address}: {e}")))?;
        let mut build_options = BuildOptions::new(&options.root);
        build_options.base_url = Some(format!("http://{address}/"));
        build_options.drafts = options.drafts;
        build_options.defer_pictures = true;
        // A cache of its own: served pages link to this server, so their
        // pictures differ from the published ones, and each rebuild prunes
        // what it did not use; `build`'s cache stays as it was.
        build_options.cache = Some(
            options
                .root
                .join(".msp-cache")
                .join("serve")
                .join("infographics"),
        );
        let memo = Arc::new(Memo::default());
        let (reload, _) = broadcast::channel(16);
        let first = rebuild(&build_options, &memo);
        report(&first.1, first.2);
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(first.0)),
            reload,
            cache: build_options.cache.clone(),
            drawing: Mutex::new(HashMap::new()),
            draw_slots: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
        });
        let _watcher = watch(&options.root, build_options, memo, Arc::clone(&shared))?;
        let app = axum::Router::new()
            .fallback(answer)
            .layer(tower_http::limit::RequestBodyLimitLayer::new(
                MAX_REQUEST_BYTES,
            ))
            .with_state(shared);
        ready(address);
        axum::serve(listener, app)
            .await
            .map_err(|e| Error::io("serve", &options.root, e))
    })
}

/// One build in memory: the snapshot to serve, and the line to print.
fn rebuild(options: &BuildOptions, memo: &Memo) -> (Snapshot, String, bool) {
    let started = Instant::now();
    let result = Site::load_kept(
        &options.root,
        Some(&memo.files),
        Tools::Loaded(Some(&memo.tools)),
    )
    .and_then(|site| site.render_site(options, Some(memo), Default::default()));
    match result {
        Ok(rendered) => {
            let pages = rendered
                .files
                .iter()
                .filter(|f| f.path.ends_with(".html"))
                .count();
            let files: HashMap<String, FileContents> = rendered
                .files
                .into_iter()
                .map(|file| (file.path, file.contents))
                .collect();
            let line = format!(
                "Built {pages} pages in {} ms",
                started.elapsed().as_millis()
            );
            let fonts = rendered.fonts;
            (Snapshot::Ready { files, fonts }, line, true)
        }
        Err(diagnostics) => {
            let text = diagnostics.to_string();
            (Snapshot::Failed(text.clone()), text, false)
        }
    }
}

fn report(line: &str, ok: bool) {
    if ok {
        println!("{line}");
    } else {
        eprintln!("{line}");
    }
}

/// Watches the site's folders (not `output/` nor the caches) and rebuilds
/// after each burst of saves. Only writes count: the build itself reads every
/// file, and reacting to reads would rebuild for ever. Editors' temporary
/// and swap files are ignored.
fn watch(
    root: &Path,
    options: BuildOptions,
    memo: Arc<Memo>,
    shared: Arc<Shared>,
) -> Result<notify::RecommendedWatcher, Error> {
    // Events carry absolute paths: compare them with the absolute root, so
    // that a site inside a hidden folder (a temporary one) is still watched.
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (sender, receiver) = std::sync::mpsc::channel::<notify::Event>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = sender.send(event);
        }
    })
    .map_err(|e| Error::Usage(format!("cannot watch the site's files: {e}")))?;
    // The folders a build reads: a save anywhere else changes nothing.
    for folder in crate::fingerprint::INPUT_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    let is_relevant = move |event: &notify::Event| {
        // Access times change when the build reads: metadata is not a save.
        let is_write = match event.kind {
            EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => false,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
            _ => false,
        };
        is_write && event.paths.iter().any(|path| is_site_file(&root, path))
    };
    std::thread::spawn(move || {
        let mut version = 0;
        let mut last_build: Option<Instant> = None;
        while let Ok(event) = receiver.recv() {
            if !is_relevant(&event) {
                continue;
            }
            // Within the debounce period of the last build, wait for its end.
            if let Some(wait) = last_build.and_then(|at| DEBOUNCE.checked_sub(at.elapsed())) {
                std::thread::sleep(wait);
            }
            // Let the save's burst of events end; the events read here are
            // covered by the build that follows.
            while receiver.recv_timeout(SETTLE).is_ok() {}
            last_build = Some(Instant::now());
            let (snapshot, line, ok) = rebuild(&options, &memo);
            report(&line, ok);
            if let Ok(mut current) = shared.snapshot.write() {
                *current = Arc::new(snapshot);
            }
            version += 1;
            let _ = shared.reload.send(version);
        }
    });
    Ok(watcher)
}

/// Whether a changed path is one of the site's files, not an editor's
/// temporary, backup or swap file (nor inside a hidden folder).
fn is_site_file(root: &Path, path: &Path) -> bool {
    let inside = path.strip_prefix(root).unwrap_or(path);
    !inside
        .components()
        .any(|part| is_hidden_or_temporary(Path::new(part.as_os_str())))
}

/// The path of a request inside the site, or `None` if it tries to leave it
/// (`..`, encoded or not), or names a hidden file.
fn site_path(uri_path: &str) -> Option<String> {
    let decoded = percent_decode(uri_path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            hidden if hidden.starts_with('.') => return None,
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The script added to every served page: reload when the site is rebuilt.
fn reload_script() -> String {
    format!(
        "<script>new EventSource(\"{RELOAD_PATH}\").onmessage = function () {{ location.reload(); }};</script>"
    )
}

fn with_reload(html: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => format!("{}{}{}", &html[..at], reload_script(), &html[at..]),
        None => format!("{html}{}", reload_script()),
    }
}

/// The page shown instead of the site while the last build failed.
fn error_page(message: &str) -> String {
    format!(
        concat!(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">",
            "<title>Erreur de construction · msp-site</title>",
            "<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b2a2c}}",
            "h1{{color:#a14f00}}pre{{background:#fff4e8;border-left:4px solid #a14f00;",
            "padding:1rem;white-space:pre-wrap}}</style></head><body>",
            "<h1>Le site n’a pas pu être construit</h1>",
            "<p>Corrigez le fichier indiqué puis enregistrez : cette page se recharge seule.</p>",
            "<pre>{}</pre></body></html>"
        ),
        escape(message)
    )
}

fn response(status: StatusCode, kind: &str, body: impl Into<Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    if let Ok(value) = HeaderValue::from_str(kind) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn answer(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return response(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "GET only",
        );
    }
    if uri.path() == RELOAD_PATH {
        return reload_events(&shared).into_response();
    }
    let Some(path) = site_path(uri.path()) else {
        return response(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "not a path of the site",
        );
    };
    let snapshot = match shared.snapshot.read() {
        Ok(current) => Arc::clone(&current),
        Err(_) => {
            return response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "server error",
            );
        }
    };
    let (files, fonts) = match snapshot.as_ref() {
        Snapshot::Failed(message) => {
            return response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                with_reload(&error_page(message)),
            );
        }
        Snapshot::Ready { files, fonts } => (files, fonts),
    };
    if !path.ends_with("index.html") && files.contains_key(&format!("{path}/index.html")) {
        let mut redirect = response(StatusCode::MOVED_PERMANENTLY, "text/plain", "");
        if let Ok(location) = HeaderValue::from_str(&format!("{}/", uri.path())) {
            redirect.headers_mut().insert(header::LOCATION, location);
        }
        return redirect;
    }
    let (status, path) = match files.get(&path) {
        Some(_) => (StatusCode::OK, path),
        None => (StatusCode::NOT_FOUND, "404.html".to_string()),
    };
    let bytes = match files.get(&path) {
        Some(FileContents::Deferred(picture)) => {
            match deferred_picture(&shared, picture, fonts).await {
                Ok(bytes) => bytes.as_ref().clone(),
                Err(error) => {
                    let message = format!("cannot render {path}: {error}");
                    return response(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", message);
                }
            }
        }
        Some(contents) => contents.read().map(|b| b.into_owned()).unwrap_or_default(),
        None => b"not found".to_vec(),
    };
    if path.ends_with(".html") {
        let html = with_reload(&String::from_utf8_lossy(&bytes));
        return response(status, content_type(&path), html);
    }
    response(status, content_type(&path), bytes)
}

/// The bytes of a picture the rebuild deferred: from the cache once drawn,
/// else drawn once for every request waiting for it.
async fn deferred_picture(
    shared: &Shared,
    picture: &Deferred,
    fonts: &Arc<Fonts>,
) -> Result<Arc<Vec<u8>>, String> {
    let cache = Cache::new(shared.cache.clone(), true);
    if let Some(Ok(bytes)) = cache
        .get(&picture.key)
        .map(|cached| cached.read().map(|b| b.into_owned()))
    {
        return Ok(Arc::new(bytes));
    }
    let drawing = {
        let mut drawing = shared
            .drawing
            .lock()
            .map_err(|_| "server error".to_string())?;
        Arc::clone(drawing.entry(picture.key.clone()).or_default())
    };
    let result = drawing
        .get_or_init(|| async {
            let _slot = shared.draw_slots.acquire().await;
            let (picture, fonts) = (picture.clone(), Arc::clone(fonts));
            match tokio::task::spawn_blocking(move || rasterise_deferred(&picture, &fonts, &cache))
                .await
            {
                Ok(Ok(bytes)) => Ok(Arc::new(bytes)),
                Ok(Err(error)) => Err(error.to_string()),
                Err(_) => Err("the drawing stopped".to_string()),
            }
        })
        .await
        .clone();
    // Later requests read it from the cache (or draw it again if it could
    // not be written there): the map only holds drawings in progress.
    if let Ok(mut drawing) = shared.drawing.lock() {
        drawing.remove(&picture.key);
    }
    result
}

fn reload_events(
    shared: &Shared,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>> + use<>> {
    let receiver = shared.reload.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(version) => {
                    return Some((Ok(Event::default().data(version.to_string())), receiver));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::site_path;

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/equipes/").as_deref(),
            Some("equipes/index.html")
        );
        assert_eq!(
            site_path("/assets/style.css").as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(
            site_path("/outils/caf%C3%A9/").as_deref(),
            Some("outils/café/index.html")
        );
        for hostile in [
            "/../etc/passwd",
            "/%2e%2e/secret",
            "/a/%2E%2E/%2e%2e/x",
            "/.git/config",
            "/a%5c..%5cb",
            "/a%00b",
            "/%zz",
        ] {
            assert_eq!(site_path(hostile), None, "{hostile}");
        }
    }
}
