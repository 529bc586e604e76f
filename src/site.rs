//! The `Site`: loading, validation and the build, step by step, as the
//! command line drives them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::aside::{WritingAside, drop_aside};
use crate::content::Content;
use crate::content::load::{Tools, load_content_kept, load_tools};
use crate::data::load::{ParsedFiles, load_data_kept};
use crate::data::{Data, Date};
use crate::diagnostics::{Diagnostics, Result};
use crate::infographic::cache::Cache;
use crate::model::{ModelOptions, SiteModel};
use crate::render::markdown::RenderedBodies;
use crate::render::search::{self, SearchIndex};
use crate::render::tool_keys::ToolKeys;
use crate::render::{Assets, FileContents, OutputFile, Renderer, feeds, pages, toolbox};
use crate::stopwatch::Stopwatch;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use rayon::slice::ParallelSliceMut;

/// Options of `build` and `check`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Date,
    /// Where rasterised infographics are kept between builds; `None`: no cache.
    pub cache: Option<PathBuf>,
    /// `check` reads the cache but leaves it as it is.
    pub write_cache: bool,
    /// Told how many infographics are done, out of how many, as they finish.
    pub progress: Option<Progress>,
    /// `serve`: pictures missing from the cache are rasterised when a browser
    /// asks for them, not during the rebuild.
    pub defer_pictures: bool,
}

/// A function told `(done, total)` as infographics finish: the command line
/// draws a progress bar with it when its output is a terminal.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("output"),
            root: root.clone(),
            base_url: None,
            drafts: false,
            today: Date::today(),
            cache: Some(crate::infographic::cache::default_dir(&root)),
            write_cache: true,
            progress: None,
            defer_pictures: false,
        }
    }
}

/// What a build made, for the summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub pages: usize,
    /// The toolbox's files were taken from the output as the last build
    /// left them (`render::toolbox`): nothing they are made from changed.
    pub toolbox_carried: bool,
    /// The tools were loaded: not when what the toolbox is made from among
    /// the input files is what the last build recorded, unless it could
    /// not be carried over after all (`content::load::Tools`).
    pub tools_loaded: bool,
    /// Infographics and social cards: the PNG and PDF files.
    pub pictures: usize,
    pub files: usize,
    /// Files written to the output (the others had not changed).
    pub written: usize,
    /// Pages rendered; the others were in the output already, made by the
    /// last build from the same values.
    pub pages_rendered: usize,
    /// Nothing the site is built from changed since the last build, and its
    /// output was as that build left it: nothing was loaded or rendered.
    pub up_to_date: bool,
    pub milliseconds: u128,
}

impl BuildReport {
    fn of(files: &[OutputFile], started: Instant) -> BuildReport {
        // In one pass over the files, on every thread: four passes on one
        // took the national site's rebuild's last 10 ms.
        let (pages, pictures, reused) = files
            .par_iter()
            .map(|file| {
                let page = is_page(&file.path);
                let reused = page && matches!(file.contents, FileContents::Published { .. });
                (
                    usize::from(page),
                    usize::from(is_picture(&file.path)),
                    usize::from(reused),
                )
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        BuildReport {
            pages,
            pictures,
            files: files.len(),
            pages_rendered: pages - reused,
            ..BuildReport::of_paths(std::iter::empty(), started)
        }
    }

    /// The report of a build whose files are at `paths`, none written.
    fn of_paths<'a>(paths: impl Iterator<Item = &'a str> + Clone, started: Instant) -> BuildReport {
        BuildReport {
            toolbox_carried: false,
            tools_loaded: false,
            pages: paths.clone().filter(|path| is_page(path)).count(),
            pictures: paths.clone().filter(|path| is_picture(path)).count(),
            files: paths.clone().count(),
            written: 0,
            pages_rendered: 0,
            up_to_date: false,
            milliseconds: started.elapsed().as_millis(),
        }
    }
}

/// Whether the output's file `path` is a page, as a report counts them.
fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// Whether the output's file `path` is a picture drawn as PNG or PDF.
fn is_picture(path: &str) -> bool {
    path.ends_with(".png") || path.ends_with(".pdf")
}

/// What `build` reuses of the last build: what it left in the output, the
/// Markdown bodies it rendered, and its toolbox when this build's is made
/// from the same.
#[derive(Default, Clone, Copy)]
pub struct Incremental<'a> {
    pub last_output: Option<&'a crate::output::PreviousOutput>,
    pub last_bodies: Option<&'a RenderedBodies>,
    /// The input files' fingerprints, of which the toolbox is made from
    /// one or the other (`render::toolbox::inputs`).
    pub inputs: Option<toolbox::Fingerprints<'a>>,
    /// How to load the tools if they were left out (`Tools::LeftOut`) and
    /// the toolbox cannot be carried over after all; without it, they are
    /// parsed again.
    pub load_tools: Option<&'a LoadTools<'a>>,
}

