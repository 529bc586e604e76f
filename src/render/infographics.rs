//! The infographic files of the site: each team's Scan'équipe as SVG, PNG,
//! PDF and JSON, rendered in parallel.

use rayon::prelude::*;
use serde::Serialize;

use super::{Deferred, DeferredKind, FileContents, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::infographic::cache::Cache;
use crate::infographic::scene::{Drawing, Scene};
use crate::infographic::{Fonts, group_card, pdf, raster, region, scan, social};
use crate::model::SiteModel;
use crate::model::views::TeamView;
use crate::render::french;
use crate::stopwatch::Stopwatch;

/// PNG scale: the A4 canvas at 150 dpi gives 1240 × 1754 pixels.
const PNG_SCALE: f32 = 1.0;
/// The canvas is drawn at 150 dpi; the PDF page is then exactly A4.
const PDF_DPI: f32 = 150.0;

/// A team's figures as open data, beside its Scan'équipe.
#[derive(Serialize)]
struct TeamFigures<'a> {
    id: &'a str,
    name: &'a str,
    year: i64,
    status: &'static str,
    city: &'a str,
    department: &'a str,
    founded: i64,
    age: i64,
    sites: i64,
    aci: bool,
    cpts: bool,
    signatories: i64,
    patients: i64,
    professionals: i64,
    professions: std::collections::BTreeMap<&'a str, i64>,
    coordinators: CoordinatorFigures,
    actions: ActionFigures<'a>,
    updated: String,
}

#[derive(Serialize)]
struct CoordinatorFigures {
    count: usize,
    hours_per_week: f64,
    network: usize,
    pacte: usize,
    liberal: usize,
}

#[derive(Serialize)]
struct ActionFigures<'a> {
    interns: bool,
    prevention: &'a [String],
    etp: &'a [String],
    protocols: &'a [String],
    user_involvement: bool,
}

fn team_json(team: &TeamView, year: i64) -> String {
    let figures = TeamFigures {
        id: &team.id,
        name: &team.name,
        year,
        status: if team.constituted {
            "constituee"
        } else {
            "projet"
        },
        city: &team.city,
        department: &team.department.code,
        founded: team.founded,
        age: team.age,
        sites: team.sites,
        aci: team.aci,
        cpts: team.cpts,
        signatories: team.signatories,
        patients: team.patients,
        professionals: team.professionals,
        professions: team
            .composition
            .iter()
            .map(|p| (p.id.as_str(), p.count))
            .collect(),
        coordinators: CoordinatorFigures {
            count: team.coordination.count,
            hours_per_week: team.coordination.hours_per_week,
            network: team.coordination.network,
            pacte: team.coordination.pacte,
            liberal: team.coordination.liberal,
        },
        actions: ActionFigures {
            interns: team.interns,
            prevention: &team.prevention,
            etp: &team.etp,
            protocols: &team.protocols,
            user_involvement: team.user_involvement,
        },
        updated: team.updated.to_string(),
    };
    serde_json::to_string_pretty(&figures).unwrap_or_default() + "\n"
}

/// The files of one infographic, or why it could not be made.
type Files = Result<Vec<OutputFile>, Diagnostic>;

fn conversion_error(path: &str, error: raster::RasterError) -> Diagnostic {
    Diagnostic::whole_file(
        path.to_string(),
        format!("cannot render this infographic: {error}"),
    )
}

/// What a picture is published as, besides its SVG.
#[derive(Clone, Copy)]
enum Formats {
    /// A PNG only (group cards, social cards).
    Png(raster::PngSettings),
    /// A PNG and an A4 PDF (the Scan'équipe).
    PngAndPdf(raster::PngSettings),
}

/// One picture: where it goes, whether its SVG is published, what it is drawn from.
struct Picture<'p> {
    /// Output path without extension: `equipes/x/scan-equipe`.
    base: &'p str,
    publish_svg: bool,
    formats: Formats,
}

/// Draws pictures through the cache: a picture whose inputs (and fonts,
/// and generator) did not change is taken from the cache without even
/// drawing its SVG.
pub struct Raster<'a> {
    pub fonts: &'a Fonts,
    pub cache: &'a Cache,
    pub progress: Option<&'a crate::site::Progress>,
    /// Infographics finished so far, for `progress`.
    pub done: std::sync::atomic::AtomicU64,
    /// `serve`: pictures not in the cache are rasterised when first asked
    /// for (`FileContents::Deferred`), not during the rebuild.
    pub defer: bool,
    /// `serve`: the pictures of the last rebuild.
    pub memo: Option<&'a PictureMemo>,
}

