//! Fictional Chinese petition (信访) text corpus for Hearken demo data.
//!
//! Generates realistic-looking but entirely made-up petition contents,
//! demands, respondents, personal names, phone numbers, company names and
//! addresses. A text is assembled from `const` fragment tables: an opening,
//! one to three category-specific facts, optionally what the petitioner has
//! already tried and a closing line. Fragments contain `{X}` placeholders that
//! are expanded from a per-text context (place, amounts, dates, counts,
//! generated names), so numbers and names stay consistent within one text.
//!
//! All names, companies and units are invented; place names only come from
//! the caller's `place` / `city` arguments, and phone numbers use the 170
//! virtual-operator prefix. Generation is allocation-light (one `String` per
//! output field) and takes a few microseconds per call.

use rand::Rng;
use std::fmt::Write as _;

/// A generated petition text, in Chinese, realistic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionText {
    /// 信访内容: 2–6 sentences, 80–400 Chinese characters.
    pub content: String,
    /// 诉求: 1–2 sentences.
    pub demands: String,
    /// The unit or company complained about (被反映单位); may be "" for suggestions.
    pub respondent: String,
}

const MIN_CHARS: usize = 80;
const MAX_CHARS: usize = 400;

/// Pick one element of a non-empty const table.
fn pick<'a, R: Rng + ?Sized>(rng: &mut R, xs: &[&'a str]) -> &'a str {
    xs[rng.gen_range(0..xs.len())]
}

/// Pick one `width`-character entry from a table written as a single run of
/// CJK characters (3 bytes each in UTF-8).
fn pick_cjk<R: Rng + ?Sized>(rng: &mut R, table: &'static str, width: usize) -> &'static str {
    let w = width * 3;
    let i = rng.gen_range(0..table.len() / w) * w;
    table.get(i..i + w).unwrap_or("")
}

// Name and place fragments, written as runs of fixed-width CJK entries.
use super::corpus_data::*;

/// Resolve a category code: exact code (random scene), else any topic under
/// the same parent (so parent codes pick a random leaf), else the generic one.
fn find_topic<R: Rng + ?Sized>(rng: &mut R, category: &str) -> &'static Topic {
    let parent = category.split('.').next().unwrap_or(category);
    let exact = |t: &&Topic| t.code == category;
    let family = |t: &&Topic| t.code.split('.').next() == Some(parent);
    let n = TOPICS.iter().filter(exact).count();
    let found = if n > 0 {
        TOPICS.iter().filter(exact).nth(rng.gen_range(0..n))
    } else {
        let n = TOPICS.iter().filter(family).count();
        let k = if n > 0 { rng.gen_range(0..n) } else { 0 };
        TOPICS.iter().filter(family).nth(k)
    };
    found.unwrap_or(GENERIC)
}

/// Numeric placeholders and their inclusive ranges: year, month, day, months,
/// people, small count, age, mu (亩), square metres, times.
const NUM_KEYS: &[u8; 10] = b"YOTMNnGkqJ";
#[rustfmt::skip]
const NUM_RANGES: [(u32, u32); 10] =
    [(2023, 2026), (1, 12), (1, 28), (2, 18), (2, 60), (2, 9), (60, 88), (1, 12), (20, 260), (2, 8)];

/// Per-text values substituted into placeholders.
struct Ctx<'a> {
    place: &'a str,
    district: &'a str,
    short: &'a str,
    gov: [&'a str; 2],
    label: &'static str,
    dept: &'static str,
    brand: &'static str,
    village: &'a str,
    estate: [&'static str; 2],
    person: [&'static str; 3],
    amount: u32,
    small: u32,
    nums: [u32; 10],
}

impl Ctx<'_> {
    /// Text placeholders, as up to three pieces to concatenate.
    fn parts<'s>(&'s self, key: u8, resp: &'s str) -> [&'s str; 3] {
        match key {
            b'P' => [self.place, "", ""],
            b'S' => [self.short, "", ""],
            b'Q' if self.district.is_empty() => ["当地", "", ""],
            b'Q' => [self.district, "", ""],
            b'Z' => [self.gov[0], self.gov[1], ""],
            b'R' => [resp, "", ""],
            b'I' => [self.label, "", ""],
            b'B' => [self.brand, "", ""],
            b'V' => [self.village, "", ""],
            b'H' => [self.estate[0], self.estate[1], ""],
            b'X' => self.person,
            _ => ["", "", ""],
        }
    }
}