/// Loads the tools of a site whose load left them out.
pub type LoadTools<'a> = dyn Fn() -> Result<Vec<crate::content::Tool>, Diagnostics> + Sync + 'a;

/// The files of a rendered site, with what is needed to check them.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// What the toolbox's files are made from (`render::toolbox::made`),
    /// when known.
    pub toolbox: Option<toolbox::Made>,
    /// Whether they were carried over from the last build's output.
    pub toolbox_carried: bool,
    /// Whether the site was rendered with its tools (`Tools::Loaded`).
    pub tools_loaded: bool,
    /// The path every link starts with (`/`, or `/prefix/` under a sub-path).
    pub base_path: String,
    /// Every private value of the data, that no file may contain.
    pub private_values: Vec<String>,
    /// The theme's fonts, to rasterise deferred pictures (`serve`).
    pub fonts: std::sync::Arc<crate::infographic::Fonts>,
}

/// A site's files, loaded and cross-checked.
pub struct Site {
    pub root: PathBuf,
    pub data: Data,
    pub content: Content,
}

impl Site {
    /// Loads `data/` and `content/` and checks them; every problem is returned.
    pub fn load(root: &Path) -> Result<Site, Diagnostics> {
        Site::load_kept(root, None, Tools::Loaded(None))
    }

    /// `load`, taking from `parsed` the files whose text did not change
    /// since it was last given them, and leaving there what this load
    /// parsed (`serve`, from one save to the next, and `build`); the tools
    /// as `tools` says, through parsed files of their own.
    pub fn load_kept(
        root: &Path,
        parsed: Option<&ParsedFiles>,
        tools: Tools,
    ) -> Result<Site, Diagnostics> {
        // The tools may be parsed by the same files as the others: those
        // begin and end once.
        let tools_parsed = match tools {
            Tools::Loaded(tools_parsed) => tools_parsed,
            Tools::LeftOut => None,
        };
        let apart = tools_parsed.filter(|tools| !parsed.is_some_and(|p| std::ptr::eq(p, *tools)));
        let all_parsed = || parsed.into_iter().chain(apart);
        all_parsed().for_each(ParsedFiles::begin);
        let (data, content) = rayon::join(
            || Stopwatch::time("load data", || load_data_kept(root, parsed)),
            || Stopwatch::time("load content", || load_content_kept(root, parsed, tools)),
        );
        all_parsed().for_each(ParsedFiles::finish);
        let (data, content) = match (data, content) {
            (Ok(data), Ok(content)) => (data, content),
            (data, content) => {
                let mut all = Diagnostics::new();
                if let Err(errors) = data {
                    all.extend(errors);
                }
                if let Err(errors) = content {
                    all.extend(errors);
                }
                return Err(all);
            }
        };
        let problems = Stopwatch::time("validate", || {
            crate::validate::validate(root, &data, &content)
        });
        problems.into_result(Site {
            root: root.to_path_buf(),
            data,
            content,
        })
    }

    fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join("default")
    }

    /// Renders every file of the site in memory.
    pub fn render(&self, options: &BuildOptions) -> Result<Vec<OutputFile>, Diagnostics> {
        Ok(self
            .render_site(options, None, Incremental::default())?
            .files)
    }

    /// Renders every file, and keeps what `check` needs to look at them.
    /// With a `memo` (`serve`), pages and index whose inputs did not change
    /// since the last call are taken from it. With the `last` build's
    /// output (`build`), a page it already wrote from the same values is
    /// left where it is instead of being rendered again, the toolbox's files
    /// too when nothing they are made from changed, and Markdown bodies are
    /// taken from those it rendered.
    pub fn render_site(
        &self,
        options: &BuildOptions,
        memo: Option<&crate::render::Memo>,
        last: Incremental,
    ) -> Result<Rendered, Diagnostics> {
        self.render_content(&self.content, options, memo, last)
    }

    /// `render_site`, with `content` in place of the site's.
    fn render_content(
        &self,
        content: &Content,
        options: &BuildOptions,
        memo: Option<&crate::render::Memo>,
        last: Incremental,
    ) -> Result<Rendered, Diagnostics> {
        let mut watch = Stopwatch::start();
        let published = last.last_output;
        let bodies = memo.map(|memo| &memo.bodies).or(last.last_bodies);
        if let Some(bodies) = bodies {
            bodies.begin();
        }
        let cache = Cache::new(options.cache.clone(), options.write_cache);
        // The pictures' cache is listed meanwhile, on a thread of its own,
        // the toolbox's files are found as the last build left them, and
        // the theme's fonts and assets are read.
        let theme = self.theme_dir();
        let ((model, (assets, fonts)), toolbox_files) = rayon::join(
            || {
                rayon::join(
                    || {
                        SiteModel::build_keeping(
                            &self.root,
                            &self.data,
                            content,
                            &ModelOptions {
                                base_url: options.base_url.clone(),
                                drafts: options.drafts,
                                today: options.today,
                            },
                            bodies,
                        )
                    },
                    || {
                        (
                            Assets::load(&self.root, &theme),
                            crate::infographic::Fonts::load(&self.root, &theme),
                        )
                    },
                )
            },
            || {
                cache.list();
                published
                    .filter(|_| last.inputs.is_some())
                    .and_then(crate::output::PreviousOutput::toolbox_files)
            },
        );
        watch.lap("model");
        let assets = assets?;
        let renderer = Renderer::new(&self.root, &theme, &model.config, &model.menu, &assets)?;
        let fonts = fonts?;
        let toolbox_made = last.inputs.map(|inputs| {
            let inputs = toolbox::inputs(inputs, content);
            toolbox::made(inputs, &renderer.fingerprint, &fonts.hash)
        });
        let carried: Option<Vec<OutputFile>> = toolbox_files
            .filter(|(key, _)| Some(*key) == toolbox_made.as_ref().map(|made| made.key.as_str()))
            .map(|(_, files)| files);
        let is_carried = carried.is_some();
        if content.tools_left_out && !is_carried {
            // The toolbox cannot be carried over after all: the site is
            // rendered again with its tools.
            drop_aside(model);
            return self.render_with_tools(content, options, memo, last);
        }
        // The search index is kept beside the pictures (`.msp-cache/search`).
        let search_cache = search::DiskCache {
            dir: options
                .cache
                .as_ref()
                .and_then(|dir| dir.parent())
                .map(|parent| parent.join("search")),
            writable: options.write_cache,
        };
        let render_pages = |tool_keys: Option<&ToolKeys>| {
            Stopwatch::time("pages", || {
                let memo = memo.map(|m| &m.pages);
                pages::render_pages(&model, tool_keys, &renderer, memo, published)
            })
        };
        // Told while the site is rendered: on its own, it took 10 ms on one
        // thread while the other waited.
        let carry = || {
            // Their pictures (the tools' social cards) stay in the cache.
            let files = carried.iter().flatten();
            cache.carry(files.filter_map(|file| match &file.contents {
                FileContents::Published { identity, .. } => crate::output::cached_key(identity),
                _ => None,
            }));
        };
        let render = || {
            rayon::join(
                || {
                    if is_carried {
                        return (render_pages(None), Ok(Vec::new()));
                    }
                    let search_memo = memo.map(|m| &m.search);
                    let tool_keys = Stopwatch::time("tools hashed", || ToolKeys::of(&model));
                    let found = Stopwatch::time("search index lookup", || {
                        search::find_search_index(&model, &tool_keys, search_memo, &search_cache)
                    });
                    match found {
                        SearchIndex::Found(files) => (render_pages(Some(&tool_keys)), Ok(files)),
                        // Pagefind holds half a gigabyte for a while when it
                        // indexes ten thousand tools: done before the pages are
                        // rendered, not beside them, so that the peaks do not add up.
                        SearchIndex::ToBuild(documents) => {
                            let index = Stopwatch::time("search index", || {
                                search::build_search_index(documents, search_memo, &search_cache)
                            });
                            (render_pages(Some(&tool_keys)), index)
                        }
                    }
                },
                || {
                    let raster = crate::render::infographics::Raster {
                        fonts: &fonts,
                        cache: &cache,
                        progress: options.progress.as_ref(),
                        done: Default::default(),
                        defer: options.defer_pictures,
                        memo: memo.map(|m| &m.pictures),
                    };
                    Stopwatch::time("infographics", || {
                        crate::render::infographics::render_infographics(
                            &model, &raster, is_carried,
                        )
                    })
                },
            )
        };
        let (((pages, search_index), infographics), ()) = rayon::join(render, carry);
        watch.lap("render (pages, search index, infographics)");
        let (pages, search_index, infographics) = (
            pages?,
            search_index.map_err(Diagnostics::from)?,
            infographics?,
        );
        let carried = carried.unwrap_or_default();
        // Sized once, for the site's files too: grown by doubling, a
        // national site's 58 000 were copied into fresh memory three times
        // over, which the system zeroes first (30 ms on one thread).
        let attachments = if is_carried {
            0
        } else {
            model.attachments.len()
        };
        let mut files = Vec::with_capacity(
            pages.len()
                + search_index.len()
                + infographics.len()
                + carried.len()
                + SITE_FILES
                + assets.files.len()
                + attachments,
        );
        for part in [pages, search_index, infographics, carried] {
            files.extend(part);
        }
        // The pictures no longer used leave the cache meanwhile.
        let ((), mut files) = rayon::join(
            || {
                Stopwatch::time("cache prune", || cache.prune());
                if let Some(bodies) = bodies {
                    let tools_left_out = content.tools_left_out;
                    Stopwatch::time("bodies kept", || bodies.finish(tools_left_out));
                }
            },
            || {
                files.extend(site_files(&model, &files));
                files.extend(assets.files);
                // The tools' attachments are the toolbox's.
                let attachments = model.attachments.iter().filter(|_| !is_carried);
                files.extend(attachments.map(|(source, path)| OutputFile {
                    path: path.clone(),
                    contents: FileContents::Copy(source.clone()),
                }));
                files
            },
        );
        files.par_sort_by(|a, b| a.path.cmp(&b.path));
        watch.lap("feeds and cache prune");
        let rendered = Rendered {
            files,
            toolbox: toolbox_made,
            toolbox_carried: is_carried,
            tools_loaded: !content.tools_left_out,
            base_path: model.config.base_path.clone(),
            private_values: model.private_values.clone(),
            fonts: std::sync::Arc::new(fonts),
        };
        drop(renderer);
        drop_aside(model);
        drop_aside(cache);
        Ok(rendered)
    }

    /// `render_content` once the tools `content` left out are loaded and
    /// checked with the rest: a new team (which changes its department's
    /// count on every page) or a toolbox's file edited by hand. Such a
    /// build renders every page or the toolbox again: making the model
    /// and checking the site twice is little beside it.
    fn render_with_tools(
        &self,
        content: &Content,
        options: &BuildOptions,
        memo: Option<&crate::render::Memo>,
        last: Incremental,
    ) -> Result<Rendered, Diagnostics> {
        let tools = Stopwatch::time("load tools", || match last.load_tools {
            Some(load) => load(),
            None => load_tools(&self.root, None),
        })?;
        let content = Content {
            tools,
            tools_left_out: false,
            ..content.clone()
        };
        crate::validate::validate(&self.root, &self.data, &content).into_result(())?;
        self.render_content(&content, options, memo, last)
    }
}