/// By input key: the drawing key and the files of a picture.
type PictureFiles = std::collections::HashMap<String, (String, Vec<OutputFile>)>;

/// The files of each picture of the last rebuild, by the key of its inputs:
/// `serve` keeps them, so that a rebuild need not draw the SVG of every
/// picture whose PNG was deferred (and so is not in the cache) to find it.
#[derive(Default)]
pub struct PictureMemo {
    previous: std::sync::RwLock<PictureFiles>,
    fresh: std::sync::Mutex<PictureFiles>,
    /// The pictures (output path without extension) the last rebuild drew,
    /// for tests.
    pub drawn: std::sync::Mutex<Vec<String>>,
}

impl PictureMemo {
    /// A new rebuild: the pictures of the last one are those to reuse.
    fn begin(&self) {
        let last = self
            .fresh
            .lock()
            .map(|mut fresh| std::mem::take(&mut *fresh))
            .unwrap_or_default();
        if let Ok(mut previous) = self.previous.write() {
            *previous = last;
        }
        if let Ok(mut drawn) = self.drawn.lock() {
            drawn.clear();
        }
    }

    fn previous(&self, input_key: &str) -> Option<(String, Vec<OutputFile>)> {
        self.previous.read().ok()?.get(input_key).cloned()
    }

    fn keep(&self, input_key: String, drawing: &str, files: &[OutputFile]) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(input_key, (drawing.to_string(), files.to_vec()));
        }
    }

    fn note_drawn(&self, base: &str) {
        if let Ok(mut drawn) = self.drawn.lock() {
            drawn.push(base.to_string());
        }
    }
}

impl Raster<'_> {
    /// One more infographic finished, out of `total`.
    fn finished<T>(&self, total: u64, result: T) -> T {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(progress) = self.progress {
            (progress.0)(done, total);
        }
        result
    }

    /// The files of `picture`, drawn by `draw` from `inputs` only when the
    /// cache does not have them all: first under what the last build drew
    /// from the same inputs (no SVG is drawn), then under the SVG drawn now.
    fn picture(
        &self,
        picture: &Picture,
        inputs: &impl Serialize,
        draw: impl FnOnce() -> Drawing,
    ) -> Files {
        let input_key = Cache::input_key(picture.base_kind(), inputs, &self.fonts.hash);
        let Some(memo) = self.memo else {
            return Ok(self.picture_from_cache(picture, &input_key, draw)?.1);
        };
        if let Some((drawing, files)) = memo.previous(&input_key) {
            // Still this build's: the cache keeps their entries and index line.
            self.cache.remember(&input_key, &drawing);
            for file in &files {
                match &file.contents {
                    FileContents::Cached { key, .. } => self.cache.keep(key),
                    FileContents::Deferred(deferred) => self.cache.keep(&deferred.key),
                    _ => {}
                }
            }
            memo.keep(input_key, &drawing, &files);
            return Ok(files);
        }
        let (drawing, files) = self.picture_from_cache(picture, &input_key, || {
            memo.note_drawn(picture.base);
            draw()
        })?;
        memo.keep(input_key, &drawing, &files);
        Ok(files)
    }

    /// The drawing key and files of `picture`, from the cache when it holds
    /// them all.
    fn picture_from_cache(
        &self,
        picture: &Picture,
        input_key: &str,
        draw: impl FnOnce() -> Drawing,
    ) -> Result<(String, Vec<OutputFile>), Diagnostic> {
        if let Some(drawing) = self.cache.drawing_of(input_key) {
            let cached = self.cached(picture, &picture.keys(&drawing));
            if let Some(files) = cached.complete(picture) {
                self.cache.remember(input_key, &drawing);
                return Ok((drawing, files));
            }
        }
        let drawn = draw();
        // Painted from its scene or by resvg: glyph edges are anti-aliased
        // differently, so the key says which.
        let painter = if drawn.scene.is_some() {
            "scene"
        } else {
            "svg"
        };
        let settings = format!(
            "{} png×{PNG_SCALE} pdf@{PDF_DPI} {painter}",
            self.fonts.hash
        );
        let drawing = Cache::drawing_key(&drawn.svg, &settings);
        self.cache.remember(input_key, &drawing);
        let keys = picture.keys(&drawing);
        let cached = self.cached(picture, &keys);
        if let Some(files) = cached.complete(picture) {
            return Ok((drawing, files));
        }
        let files = self.convert(picture, &keys, drawn, cached)?;
        Ok((drawing, files))
    }

    /// What the cache holds of `picture` under `keys`.
    fn cached(&self, picture: &Picture, keys: &Keys) -> Cached {
        Cached {
            svg: picture
                .publish_svg
                .then(|| self.cache.get(&keys.svg))
                .flatten(),
            png: self.cache.get(&keys.png),
            pdf: keys.pdf.as_ref().and_then(|key| self.cache.get(key)),
        }
    }

    /// Converts the SVG of `picture` to the formats the cache does not hold.
    fn convert(&self, picture: &Picture, keys: &Keys, drawn: Drawing, cached: Cached) -> Files {
        let base = picture.base;
        let png_settings = picture.formats.png();
        let Drawing { svg, scene } = drawn;
        let svg: std::sync::Arc<str> = svg.into();
        let scene = scene.map(std::sync::Arc::new);
        let (png, pdf) = if self.defer {
            let deferred = |kind, key| {
                FileContents::Deferred(Deferred {
                    svg: svg.clone(),
                    scene: scene.clone(),
                    kind,
                    key,
                })
            };
            (
                cached
                    .png
                    .unwrap_or_else(|| deferred(DeferredKind::Png(png_settings), keys.png.clone())),
                cached
                    .pdf
                    .or_else(|| keys.pdf.clone().map(|key| deferred(DeferredKind::Pdf, key))),
            )
        } else {
            // Side by side: the regional Scan'équipe's PNG and PDF are a
            // one-team rebuild's longest chain of work.
            let (png, pdf) = rayon::join(
                || match cached.png {
                    Some(png) => Ok(png),
                    None => png_bytes(&svg, scene.as_deref(), self.fonts, png_settings)
                        .map(|bytes| self.cache.put(&keys.png, bytes))
                        .map_err(|e| conversion_error(&format!("{base}.png"), e)),
                },
                || match (cached.pdf, &keys.pdf) {
                    (Some(pdf), _) => Ok(Some(pdf)),
                    (None, Some(key)) => pdf_bytes(scene.as_deref(), self.fonts)
                        .map(|bytes| Some(self.cache.put(key, bytes)))
                        .map_err(|e| conversion_error(&format!("{base}.pdf"), e)),
                    (None, None) => Ok(None),
                },
            );
            (png?, pdf?)
        };
        let svg = picture.publish_svg.then(|| {
            cached
                .svg
                .unwrap_or_else(|| self.cache.put(&keys.svg, svg.as_bytes().to_vec()))
        });
        Ok(picture.files(svg, png, pdf))
    }
}

