//! `sitemap.xml`, `atom.xml` and `robots.txt`.

use super::OutputFile;
use super::escape::html as xml;
use crate::model::SiteModel;

/// Every published HTML page except 404, for search engines.
pub fn sitemap(model: &SiteModel, pages: &[OutputFile]) -> OutputFile {
    let mut paths: Vec<&str> = pages
        .iter()
        .filter(|file| file.path.ends_with("index.html"))
        .map(|file| file.path.trim_end_matches("index.html"))
        .collect();
    paths.sort_unstable();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml(&format!("{}/{path}", model.config.base_url))
        ));
    }
    out.push_str("</urlset>\n");
    OutputFile::text("sitemap.xml", out)
}

/// The news feed. Its dates come from the news items, never from the clock,
/// so that two builds give the same bytes.
pub fn atom(model: &SiteModel) -> OutputFile {
    let base = &model.config.base_url;
    let updated = model.news.iter().map(|item| item.date).max().map_or_else(
        || format!("{}-01-01", model.config.year),
        |date| date.to_string(),
    );
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml(&model.config.title)));
    out.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        xml(&model.config.tagline)
    ));
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\"/>\n",
        xml(&format!("{base}/atom.xml"))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        xml(&format!("{base}/"))
    ));
    out.push_str(&format!("  <id>{}</id>\n", xml(&format!("{base}/"))));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(&model.config.title)
    ));
    for item in &model.news {
        let link = format!("{base}/actualites/{}/", item.slug);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml(&item.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", xml(&link)));
        out.push_str(&format!("    <id>{}</id>\n", xml(&link)));
        out.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", item.date));
        out.push_str(&format!("    <summary>{}</summary>\n", xml(&item.summary)));
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml(&item.content)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    OutputFile::text("atom.xml", out)
}

pub fn robots(model: &SiteModel) -> OutputFile {
    OutputFile::text(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            model.config.base_url
        ),
    )
}