/// The files made from the whole site: sitemap, feed, robots, the region's
/// figures.
/// How many files `site_files` makes.
const SITE_FILES: usize = 5;

fn site_files(model: &SiteModel, files: &[OutputFile]) -> [OutputFile; SITE_FILES] {
    [
        feeds::sitemap(model, files),
        feeds::atom(model),
        feeds::robots(model),
        OutputFile::text(
            "region/scan-equipe-region.json",
            serde_json::to_string_pretty(&model.region).unwrap_or_default() + "\n",
        ),
        OutputFile::text("region/scan-equipe-region.csv", model.region.to_csv()),
    ]
}

/// `msp-site build`: load, check, render, then publish atomically.
/// When nothing it is built from changed since the last build, and nobody
/// touched what that build wrote, nothing is done (see `fingerprint`).
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    if let Some(record) = kept_file(options, "program").filter(|_| options.write_cache) {
        crate::fingerprint::program_recorded_in(&record);
    }
    // Taken before anything is read: a file saved during the build makes
    // the next build run in full. Meanwhile, what the last build left is
    // read: the files it parsed, its output's manifest.
    let (inputs, ((stored, bodies), previous)) = rayon::join(
        || {
            Stopwatch::time("fingerprint", || {
                crate::fingerprint::of_inputs_leaving_record(options)
            })
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || stored_parsed(options, "parsed", "read parsed files"),
                        || stored_bodies(options),
                    )
                },
                || crate::output::PreviousOutput::read(&options.output),
            )
        },
    );
    // Written while the site is built, and waited for before returning.
    let mut writing = WritingAside::default();
    let (fingerprint, without_teams, hashes) = match inputs {
        Some(inputs) => {
            if let Some(record) = inputs.record {
                writing.spawn(move || record.write());
            }
            (
                Some(inputs.fingerprint),
                Some(inputs.without_teams),
                inputs.hashes,
            )
        }
        None => (None, None, Default::default()),
    };
    let fingerprint = fingerprint.as_deref();
    let unchanged = fingerprint
        .zip(previous.as_ref())
        .and_then(|(fingerprint, previous)| {
            Stopwatch::time("output unchanged?", || {
                previous.unchanged_since(fingerprint)
            })
        });
    if let Some(paths) = unchanged {
        return Ok(BuildReport {
            up_to_date: true,
            ..BuildReport::of_paths(paths.into_iter(), started)
        });
    }
    // The tools are not even loaded while what the toolbox is made from
    // among the input files is what the last build recorded: it is most
    // likely carried over (`render::toolbox`).
    let tools_left_out = without_teams.as_deref().is_some_and(|inputs| {
        previous
            .as_ref()
            .and_then(crate::output::PreviousOutput::toolbox_inputs)
            == Some(inputs)
    });
    let parsed = stored.map(|stored| stored.knowing(Arc::clone(&hashes)));
    // Read now, when the tools are loaded: such a build makes the toolbox
    // again, seconds beside which reading them here rather than beside the
    // fingerprint is little.
    let stored_tools = || {
        let stored = stored_parsed(options, "parsed-tools", "read parsed tools");
        stored.map(|stored| stored.knowing(Arc::clone(&hashes)))
    };
    let tools_parsed = (!tools_left_out).then(stored_tools).flatten();
    let tools = if tools_left_out {
        Tools::LeftOut
    } else {
        Tools::Loaded(tools_parsed.as_ref())
    };
    let site = Site::load_kept(&options.root, parsed.as_ref(), tools);
    for parsed in parsed.into_iter().chain(tools_parsed) {
        if options.write_cache {
            writing.spawn(move || parsed.save());
        }
    }
    let site = site?;
    let load_left_out_tools = || {
        let parsed = stored_tools();
        let tools = load_tools_kept(&options.root, parsed.as_ref());
        if let Some(parsed) = parsed.filter(|_| options.write_cache) {
            parsed.save();
        }
        tools
    };
    let last = Incremental {
        last_output: previous.as_ref(),
        last_bodies: bodies.as_ref(),
        inputs: fingerprint
            .zip(without_teams.as_deref())
            .map(|(all, without_teams)| toolbox::Fingerprints { all, without_teams }),
        load_tools: Some(&load_left_out_tools),
    };
    let Rendered {
        files,
        fonts,
        toolbox: toolbox_made,
        toolbox_carried,
        tools_loaded,
        ..
    } = site.render_site(options, None, last)?;
    drop_aside(fonts);
    let made = crate::output::MadeFrom {
        inputs: fingerprint,
        toolbox: toolbox_made.as_ref(),
    };
    let published = Stopwatch::time("publish", || {
        crate::output::publish_over(&options.output, &files, made, previous)
    })?;
    let report = BuildReport {
        written: published.written,
        toolbox_carried,
        tools_loaded,
        ..BuildReport::of(&files, started)
    };
    drop_aside((site, files));
    Ok(report)
}