/// The cache keys of a picture's files.
struct Keys {
    svg: String,
    png: String,
    pdf: Option<String>,
}

/// The files of a picture the cache holds.
struct Cached {
    svg: Option<FileContents>,
    png: Option<FileContents>,
    pdf: Option<FileContents>,
}

impl Cached {
    /// The picture's files, when the cache holds every one of them.
    fn complete(&self, picture: &Picture) -> Option<Vec<OutputFile>> {
        let svg_missing = picture.publish_svg && self.svg.is_none();
        let pdf_missing = picture.formats.has_pdf() && self.pdf.is_none();
        if svg_missing || pdf_missing {
            return None;
        }
        let png = self.png.clone()?;
        Some(picture.files(self.svg.clone(), png, self.pdf.clone()))
    }
}

impl Formats {
    fn png(self) -> raster::PngSettings {
        match self {
            Formats::Png(settings) | Formats::PngAndPdf(settings) => settings,
        }
    }

    fn has_pdf(self) -> bool {
        matches!(self, Formats::PngAndPdf(_))
    }
}

impl Picture<'_> {
    /// The cache keys of its files, drawn as `drawing`.
    fn keys(&self, drawing: &str) -> Keys {
        Keys {
            svg: format!("{drawing}.svg"),
            png: format!("{drawing}.{}", self.formats.png().cache_suffix()),
            pdf: self.formats.has_pdf().then(|| format!("{drawing}.a4.pdf")),
        }
    }

    /// The picture's output files: its SVG if published, PNG, PDF if any.
    fn files(
        &self,
        svg: Option<FileContents>,
        png: FileContents,
        pdf: Option<FileContents>,
    ) -> Vec<OutputFile> {
        let base = self.base;
        let mut files = Vec::with_capacity(3);
        files.extend(svg.map(|svg| OutputFile::new(format!("{base}.svg"), svg)));
        files.push(OutputFile::new(format!("{base}.png"), png));
        files.extend(pdf.map(|pdf| OutputFile::new(format!("{base}.pdf"), pdf)));
        files
    }

    /// The kind of drawing, part of the cache key: the file's name
    /// (`scan-equipe`, `social`, `carte`…).
    fn base_kind(&self) -> &str {
        self.base.rsplit('/').next().unwrap_or(self.base)
    }
}

