//! French number, date and punctuation conventions, shared by pages and
//! infographics: `719 920`, `18 %`, `11,6 h`, `21 septembre 2023`, and a narrow
//! no-break space before `; : ! ?` and inside « guillemets ».

use crate::data::Date;

/// U+202F NARROW NO-BREAK SPACE: thousands separator and space before high punctuation.
pub const NNBSP: char = '\u{202F}';

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `719920` → `719 920` (narrow no-break space between groups of three digits).
pub fn integer(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if value < 0 {
        grouped.push('−');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(NNBSP);
        }
        grouped.push(digit);
    }
    grouped
}

/// At most `decimals` decimals with a decimal comma; no decimals for a whole
/// number: `9.0` → `9`, `11.64` → `11,6`, `12345.5` → `12 345,5`.
pub fn decimal(value: f64, decimals: u32) -> String {
    let factor = 10f64.powi(decimals as i32);
    let scaled = round_half_up(value * factor);
    let whole = (scaled / factor).trunc();
    let fraction = (scaled - whole * factor).abs().round() as u64;
    let mut text = integer(whole as i64);
    if value < 0.0 && whole == 0.0 && fraction > 0 {
        text.insert(0, '−');
    }
    if fraction > 0 {
        let mut fraction_text = format!("{fraction:0width$}", width = decimals as usize);
        while fraction_text.ends_with('0') {
            fraction_text.pop();
        }
        text.push(',');
        text.push_str(&fraction_text);
    }
    text
}

/// A file size as French readers write it: `800 octets`, `35 ko`, `1,2 Mo`
/// (decimal units, as file managers show them).
pub fn file_size(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes}{NNBSP}octets"),
        1_000..=999_999 => format!("{}{NNBSP}ko", decimal(bytes as f64 / 1_000.0, 0)),
        _ => format!("{}{NNBSP}Mo", decimal(bytes as f64 / 1_000_000.0, 1)),
    }
}

/// `18` → `18 %`.
pub fn percent(value: i64) -> String {
    format!("{}{NNBSP}%", integer(value))
}

/// Rounds half away from zero, as a reader expects (`18.5` → `19`), immune to
/// binary representation noise such as `0.285 * 100 = 28.499999…`.
pub fn round_half_up(value: f64) -> f64 {
    let nudged = value + value.signum() * 1e-9;
    nudged.round()
}

/// `2023-09-21` → `21 septembre 2023` (and `1er` for the first of the month).
pub fn long_date(date: Date) -> String {
    let month = MONTHS[(date.month - 1) as usize];
    if date.day == 1 {
        format!("1er {month} {}", date.year)
    } else {
        format!("{} {month} {}", date.day, date.year)
    }
}

/// `septembre 2023`.
pub fn month_year(date: Date) -> String {
    format!("{} {}", MONTHS[(date.month - 1) as usize], date.year)
}

/// French spacing around punctuation in running text.
///
/// A space before `; : ! ?` or `»`, and after `«`, becomes a narrow no-break
/// space so that the sign never starts a line; `; ! ?` and guillemets written
/// without a space get one. A colon written without a space is left alone:
/// it is a time (`12:30`) or a URL more often than a typo.
pub fn typography(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (index, &c) in chars.iter().enumerate() {
        let next = chars.get(index + 1).copied();
        let previous = index.checked_sub(1).map(|i| chars[i]);
        match c {
            ' ' | '\u{00A0}' if matches!(next, Some(';' | ':' | '!' | '?' | '»')) => {
                out.push(NNBSP)
            }
            ' ' | '\u{00A0}' if previous == Some('«') => out.push(NNBSP),
            ';' | '!' | '?' | '»'
                if previous.is_some_and(char::is_alphanumeric) && ends_word(next, c) =>
            {
                out.push(NNBSP);
                out.push(c);
            }
            '\'' if previous.is_some_and(char::is_alphabetic)
                && next.is_some_and(char::is_alphabetic) =>
            {
                out.push('’')
            }
            '«' => {
                out.push(c);
                if next.is_some_and(char::is_alphanumeric) {
                    out.push(NNBSP);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether a `; ! ?` is sentence punctuation (followed by a space, the end, or
/// more punctuation) rather than part of a URL or code like `?id=3`.
fn ends_word(next: Option<char>, c: char) -> bool {
    match next {
        None => true,
        Some(n) => {
            n.is_whitespace()
                || (c != '»' && matches!(n, '!' | '?' | ')' | '»' | '"' | '.'))
                || (c == '»' && !n.is_alphanumeric())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nn(s: &str) -> String {
        s.replace('_', "\u{202F}")
    }

    #[test]
    fn groups_thousands_with_narrow_spaces() {
        assert_eq!(integer(719920), nn("719_920"));
        assert_eq!(integer(2382), nn("2_382"));
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1_000_000), nn("1_000_000"));
        assert_eq!(integer(0), "0");
    }

    #[test]
    fn decimals_use_a_comma_and_drop_a_zero_fraction() {
        assert_eq!(decimal(11.64, 1), "11,6");
        assert_eq!(decimal(9.0, 1), "9");
        assert_eq!(decimal(8.96, 1), "9");
        assert_eq!(decimal(0.25, 1), "0,3");
        assert_eq!(decimal(12345.5, 1), nn("12_345,5"));
    }

    #[test]
    fn file_sizes_use_french_units() {
        assert_eq!(file_size(512), nn("512_octets"));
        assert_eq!(file_size(35_400), nn("35_ko"));
        assert_eq!(file_size(1_234_567), nn("1,2_Mo"));
    }

    #[test]
    fn percent_has_a_narrow_space() {
        assert_eq!(percent(18), nn("18_%"));
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round_half_up(18.5), 19.0);
        assert_eq!(round_half_up(0.285 * 100.0), 29.0);
    }

    #[test]
    fn long_dates_are_written_in_french() {
        assert_eq!(
            long_date(Date {
                year: 2023,
                month: 9,
                day: 21
            }),
            "21 septembre 2023"
        );
        assert_eq!(
            long_date(Date {
                year: 2023,
                month: 2,
                day: 1
            }),
            "1er février 2023"
        );
    }

    #[test]
    fn punctuation_gets_narrow_no_break_spaces() {
        assert_eq!(typography("Attention : ceci !"), nn("Attention_: ceci_!"));
        assert_eq!(
            typography("Pourquoi? Parce que!"),
            nn("Pourquoi_? Parce que_!")
        );
        assert_eq!(
            typography("« Le salariat en SISA »"),
            nn("«_Le salariat en SISA_»")
        );
        assert_eq!(typography("«Bonjour»"), nn("«_Bonjour_»"));
        assert_eq!(typography("L'équipe d'Angers"), "L’équipe d’Angers");
        assert_eq!(
            typography("à 12:30, voir https://x.org/?a=1"),
            "à 12:30, voir https://x.org/?a=1"
        );
    }
}
