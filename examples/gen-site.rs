//! Generates a large, valid example site: a national federation with every
//! department of metropolitan France, for benchmarks and scale tests.
//!
//!     cargo run --release --example gen-site -- --teams 4000 --tools 10000 --news 2000 DIR
//!
//! The same arguments always give the same files (a fixed pseudo-random
//! sequence, no clock). The vocabularies, charts and theme are copied from this
//! repository's example site; the department outlines from
//! `../shared/geo/departements-france-simplifie.geojson` when it exists, else
//! the example's own outlines (then only their departments get teams).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: gen-site [--teams N] [--tools N] [--news N] DIR";
const YEAR: i64 = 2023;

struct Options {
    teams: usize,
    tools: usize,
    news: usize,
    dir: PathBuf,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("gen-site: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match generate(&options) {
        Ok(()) => {
            println!(
                "Generated {} teams, {} tools and {} news items into {}",
                options.teams,
                options.tools,
                options.news,
                options.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen-site: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        teams: 4000,
        tools: 10_000,
        news: 2000,
        dir: PathBuf::new(),
    };
    let mut dir = None;
    while let Some(arg) = args.next() {
        let count = match arg.as_str() {
            "--teams" => &mut options.teams,
            "--tools" => &mut options.tools,
            "--news" => &mut options.news,
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ => {
                dir = Some(PathBuf::from(arg));
                continue;
            }
        };
        let value = args.next().ok_or(format!("`{arg}` needs a number"))?;
        *count = value
            .parse()
            .map_err(|_| format!("`{arg} {value}`: not a number"))?;
    }
    options.dir = dir.ok_or("no output folder given")?;
    Ok(options)
}

/// SplitMix64: tiny, fast, and the same sequence on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `low..=high`.
    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    /// `count` distinct items, in the list's order.
    fn some<'a, T>(&mut self, items: &'a [T], count: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count.min(items.len()) {
            let index = (self.next() % items.len() as u64) as usize;
            if !chosen.contains(&index) {
                chosen.push(index);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }
}

struct Department {
    code: String,
    name: String,
    /// Outer rings, `[longitude, latitude]`.
    rings: Vec<Vec<[f64; 2]>>,
}

struct Team {
    id: String,
    name: String,
    city: String,
    department: usize,
}

fn generate(options: &Options) -> Result<(), String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = &options.dir;
    if dir.join("data").exists() || dir.join("content").exists() {
        return Err(format!(
            "{} already holds a site: give an empty or new folder",
            dir.display()
        ));
    }
    let mut random = Random(0x6d73_702d_7369_7465);
    let geojson = [
        repo.join("../shared/geo/departements-france-simplifie.geojson"),
        repo.join("data/geo/departements.geojson"),
    ]
    .into_iter()
    .find(|path| path.is_file())
    .ok_or("no department outlines found")?;
    let departments = read_departments(&geojson)?;

    for folder in [
        "data/teams",
        "data/charts",
        "data/geo",
        "content/outils",
        "content/actualites",
        "content/offres",
    ] {
        create_dir(&dir.join(folder))?;
    }
    for file in [
        "data/professions.yaml",
        "data/themes.yaml",
        "data/tool-types.yaml",
        "data/action-kinds.yaml",
    ] {
        copy(&repo.join(file), &dir.join(file))?;
    }
    copy_tree(&repo.join("data/charts"), &dir.join("data/charts"))?;
    copy_tree(&repo.join("themes"), &dir.join("themes"))?;
    copy(&geojson, &dir.join("data/geo/departements.geojson"))?;

    let themes = vocabulary_ids(&repo.join("data/themes.yaml"))?;
    let types = vocabulary_ids(&repo.join("data/tool-types.yaml"))?;
    let kinds = vocabulary_ids(&repo.join("data/action-kinds.yaml"))?;

    write(&dir.join("data/site.yaml"), &site_yaml(&departments))?;
    let teams = generate_teams(&mut random, &departments, options.teams);
    for team in &teams {
        let text = team_yaml(&mut random, team, &departments[team.department]);
        write(&dir.join(format!("data/teams/{}.yaml", team.id)), &text)?;
    }
    let (people, groups) = people_and_groups(&mut random, &departments, &teams);
    write(&dir.join("data/people.yaml"), &people)?;
    write(&dir.join("data/groups.yaml"), &groups.0)?;
    write(
        &dir.join("data/actions.yaml"),
        &actions_yaml(&mut random, &departments, &groups.1, &kinds, options.teams),
    )?;
    let tool_slugs = generate_tools(&mut random, dir, options.tools, &themes, &types)?;
    write(
        &dir.join("data/stats.yaml"),
        &stats_yaml(&mut random, &tool_slugs),
    )?;
    generate_news(&mut random, dir, options.news, &teams)?;
    generate_offers(&mut random, dir, &teams)?;
    write(&dir.join("content/_index.md"), HOME)?;
    write(&dir.join("content/a-propos.md"), ABOUT)?;
    Ok(())
}

fn read_departments(path: &Path) -> Result<Vec<Department>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let features = json["features"]
        .as_array()
        .ok_or("no features in the outlines")?;
    let mut departments: Vec<Department> = features
        .iter()
        .filter_map(|feature| {
            let geometry = &feature["geometry"];
            let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str()? {
                "Polygon" => vec![&geometry["coordinates"]],
                "MultiPolygon" => geometry["coordinates"].as_array()?.iter().collect(),
                _ => return None,
            };
            let rings = polygons
                .into_iter()
                .filter_map(|polygon| {
                    let ring = polygon.get(0)?.as_array()?;
                    Some(
                        ring.iter()
                            .filter_map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]))
                            .collect(),
                    )
                })
                .collect();
            Some(Department {
                code: feature["properties"]["code"].as_str()?.to_string(),
                name: feature["properties"]["nom"].as_str()?.to_string(),
                rings,
            })
        })
        .collect();
    departments.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(departments)
}