/// The PNG of a picture: painted from its scene, or from its SVG by resvg.
/// `build` and `serve` both make them here, so that a picture of the cache
/// has the same bytes whichever made it.
fn png_bytes(
    svg: &str,
    scene: Option<&Scene>,
    fonts: &Fonts,
    settings: raster::PngSettings,
) -> Result<Vec<u8>, raster::RasterError> {
    match scene {
        Some(scene) => raster::png_of_scene(scene, fonts, PNG_SCALE, settings),
        None => raster::png_of_tree(&raster::parse(svg, fonts)?, PNG_SCALE, settings),
    }
}

/// The PDF of a picture, written from its scene: every picture published as
/// PDF (the Scan'équipes) is drawn with one.
fn pdf_bytes(scene: Option<&Scene>, fonts: &Fonts) -> Result<Vec<u8>, raster::RasterError> {
    let scene = scene.ok_or(raster::RasterError::NoScene)?;
    pdf::pdf_of_scene(scene, fonts, PDF_DPI)
}

/// Rasterises a picture `serve` deferred, and keeps it in the cache so that
/// the next rebuild finds it there.
pub fn rasterise_deferred(
    picture: &Deferred,
    fonts: &Fonts,
    cache: &Cache,
) -> Result<Vec<u8>, raster::RasterError> {
    let scene = picture.scene.as_deref();
    let bytes = match picture.kind {
        DeferredKind::Png(settings) => png_bytes(&picture.svg, scene, fonts, settings)?,
        DeferredKind::Pdf => pdf_bytes(scene, fonts)?,
    };
    cache.put(&picture.key, bytes.clone());
    Ok(bytes)
}

/// The regional Scan'équipe (its JSON and CSV are written with the pages).
fn region_files(
    raster: &Raster,
    model: &SiteModel,
    footer: &scan::Footer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let labels = region::RegionLabels {
        region: model.config.region.clone(),
        federation: footer.federation.clone(),
        address: footer.address.clone(),
        professions: model
            .region
            .top_professions
            .iter()
            .map(|share| {
                model
                    .professions
                    .iter()
                    .find(|(id, _, _)| *id == share.id)
                    .map_or_else(
                        || (share.id.clone(), model.config.primary_color.clone()),
                        |(_, label, color)| (label.clone(), color.clone()),
                    )
            })
            .collect(),
        departments: model
            .config
            .departments
            .iter()
            .map(|d| (d.name.clone(), d.code.clone(), d.teams))
            .collect(),
    };
    let picture = Picture {
        base: "region/scan-equipe-region",
        publish_svg: true,
        formats: Formats::PngAndPdf(raster::PngSettings {
            compression: raster::Compression::Small,
            colours: raster::Colours::Many,
        }),
    };
    raster.picture(&picture, &(&model.region, &labels), || {
        region::region_drawing(raster.fonts, &model.region, &labels)
    })
}

/// A local group's card, as SVG and PNG.
fn group_files(
    raster: &Raster,
    model: &SiteModel,
    group: &crate::model::views::GroupView,
    footer: &scan::Footer,
) -> Files {
    let base = format!("reseau/{}/carte", group.id);
    let outline = model
        .outlines
        .iter()
        .find(|o| o.code == group.department.code);
    let picture = Picture {
        base: &base,
        publish_svg: true,
        formats: Formats::Png(raster::PngSettings::FAST),
    };
    // The outline has no serde form: its debug form says every point.
    let inputs = (
        group,
        outline.map(|o| format!("{o:?}")),
        footer,
        model.config.year,
    );
    raster.picture(&picture, &inputs, || {
        group_card::group_card(
            raster.fonts,
            group,
            outline,
            &footer.federation,
            &footer.address,
            model.config.year,
        )
        .0
        .into()
    })
}