/// Administrative-level markers ending a district or city name.
const MARKERS: [char; 3] = ['区', '县', '市'];
/// Place suffixes and the matching local government.
#[rustfmt::skip]
const LEVELS: [(&str, &str); 4] = [("街道", "街道办事处"), ("镇", "镇人民政府"), ("乡", "乡人民政府"), ("社区", "社区居民委员会")];

/// Parts of a place name such as "杭州市西湖区留下街道幸福村".
struct PlaceParts<'a> {
    /// County-level name "西湖区" (or "杭州市" for a city); empty when there is none.
    district: &'a str,
    /// Short township (or district) name: "留下".
    short: &'a str,
    /// Local government as two pieces: "留下" + "街道办事处".
    gov: [&'a str; 2],
    /// Village named in the place ("幸福" for "幸福村"), if any.
    village: Option<&'a str>,
}

fn split_place(place: &str) -> PlaceParts<'_> {
    // Byte index just after the last 区/县 (not 社区), else the last 市, so that
    // names such as "米市巷街道" stay whole. All three are 3 bytes in UTF-8.
    let after = |s: &str| {
        let county = s
            .rmatch_indices(['区', '县'])
            .find(|&(i, _)| !s[..i].ends_with('社'));
        county
            .map(|(i, _)| i)
            .or_else(|| s.rfind('市'))
            .map_or(0, |i| i + 3)
    };
    let (full, tail) = place.split_at(after(place));
    // Drop the city prefix: "杭州市西湖区" -> "西湖区".
    let inner = full.get(..full.len().saturating_sub(3)).unwrap_or("");
    let district = &full[after(inner)..];
    if tail.is_empty() {
        let core = place.trim_end_matches(MARKERS);
        let short = &core[after(core)..];
        let short = if short.is_empty() { place } else { short };
        return PlaceParts {
            district,
            short,
            gov: [district, "人民政府"],
            village: None,
        };
    }
    for (suffix, gov) in LEVELS {
        if let Some((short, rest)) = tail.split_once(suffix).filter(|(s, _)| !s.is_empty()) {
            let village = rest.strip_suffix('村').filter(|v| !v.is_empty());
            return PlaceParts {
                district,
                short,
                gov: [short, gov],
                village,
            };
        }
    }
    PlaceParts {
        district,
        short: tail,
        gov: [tail, "有关部门"],
        village: None,
    }
}

/// Write an amount as "126500元" or, when it is a round thousand, "12.6万元".
fn push_amount(out: &mut String, v: u32) {
    let _ = match (v >= 10_000 && v.is_multiple_of(1_000), (v % 10_000) / 1_000) {
        (true, 0) => write!(out, "{}万元", v / 10_000),
        (true, r) => write!(out, "{}.{r}万元", v / 10_000),
        _ => write!(out, "{v}元"),
    };
}

/// Expand the `{X}` placeholders of `tpl` into `out`.
fn expand(out: &mut String, tpl: &str, c: &Ctx, resp: &str) {
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let key = rest.as_bytes().get(i + 1).copied().unwrap_or(b'?');
        rest = rest.get(i + 3..).unwrap_or("");
        match key {
            b'U' => expand(out, c.dept, c, resp),
            b'A' => push_amount(out, c.amount),
            b'a' => {
                let _ = write!(out, "{}元", c.small);
            }
            _ => match NUM_KEYS.iter().position(|&k| k == key) {
                Some(j) => {
                    let _ = write!(out, "{}", c.nums[j]);
                }
                None => c.parts(key, resp).iter().for_each(|p| out.push_str(p)),
            },
        }
    }
    out.push_str(rest);
}