fn vocabulary_ids(path: &Path) -> Result<Vec<String>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- id: "))
        .map(|id| id.trim().to_string())
        .collect())
}

fn site_yaml(departments: &[Department]) -> String {
    let mut text = String::from(
        "# Generated by `cargo run --example gen-site`: a national federation, invented.\n\
         title: Fédération nationale des MSP (site généré)\n\
         tagline: Exercice coordonné pluriprofessionnel\n\
         base_url: https://www.example.org\n\
         year: 2023\n\
         region:\n  name: France métropolitaine\n  population: 65800000\n  departments:\n",
    );
    for department in departments {
        let _ = writeln!(
            text,
            "    - {{ code: \"{}\", name: \"{}\" }}",
            department.code, department.name
        );
    }
    text.push_str(
        "contact:\n  address: \"1 rue de l'Exemple, 75000 Paris\"\n  phone: \"01 99 00 00 00\"\n  email: contact@example.org\n\
         colors: { primary: \"#00727a\", accent: \"#f28c28\" }\n\
         figures:\n  - { label: pages vues, value: 1568500, section: Information }\n  - { label: abonnés lettre d'information, value: 13320, section: Information }\n",
    );
    text
}

const CITY_STARTS: [&str; 24] = [
    "Beau",
    "Belle",
    "Bois",
    "Mont",
    "Ville",
    "Roche",
    "Font",
    "Château",
    "Pont",
    "Champ",
    "Clair",
    "Val",
    "Ker",
    "Saint-Aubin",
    "Saint-Martin",
    "Sainte-Marie",
    "Les Essarts",
    "La Chapelle",
    "Le Mesnil",
    "Neuf",
    "Grand",
    "Haut",
    "Fleury",
    "Marcilly",
];
const CITY_ENDS: [&str; 20] = [
    "fort",
    "mont",
    "ville",
    "court",
    "lieu",
    "pré",
    "val",
    "champ",
    "bourg",
    "lac",
    "-sur-Loire",
    "-en-Vallée",
    "-les-Bains",
    "-le-Vieux",
    "-du-Bois",
    "-la-Forêt",
    "villiers",
    "château",
    "-sur-Mer",
    "-des-Landes",
];
const TEAM_PREFIXES: [&str; 5] = [
    "MSP de",
    "MSP de",
    "Maison de santé de",
    "Pôle de santé de",
    "MSP du Pays de",
];
const PREVENTION: [&str; 8] = [
    "Octobre rose",
    "Mois sans tabac",
    "Mars bleu",
    "Vaccination",
    "Dépistage du diabète",
    "Sport santé",
    "Santé mentale",
    "Nutrition",
];
const ETP: [&str; 5] = [
    "Diabète de type 2",
    "Insuffisance cardiaque",
    "Asthme",
    "Obésité de l'enfant",
    "BPCO",
];
const PROTOCOLS: [&str; 8] = [
    "Anticoagulants oraux",
    "Sortie d'hospitalisation",
    "Plaies chroniques",
    "Personnes âgées fragiles",
    "Cystite simple",
    "Rhinopharyngite de l'enfant",
    "Lombalgie aiguë",
    "Soins non programmés",
];
const PROFESSIONS: [&str; 16] = [
    "medecin-generaliste",
    "infirmier",
    "infirmier-pratique-avancee",
    "masseur-kinesitherapeute",
    "pharmacien",
    "orthophoniste",
    "sage-femme",
    "chirurgien-dentiste",
    "pedicure-podologue",
    "dieteticien",
    "psychologue",
    "ergotherapeute",
    "orthoptiste",
    "psychomotricien",
    "assistant-medical",
    "medecin-specialiste",
];

fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if plain != '-' || !(slug.is_empty() || slug.ends_with('-')) {
            slug.push(plain);
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn city_name(random: &mut Random) -> String {
    let start = *random.pick(&CITY_STARTS);
    let end = *random.pick(&CITY_ENDS);
    if start.contains(['-', ' ']) && !end.starts_with('-') {
        format!("{start}-{}", capitalise(end))
    } else {
        format!("{start}{end}")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Teams spread over the departments, more in some than in others (as in
/// reality), each department with at least one team when there are enough.
fn generate_teams(random: &mut Random, departments: &[Department], count: usize) -> Vec<Team> {
    let weights: Vec<u64> = departments
        .iter()
        .map(|_| random.between(1, 4) as u64)
        .collect();
    let total: u64 = weights.iter().sum();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    (0..count)
        .map(|index| {
            let department = if index < departments.len() {
                index
            } else {
                let mut ticket = random.next() % total;
                weights
                    .iter()
                    .position(|&weight| {
                        let hit = ticket < weight;
                        ticket = ticket.saturating_sub(weight);
                        hit
                    })
                    .unwrap_or(0)
            };
            let city = city_name(random);
            let name = format!("{} {city}", random.pick(&TEAM_PREFIXES));
            let base = slugify(&name);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let (id, name) = if *n == 1 {
                (base, name)
            } else {
                (format!("{base}-{n}"), format!("{name} {n}"))
            };
            Team {
                id,
                name,
                city,
                department,
            }
        })
        .collect()
}

fn inside(rings: &[Vec<[f64; 2]>], [x, y]: [f64; 2]) -> bool {
    rings.iter().any(|ring| {
        let mut inside = false;
        for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
            if (a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] {
                inside = !inside;
            }
        }
        inside
    })
}

/// A point inside the department: drawn in its bounding box until it falls inside.
fn point_in(random: &mut Random, department: &Department) -> [f64; 2] {
    let points = department.rings.iter().flatten();
    let (mut west, mut south, mut east, mut north) = (180.0f64, 90.0f64, -180.0f64, -90.0f64);
    for p in points {
        west = west.min(p[0]);
        east = east.max(p[0]);
        south = south.min(p[1]);
        north = north.max(p[1]);
    }
    for _ in 0..1000 {
        let point = [
            west + random.unit() * (east - west),
            south + random.unit() * (north - south),
        ];
        if inside(&department.rings, point) {
            return point;
        }
    }
    [(west + east) / 2.0, (south + north) / 2.0]
}

fn team_yaml(random: &mut Random, team: &Team, department: &Department) -> String {
    let [longitude, latitude] = point_in(random, department);
    let constituted = random.chance(85);
    let mut text = format!(
        "name: \"{}\"\nstatus: {}\ncity: \"{}\"\ndepartment: \"{}\"\ncoordinates: [{latitude:.4}, {longitude:.4}]\n\
         founded: {}\nsites: {}\naci: {}\ncpts: {}\nsignatories: {}\npatients: {}\nprofessions:\n",
        team.name,
        if constituted { "constituee" } else { "projet" },
        team.city,
        department.code,
        random.between(2008, YEAR),
        if random.chance(70) {
            1
        } else {
            random.between(2, 4)
        },
        constituted && random.chance(80),
        random.chance(60),
        random.between(8, 60),
        random.between(2000, 25_000),
    );
    let professions = random.between(3, 10) as usize;
    let _ = writeln!(text, "  medecin-generaliste: {}", random.between(2, 12));
    for profession in random.some(&PROFESSIONS[1..], professions) {
        let _ = writeln!(text, "  {profession}: {}", random.between(1, 8));
    }
    text.push_str("coordinators:\n");
    for _ in 0..random.between(1, 2) {
        let _ = writeln!(
            text,
            "  - {{ pacte: {}, network: {}, liberal: {}, hours_per_week: {} }}",
            random.chance(40),
            random.chance(60),
            random.chance(55),
            random.between(2, 35)
        );
    }
    let list = |random: &mut Random, items: &[&str], most: i64| {
        let count = random.between(0, most) as usize;
        let chosen = random.some(items, count);
        let quoted: Vec<String> = chosen.iter().map(|item| format!("\"{item}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let _ = write!(
        text,
        "actions:\n  interns: {}\n  prevention: {}\n  etp: {}\n  protocols: {}\n  user_involvement: {}\n",
        random.chance(65),
        list(random, &PREVENTION, 4),
        list(random, &ETP, 2),
        list(random, &PROTOCOLS, 5),
        random.chance(30),
    );
    if random.chance(40) {
        let _ = writeln!(text, "website: https://{}.example.org", team.id);
    }
    let _ = writeln!(
        text,
        "updated: {YEAR}-{:02}-{:02}",
        random.between(1, 12),
        random.between(1, 28)
    );
    if random.chance(20) {
        let mobile = fictional_phone(random, "06 39 98");
        let _ = writeln!(
            text,
            "private: {{ contact: \"Dr {} (portable {mobile})\" }}",
            team.city
        );
    }
    text
}

/// A number in the ranges ARCEP keeps for fiction (`02 61 91`, `06 39 98`).
fn fictional_phone(random: &mut Random, prefix: &str) -> String {
    let a = random.between(10, 99);
    let b = random.between(10, 99);
    format!("{prefix} {a:02} {b:02}")
}

const FIRST_NAMES: [&str; 16] = [
    "Camille", "Claire", "Julien", "Sophie", "Thomas", "Nathalie", "Pierre", "Anne", "Hélène",
    "Nicolas", "Élodie", "Marc", "Aurélie", "Yann", "Céline", "Gaëlle",
];
const LAST_NAMES: [&str; 16] = [
    "Martin",
    "Bernard",
    "Le Goff",
    "Durand",
    "Morel",
    "Fontaine",
    "Guérin",
    "Roux",
    "Lemaire",
    "Perrin",
    "Bouvier",
    "Chevalier",
    "Gauthier",
    "Renaud",
    "Masson",
    "Colin",
];

/// Staff, board, and two referents per department; a local group per 25
/// teams of a department. Returns the people's YAML, and the groups' YAML
/// with each group's id and department.
fn people_and_groups(
    random: &mut Random,
    departments: &[Department],
    teams: &[Team],
) -> (String, (String, Vec<(String, usize)>)) {
    let mut people = String::from("# Generated: invented people (fictional phone numbers).\n");
    let mut person = |random: &mut Random, id: String, name: &str, kind: &str, role: &str| {
        let phone = fictional_phone(random, "02 61 91");
        let _ = write!(
            people,
            "- id: {id}\n  name: {name}\n  kind: {kind}\n  role: \"{role}\"\n  email: {id}@example.org\n  phone: \"{phone}\"\n",
        );
        if random.chance(30) {
            let mobile = fictional_phone(random, "06 39 98");
            let _ = writeln!(people, "  private: {{ mobile: \"{mobile}\" }}");
        }
    };
    for (index, role) in [
        "Directrice",
        "Chargée de communication",
        "Coordinateur régional",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("{} {}", FIRST_NAMES[index], LAST_NAMES[index]);
        person(random, format!("staff-{}", index + 1), &name, "staff", role);
    }
    for index in 0..12 {
        let name = format!(
            "{} {}",
            FIRST_NAMES[index + 3],
            LAST_NAMES[(index + 5) % 16]
        );
        let role = if index == 0 {
            "Président"
        } else {
            "Administrateur"
        };
        person(random, format!("board-{}", index + 1), &name, "board", role);
    }
    let mut groups = String::from("# Generated: local groups of at most 25 teams.\n");
    let mut group_ids = Vec::new();
    for (index, department) in departments.iter().enumerate() {
        let referents: Vec<String> = (1..=2)
            .map(|n| format!("referent-{}-{n}", department.code.to_lowercase()))
            .collect();
        for id in &referents {
            let name = format!("{} {}", random.pick(&FIRST_NAMES), random.pick(&LAST_NAMES));
            let role = format!("Référent du réseau, {}", department.name);
            person(random, id.clone(), &name, "staff", &role);
        }
        let members: Vec<&Team> = teams.iter().filter(|t| t.department == index).collect();
        for (n, chunk) in members.chunks(25).enumerate() {
            let id = format!("{}-{}", department.code.to_lowercase(), n + 1);
            let _ = write!(
                groups,
                "- id: {id}\n  name: \"Groupe local {} {}\"\n  department: \"{}\"\n  referents: [{}]\n  teams:\n",
                department.name,
                n + 1,
                department.code,
                referents.join(", ")
            );
            for team in chunk {
                let _ = writeln!(groups, "    - {}", team.id);
            }
            group_ids.push((id, index));
        }
    }
    (people, (groups, group_ids))
}

fn actions_yaml(
    random: &mut Random,
    departments: &[Department],
    groups: &[(String, usize)],
    kinds: &[String],
    teams: usize,
) -> String {
    let mut text = String::from("# Generated: the year's actions.\n");
    // Every local group meets one to three times in the year.
    for (group, department) in groups {
        let mut dates: Vec<(i64, i64)> = (0..random.between(1, 3))
            .map(|_| (random.between(1, 12), random.between(1, 28)))
            .collect();
        dates.sort_unstable();
        for (meeting, (month, day)) in dates.into_iter().enumerate() {
            let _ = write!(
                text,
                "- title: \"Rencontre n° {} du groupe local\"\n  kind: groupe-local\n  date: {YEAR}-{month:02}-{day:02}\n  participants: {}\n  group: {group}\n  department: \"{}\"\n",
                meeting + 1,
                random.between(4, 25),
                departments[*department].code
            );
        }
    }
    let count = (teams / 4).max(20);
    for index in 0..count {
        let kind = random.pick(kinds).clone();
        let _ = write!(
            text,
            "- title: \"Rencontre n° {} – {}\"\n  kind: {kind}\n  date: {YEAR}-{:02}-{:02}\n  participants: {}\n",
            index + 1,
            kind.replace('-', " "),
            random.between(1, 12),
            random.between(1, 28),
            random.between(5, 120),
        );
        if kind == "groupe-local" && !groups.is_empty() {
            let (group, department) = random.pick(groups);
            let _ = write!(
                text,
                "  group: {group}\n  department: \"{}\"\n",
                departments[*department].code
            );
        } else if random.chance(50) {
            let _ = writeln!(text, "  department: \"{}\"", random.pick(departments).code);
        }
        if random.chance(50) {
            let _ = writeln!(text, "  teams: {}", random.between(1, 30));
        }
        if random.chance(20) {
            text.push_str("  new: true\n");
        }
    }
    text
}

const TOOL_TOPICS: [&str; 20] = [
    "le protocole pluriprofessionnel",
    "la réunion de concertation",
    "le projet de santé",
    "l'accueil d'un interne",
    "la démarche qualité",
    "le système d'information partagé",
    "l'implication des usagers",
    "l'éducation thérapeutique",
    "la prévention du risque cardiovasculaire",
    "la coordination des soins non programmés",
    "le recrutement d'un coordinateur",
    "la SISA et l'ACI",
    "la communication de la MSP",
    "le dépistage organisé",
    "la sortie d'hospitalisation",
    "la vaccination en équipe",
    "le parcours des personnes âgées",
    "la santé mentale en soins primaires",
    "l'exercice en binôme",
    "le bilan annuel de l'équipe",
];
const TOOL_VERBS: [&str; 8] = [
    "Préparer",
    "Animer",
    "Évaluer",
    "Rédiger",
    "Organiser",
    "Financer",
    "Présenter",
    "Suivre",
];
const KEYWORDS: [&str; 16] = [
    "RCP",
    "ACI",
    "SISA",
    "ETP",
    "protocole",
    "CPTS",
    "ARS",
    "HAS",
    "coordination",
    "usagers",
    "qualité",
    "prévention",
    "internes",
    "dépistage",
    "financement",
    "outil numérique",
];

fn tool_body(random: &mut Random, topic: &str) -> String {
    let mut body = format!(
        "Cette fiche aide l'équipe à travailler sur {topic}. Elle rassemble ce que les MSP du réseau ont appris en le faisant, étape par étape.\n\n## Pour qui ?\n\nPour les coordinateurs et les professionnels qui portent {topic} dans leur équipe.\n\n## Les étapes\n\n"
    );
    for step in 1..=random.between(3, 6) {
        let _ = writeln!(
            body,
            "{step}. Étape {step} : réunir l'équipe, fixer un objectif mesurable et un calendrier ;"
        );
    }
    body.push_str("\n## À retenir\n\n");
    for _ in 0..random.between(1, 3) {
        body.push_str("Un outil n'est utile que s'il est partagé : présentez-le en réunion d'équipe, adaptez-le à votre territoire et gardez une trace des décisions. **Le réseau des coordinateurs** peut vous accompagner.\n\n");
    }
    body
}

fn generate_tools(
    random: &mut Random,
    dir: &Path,
    count: usize,
    themes: &[String],
    types: &[String],
) -> Result<Vec<String>, String> {
    let mut slugs = Vec::with_capacity(count);
    for index in 0..count {
        let topic = *random.pick(&TOOL_TOPICS);
        let title = format!("{} {topic} (n° {})", random.pick(&TOOL_VERBS), index + 1);
        let slug = slugify(&title);
        let theme_count = random.between(1, 3) as usize;
        let chosen_themes = random.some(themes, theme_count);
        let keyword_count = random.between(1, 4) as usize;
        let keywords = random.some(&KEYWORDS, keyword_count);
        let text = format!(
            "---\ntitle: \"{title}\"\ntype: {}\nthemes: [{}]\nkeywords: [{}]\ndate: {}-{:02}-{:02}\nsummary: \"Une fiche pour {topic}, avec les étapes et les points d'attention.\"\n---\n\n{}",
            random.pick(types),
            chosen_themes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            keywords
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", "),
            random.between(2015, YEAR),
            random.between(1, 12),
            random.between(1, 28),
            tool_body(random, topic),
        );
        write(&dir.join(format!("content/outils/{slug}.md")), &text)?;
        slugs.push(slug);
    }
    Ok(slugs)
}

fn stats_yaml(random: &mut Random, tools: &[String]) -> String {
    let mut text = String::from("# Generated: views of some tools.\n");
    for tool in random.some(tools, tools.len().min(300)) {
        let _ = writeln!(
            text,
            "- {{ tool: {tool}, views: {} }}",
            random.between(10, 3000)
        );
    }
    text
}

fn generate_news(
    random: &mut Random,
    dir: &Path,
    count: usize,
    teams: &[Team],
) -> Result<(), String> {
    for index in 0..count {
        let team = random.pick(teams);
        let title = format!(
            "{} : {} (n° {})",
            team.name,
            random.pick(&["Inspir'Café", "Les MSP ont du talent", "Journée d'équipe"]),
            index + 1
        );
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: {}-{:02}-{:02}\nsummary: \"Des nouvelles de la {} et de son projet de santé.\"\n---\n\nLa [{}](/equipes/{}/) a réuni son équipe autour de son projet de santé. Retour sur une journée riche en échanges.\n\n- un atelier sur les protocoles ;\n- une table ronde avec les usagers ;\n- un temps convivial.\n",
            random.between(2019, YEAR),
            random.between(1, 12),
            random.between(1, 28),
            team.name,
            team.name,
            team.id
        );
        write(
            &dir.join(format!("content/actualites/{}.md", slugify(&title))),
            &text,
        )?;
    }
    Ok(())
}

fn generate_offers(random: &mut Random, dir: &Path, teams: &[Team]) -> Result<(), String> {
    for index in 0..(teams.len() / 50).max(1).min(teams.len()) {
        let team = random.pick(teams);
        let position = random.pick(&["Coordinateur", "Médecin généraliste", "Infirmier"]);
        let title = format!("{} recrute : {position} (n° {})", team.name, index + 1);
        let text = format!(
            "---\ntitle: \"{title}\"\nteam: {}\nposition: \"{position}\"\ndate: {YEAR}-{:02}-{:02}\nexpires: 2099-12-31\nsummary: \"Rejoignez une équipe pluriprofessionnelle.\"\n---\n\nL'équipe recrute. Écrivez-lui.\n",
            team.id,
            random.between(1, 12),
            random.between(1, 28),
        );
        write(
            &dir.join(format!("content/offres/{}.md", slugify(&title))),
            &text,
        )?;
    }
    Ok(())
}

const HOME: &str = "---\ntitle: Accueil\n---\n\nLa fédération nationale des maisons de santé pluriprofessionnelles (site généré pour les mesures).\n";
const ABOUT: &str = "---\ntitle: À propos\n---\n\nUn site généré par `gen-site` : toutes les équipes, tous les outils et toutes les actualités sont inventés.\n";

fn create_dir(path: &Path) -> Result<(), String> {
    fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    create_dir(to)?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}