/// A social card at `path` (a PNG).
fn social_file(raster: &Raster, path: String, card: &social::Card) -> Files {
    let picture = Picture {
        base: path.strip_suffix(".png").unwrap_or(&path),
        publish_svg: false,
        formats: Formats::Png(raster::PngSettings::FAST_PALETTE),
    };
    raster.picture(&picture, card, || {
        social::social_drawing(raster.fonts, card)
    })
}

/// Every social card: one per team, tool and news item.
fn social_cards(model: &SiteModel, tools: bool) -> Vec<(String, social::Card)> {
    let federation = model.config.title.clone();
    let card =
        |kicker: &str, title: &str, subtitle: &str, figures: Vec<(String, String)>| social::Card {
            kicker: kicker.to_string(),
            title: title.to_string(),
            subtitle: subtitle.to_string(),
            figures,
            federation: federation.clone(),
        };
    let mut cards = Vec::new();
    if !model.config.social_cards {
        return cards;
    }
    for team in &model.teams {
        let figures = vec![
            (
                french::integer(team.professionals),
                "professionnels de santé".to_string(),
            ),
            (team.profession_count.to_string(), "professions".to_string()),
            (
                french::integer(team.patients),
                "patients en file active".to_string(),
            ),
        ];
        let subtitle = format!(
            "{} · {} ({})",
            team.city, team.department.name, team.department.code
        );
        cards.push((
            format!("equipes/{}/social.png", team.id),
            card(
                &team.status_label.to_uppercase(),
                &team.name,
                &subtitle,
                figures,
            ),
        ));
    }
    for tool in model.tools.iter().filter(|_| tools) {
        let kicker = format!("BOÎTE À OUTILS · {}", tool.tool_type.label.to_uppercase());
        cards.push((
            format!("outils/{}/social.png", tool.slug),
            card(&kicker, &tool.title, &tool.summary, Vec::new()),
        ));
    }
    for item in &model.news {
        let kicker = format!(
            "ACTUALITÉ · {}",
            french::long_date(item.date).to_uppercase()
        );
        cards.push((
            format!("actualites/{}/social.png", item.slug),
            card(&kicker, &item.title, &item.summary, Vec::new()),
        ));
    }
    cards
}

/// The four files of one team's Scan'équipe.
fn team_files(
    raster: &Raster,
    model: &SiteModel,
    team: &TeamView,
    footer: &scan::Footer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let base = format!("equipes/{}/scan-equipe", team.id);
    let picture = Picture {
        base: &base,
        publish_svg: true,
        formats: Formats::PngAndPdf(raster::PngSettings::FAST),
    };
    // The team's fingerprint stands for its view (`TeamView::fingerprint`).
    let inputs = (team.fingerprint.as_bytes(), footer);
    let mut files = raster.picture(&picture, &inputs, || {
        scan::team_drawing(raster.fonts, team, footer)
    })?;
    files.push(OutputFile::text(
        format!("{base}.json"),
        team_json(team, model.config.year),
    ));
    Ok(files)
}

/// Every infographic of the site; the tools' social cards unless the
/// toolbox is `carried` over from the last build (`toolbox`).
pub fn render_infographics(
    model: &SiteModel,
    raster: &Raster,
    carried: bool,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let footer = scan::Footer {
        federation: model.config.title.clone(),
        address: model
            .config
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or(&model.config.base_url)
            .to_string(),
        year: model.config.year,
    };
    if let Some(memo) = raster.memo {
        memo.begin();
    }
    let cards = social_cards(model, !carried);
    let total = (1 + model.teams.len() + model.groups.len() + cards.len()) as u64;
    let (regional, teams) = rayon::join(
        || {
            let files =
                Stopwatch::time("regional picture", || region_files(raster, model, &footer));
            raster.finished(total, files)
        },
        || {
            model
                .teams
                .par_iter()
                .map(|team| raster.finished(total, team_files(raster, model, team, &footer)))
                .collect::<Vec<Files>>()
        },
    );
    let mut files = Vec::new();
    let mut diagnostics = Diagnostics::new();
    let socials: Vec<Files> = cards
        .into_par_iter()
        .map(|(path, card)| raster.finished(total, social_file(raster, path, &card)))
        .collect();
    let groups: Vec<Files> = model
        .groups
        .par_iter()
        .map(|group| raster.finished(total, group_files(raster, model, group, &footer)))
        .collect();
    for result in std::iter::once(regional)
        .chain(teams)
        .chain(groups)
        .chain(socials)
    {
        match result {
            Ok(team) => files.extend(team),
            Err(error) => diagnostics.push(error),
        }
    }
    diagnostics.into_result(files)
}