/// Back-references ("该公司") for a respondent already named in the text, by name suffix.
#[rustfmt::skip]
const ALIASES: [(&str, &str); 28] = [
    ("有限公司", "该公司"), ("厂", "该厂"), ("药房", "该药房"), ("超市", "该超市"), ("俱乐部", "该俱乐部"), ("商行", "该商行"),
    ("医院", "该医院"), ("中心", "该中心"), ("村民委员会", "该村委会"), ("居民委员会", "该居委会"), ("业主委员会", "该业委会"),
    ("合作社", "该合作社"), ("酒吧", "该酒吧"), ("KTV", "该KTV"), ("店", "该店"), ("酒家", "该店"), ("幼儿园", "该园"),
    ("学", "该校"), ("派出所", "该所"), ("大队", "该大队"), ("中队", "该中队"), ("服务站", "该服务站"), ("指挥部", "该指挥部"),
    ("办事处", "该办事处"), ("人民政府", "当地政府"), ("人民法庭", "该法庭"), ("执行局", "该执行局"), ("局", "该局"),
];

/// Append one expanded fragment, dropping it again if the text would exceed
/// `MAX_CHARS`. A respondent already named is referred back to as "该公司" etc.
fn push(out: &mut String, tpl: &str, c: &Ctx, resp: &str) {
    let mark = out.len();
    let named = !resp.is_empty() && out.contains(resp);
    let alias = ALIASES.iter().find(|(suffix, _)| resp.ends_with(suffix));
    let resp = alias.filter(|_| named).map_or(resp, |&(_, a)| a);
    expand(out, tpl, c, resp);
    if out.chars().count() > MAX_CHARS {
        out.truncate(mark);
    }
}

/// How one kind of petition is written: openings, optional tail sentences with
/// their probabilities, demands (empty = the topic's own) and an optional
/// second demand sentence with its probability.
struct Voice {
    open: &'static [&'static str],
    tails: [(&'static [&'static str], f64); 2],
    demand: &'static [&'static str],
    extra: (&'static [&'static str], f64),
}

#[rustfmt::skip]
const CLAIM: Voice = Voice {
    open: CLAIM_OPEN, tails: [(CLAIM_TRIED, 0.6), (CLAIM_CLOSE, 0.6)], demand: &[], extra: (CLAIM_DEM_EXTRA, 0.4),
};
#[rustfmt::skip]
const ACCUSATION: Voice = Voice {
    open: ACC_OPEN, tails: [(ACC_EVID, 0.6), (ACC_CLOSE, 0.4)], demand: ACC_DEM, extra: (ACC_DEM_EXTRA, 0.35),
};
#[rustfmt::skip]
const SUGGESTION: Voice = Voice {
    open: SUG_OPEN, tails: [(SUG_OBS, 0.85), (SUG_CLOSE, 0.5)], demand: SUG_DEM, extra: (SUG_DEM_EXTRA, 0.3),
};