/// The files the last build parsed, kept beside the pictures' cache in
/// `.msp-cache/<name>`: `parsed` for all but the tools, `parsed-tools` for
/// them (a build that leaves the tools out does not read them); none
/// without a cache.
fn stored_parsed(options: &BuildOptions, name: &str, timing: &str) -> Option<ParsedFiles> {
    let file = kept_file(options, name)?;
    Some(Stopwatch::time(timing, || ParsedFiles::stored_in(file)))
}

/// The tools, through `parsed` when a build keeps them.
fn load_tools_kept(
    root: &Path,
    parsed: Option<&ParsedFiles>,
) -> Result<Vec<crate::content::Tool>, Diagnostics> {
    if let Some(parsed) = parsed {
        parsed.begin();
    }
    let tools = load_tools(root, parsed);
    if let Some(parsed) = parsed {
        parsed.finish();
    }
    tools
}

/// The Markdown bodies the last build rendered, kept beside the pictures'
/// cache (`.msp-cache/markdown`); none without a cache, or one not written.
fn stored_bodies(options: &BuildOptions) -> Option<RenderedBodies> {
    let file = kept_file(options, "markdown")?;
    options
        .write_cache
        .then(|| Stopwatch::time("read bodies", || RenderedBodies::stored_in(file)))
}

/// The file `name` kept beside the pictures' cache, in `.msp-cache`.
fn kept_file(options: &BuildOptions, name: &str) -> Option<PathBuf> {
    Some(options.cache.as_ref()?.parent()?.join(name))
}

/// `msp-site check`: everything `build` does but writing, then the rendered
/// site itself: links and anchors, alt texts, private values.
pub fn check(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let site = Site::load(&options.root)?;
    let options = BuildOptions {
        write_cache: false,
        ..options.clone()
    };
    let rendered = site.render_site(&options, None, Incremental::default())?;
    let findings = crate::check::check_output(
        &rendered.files,
        &rendered.base_path,
        &rendered.private_values,
    );
    if !findings.0.is_empty() {
        return Err(crate::diagnostics::Error::Check(findings));
    }
    let files = rendered.files;
    Ok(BuildReport {
        tools_loaded: true,
        ..BuildReport::of(&files, started)
    })
}