/// Generate a petition text. `category` is a category code (leaf or parent;
/// unknown codes fall back to their parent family, then to a generic text),
/// `kind` is "suggestion" | "accusation" | "claim" (anything else is written
/// as a claim), and `place` is used inside the text.
pub fn petition_text<R: Rng + ?Sized>(
    rng: &mut R,
    category: &str,
    kind: &str,
    place: &str,
) -> PetitionText {
    let topic = find_topic(rng, category);
    let suggestion = kind == "suggestion";
    let (voice, body) = match kind {
        "suggestion" => (&SUGGESTION, topic.suggest.get(1..).unwrap_or_default()),
        "accusation" => (&ACCUSATION, topic.accuse),
        _ => (&CLAIM, topic.claim),
    };
    let parts = split_place(place);
    let mut amount = rng.gen_range(30..=3_800u32) * 100;
    if amount >= 10_000 && rng.gen_bool(0.5) {
        amount -= amount % 1_000;
    }
    let label = if suggestion {
        topic.area
    } else {
        pick(rng, topic.labels)
    };
    let [given, given2] = given_name(rng, true);
    let ctx = Ctx {
        place,
        district: parts.district,
        short: parts.short,
        gov: parts.gov,
        label,
        dept: pick(rng, topic.dept),
        brand: pick_cjk(rng, BRANDS, 2),
        village: parts.village.unwrap_or_else(|| pick_cjk(rng, VILLAGES, 2)),
        estate: [pick_cjk(rng, ESTATE_A, 2), pick_cjk(rng, ESTATE_B, 2)],
        person: [pick_cjk(rng, SURNAMES, 1), given, given2],
        amount,
        small: rng.gen_range(30..=980) * 10,
        nums: NUM_RANGES.map(|(lo, hi)| rng.gen_range(lo..=hi)),
    };
    let mut respondent = String::with_capacity(64);
    if !suggestion {
        expand(&mut respondent, pick(rng, topic.resp), &ctx, "");
    } else if rng.gen_bool(0.5) {
        expand(&mut respondent, ctx.dept, &ctx, "");
    }
    let add = |out: &mut String, tpl: &str| push(out, tpl, &ctx, &respondent);
    let mut content = String::with_capacity(1024);
    add(&mut content, pick(rng, voice.open));
    let problem = topic.suggest.first().copied().unwrap_or_default();
    if suggestion && rng.gen_bool(0.6) {
        add(&mut content, problem);
    }
    // 1–3 distinct body fragments (suggestions: 1–2 proposals), kept in table order.
    let count = [1, 1, 2, 2, 2, 2, 2, 3, 3, 3][rng.gen_range(0..10)];
    let count = if suggestion { 1 + count / 2 } else { count };
    let n = body.len().min(32);
    let mut mask = 0u32;
    while (mask.count_ones() as usize) < count.min(n) {
        mask |= 1 << rng.gen_range(0..n);
    }
    for (i, x) in body.iter().take(n).enumerate() {
        if mask >> i & 1 == 1 {
            add(&mut content, x);
        }
    }
    for (table, p) in voice.tails {
        if rng.gen_bool(p) {
            add(&mut content, pick(rng, table));
        }
    }
    let start = rng.gen_range(0..PAD.len());
    for k in 0..PAD.len() {
        if content.chars().count() >= MIN_CHARS {
            break;
        }
        add(&mut content, PAD[(start + k) % PAD.len()]);
    }
    let demand = Some(voice.demand)
        .filter(|d| !d.is_empty())
        .unwrap_or(topic.demand);
    let mut demands = String::with_capacity(192);
    expand(&mut demands, pick(rng, demand), &ctx, &respondent);
    if rng.gen_bool(voice.extra.1) {
        expand(&mut demands, pick(rng, voice.extra.0), &ctx, &respondent);
    }
    PetitionText {
        content,
        demands,
        respondent,
    }
}

/// Given name of one or two characters, or "某" (as clerks anonymise) if `mou`.
fn given_name<R: Rng + ?Sized>(rng: &mut R, mou: bool) -> [&'static str; 2] {
    if mou && rng.gen_bool(0.5) {
        return ["某", ""];
    }
    let first = pick_cjk(rng, GIVEN, 1);
    let two = rng.gen_bool(0.6);
    [first, if two { pick_cjk(rng, GIVEN, 1) } else { "" }]
}

/// A plausible Chinese personal name (surname + 1–2 char given name), from common surnames.
pub fn person_name<R: Rng + ?Sized>(rng: &mut R) -> String {
    let [a, b] = given_name(rng, false);
    [pick_cjk(rng, SURNAMES, 1), a, b].concat()
}

/// A plausible but fake mainland mobile number: "170" (virtual-operator range)
/// followed by 8 random digits, 11 digits total.
pub fn phone<R: Rng + ?Sized>(rng: &mut R) -> String {
    let mut s = String::with_capacity(11);
    let _ = write!(s, "170{:08}", rng.gen_range(0..100_000_000u32));
    s
}

/// A street address inside `place`, e.g. "{place}幸福路18号3幢2单元501室".
pub fn address<R: Rng + ?Sized>(rng: &mut R, place: &str) -> String {
    let mut s = String::with_capacity(place.len() + 64);
    s.push_str(place);
    let [a, b, c] = [(1, 388), (1, 30), (1, 6)].map(|(lo, hi)| rng.gen_range(lo..=hi));
    let room = rng.gen_range(1..=33) * 100 + rng.gen_range(1..=4);
    let _ = match rng.gen_range(0..10) {
        0..=3 => write!(s, "{}{a}号{b}幢{c}单元{room}室", pick_cjk(rng, ROADS, 3)),
        4..=6 => {
            let estate = (pick_cjk(rng, ESTATE_A, 2), pick_cjk(rng, ESTATE_B, 2));
            write!(s, "{}{}{b}幢{c}单元{room}室", estate.0, estate.1)
        }
        7..=8 => {
            let village = pick_cjk(rng, VILLAGES, 2);
            write!(s, "{village}村{}组{}号", b % 15 + 1, a % 120 + 1)
        }
        _ => write!(s, "{}{a}号", pick_cjk(rng, ROADS, 3)),
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[rustfmt::skip]
    const CODES: &[&str] = &[
        "labor", "labor.wages", "labor.social_insurance", "labor.pension", "labor.contract", "land", "land.requisition",
        "land.contract", "land.homestead", "housing", "housing.expropriation", "housing.property", "housing.delivery",
        "housing.security", "market", "market.food", "market.drug", "market.consumer", "law", "law.conduct",
        "law.litigation", "environment", "environment.pollution", "environment.noise", "rural", "rural.subsidy",
        "rural.collective", "health", "health.medical", "education", "education.enrolment", "education.fees", "civil",
        "civil.assistance", "civil.veterans", "transport", "discipline", "other",
    ];
    const KINDS: &[&str] = &["suggestion", "accusation", "claim"];
    #[rustfmt::skip]
    const PLACES: &[&str] = &["杭州市西湖区留下街道", "杭州市余杭区良渚镇", "杭州市", "温州市瑞安市", "杭州市西湖区留下街道幸福村", "某某乡", ""];
    /// Shared tables whose fragments are used by suggestions (must not use `{R}`).
    #[rustfmt::skip]
    const NO_R: [&[&str]; 7] = [SUG_OPEN, SUG_OBS, SUG_CLOSE, SUG_DEM, SUG_DEM_EXTRA, PAD, ACC_DEM_EXTRA];
    #[rustfmt::skip]
    const OTHER: [&[&str]; 8] =
        [CLAIM_OPEN, CLAIM_TRIED, CLAIM_CLOSE, CLAIM_DEM_EXTRA, ACC_OPEN, ACC_EVID, ACC_CLOSE, ACC_DEM];

    fn sentences(s: &str) -> usize {
        s.matches(['。', '！', '？']).count()
    }

    #[test]
    fn every_category_and_kind_is_well_formed() {
        let mut rng = StdRng::seed_from_u64(7);
        for code in CODES.iter().chain(&["unknown", "labor.unknown", ""]) {
            for kind in KINDS {
                for i in 0..400 {
                    let place = PLACES[i % PLACES.len()];
                    let t = petition_text(&mut rng, code, kind, place);
                    let ok = (MIN_CHARS..=MAX_CHARS).contains(&t.content.chars().count())
                        && (2..=6).contains(&sentences(&t.content))
                        && (1..=2).contains(&sentences(&t.demands))
                        && t.content.contains(place)
                        && t.content.ends_with('。')
                        && t.demands.ends_with('。')
                        && (*kind == "suggestion" || !t.respondent.is_empty())
                        && [&t.content, &t.demands, &t.respondent]
                            .iter()
                            .all(|s| !s.contains(['{', '}']));
                    assert!(ok, "{code} {kind}: {t:?}");
                }
            }
        }
    }

    #[test]
    fn tables_are_well_formed() {
        let topics = TOPICS
            .iter()
            .flat_map(|t| [t.claim, t.accuse, t.suggest, t.demand]);
        let runs = [
            (SURNAMES, 1),
            (GIVEN, 1),
            (BRANDS, 2),
            (ESTATE_A, 2),
            (ESTATE_B, 2),
            (VILLAGES, 2),
            (ROADS, 3),
        ];
        for table in NO_R.into_iter().chain(OTHER).chain(topics) {
            let ok = table.iter().all(|f| sentences(f) == 1 && f.ends_with('。'));
            assert!(ok && !table.is_empty(), "{table:?}");
        }
        for table in NO_R.into_iter().chain(TOPICS.iter().map(|t| t.suggest)) {
            assert!(table.iter().all(|f| !f.contains("{R}")), "{table:?}");
        }
        assert_eq!(GENERIC.code, "other");
        for t in TOPICS {
            let ok = t.suggest.len() >= 2 && !t.resp.is_empty() && !t.dept.is_empty();
            assert!(ok && !t.labels.is_empty(), "{}", t.code);
        }
        for (run, width) in runs {
            assert!(run.chars().all(|c| c.len_utf8() == 3) && run.len() % (width * 3) == 0);
        }
    }

    #[test]
    fn named_respondent_is_referred_back_to() {
        let mut rng = StdRng::seed_from_u64(5);
        let t = (0..1000)
            .map(|_| petition_text(&mut rng, "labor.wages", "claim", "西湖区"))
            .find(|t| t.content.contains("该公司"));
        assert!(t.is_some_and(|t| t.content.matches(t.respondent.as_str()).count() == 1));
    }

    #[test]
    fn place_is_split_sensibly() {
        #[rustfmt::skip]
        let cases = [
            ("杭州市西湖区留下街道幸福村", ("西湖区", "留下", ["留下", "街道办事处"], Some("幸福"))),
            ("杭州市上城区米市巷街道", ("上城区", "米市巷", ["米市巷", "街道办事处"], None)),
            ("杭州市余杭区良渚镇和平社区", ("余杭区", "良渚", ["良渚", "镇人民政府"], None)),
            ("温州市瑞安市", ("瑞安市", "瑞安", ["瑞安市", "人民政府"], None)),
            ("杭州市", ("杭州市", "杭州", ["杭州市", "人民政府"], None)),
            ("某某乡", ("", "某某", ["某某", "乡人民政府"], None)),
        ];
        for (place, expected) in cases {
            let p = split_place(place);
            assert_eq!((p.district, p.short, p.gov, p.village), expected);
        }
    }

    #[test]
    fn phones_names_and_addresses() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..1000 {
            let p = phone(&mut rng);
            assert!(p.len() == 11 && p.starts_with("170") && p.bytes().all(|b| b.is_ascii_digit()));
            assert!((2..=3).contains(&person_name(&mut rng).chars().count()));
            let a = address(&mut rng, "西湖区留下街道");
            assert!(
                a.starts_with("西湖区留下街道") && a.ends_with(['室', '号']),
                "{a}"
            );
        }
    }

    #[test]
    fn deterministic_for_same_seed() {
        let run = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            let texts: Vec<_> = (0..200)
                .map(|i| petition_text(&mut rng, CODES[i % 38], KINDS[i % 3], "西湖区"))
                .collect();
            let other = [person_name(&mut rng), phone(&mut rng)];
            (texts, other, address(&mut rng, "吴兴区"))
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42).0, run(43).0);
    }

    #[test]
    fn contents_are_varied() {
        let mut rng = StdRng::seed_from_u64(3);
        let distinct: HashSet<String> = (0..10_000)
            .map(|_| {
                let code = CODES[rng.gen_range(0..CODES.len())];
                let kind = KINDS[rng.gen_range(0..KINDS.len())];
                petition_text(&mut rng, code, kind, "西湖区留下街道").content
            })
            .collect();
        assert!(distinct.len() >= 9_000, "only {} distinct", distinct.len());
    }
}
