//! Regions by name. The division codes a case carries (`330106`) are named by the units
//! of the tree whose codes are division codes — the same list the portal's region picker
//! offers — as a chain: 浙江省 › 杭州市 › 西湖区. Staff pick regions by these names and
//! see them everywhere, with the code as detail.

use super::Opt;
use crate::state::AppState;
use app::model::Unit;
use domain::RegionCode;
use std::collections::HashMap;

/// One named region.
#[derive(Debug, Clone)]
pub struct Region {
    pub code: String,
    /// Its own name: 西湖区.
    pub name: String,
    /// The chain from the top: 浙江省 › 杭州市 › 西湖区.
    pub chain: String,
    /// How many named regions lie above it.
    pub depth: usize,
}

/// The named regions, in code order.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    list: Vec<Region>,
    by_code: HashMap<String, usize>,
}

/// Office words that end a unit's name but not a place's.
const OFFICE_SUFFIXES: &[&str] = &["信访工作机构", "信访办公室", "信访局", "信访办", "人民政府"];

fn place_of(unit_name: &str) -> &str {
    let mut s = unit_name.trim();
    for suffix in OFFICE_SUFFIXES {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
        }
    }
    if s.is_empty() {
        unit_name
    } else {
        s
    }
}

/// The part of a region code that its subregions share: `330000` → `33`, `330100` →
/// `3301`, `330106` → `330106`. The queue filters and routing rules match by it.
pub fn significant_prefix(code: &str) -> String {
    if code.len() == 6 {
        if let Some(p) = code.strip_suffix("0000") {
            return p.to_string();
        }
        if let Some(p) = code.strip_suffix("00") {
            return p.to_string();
        }
    }
    code.to_string()
}

impl Regions {
    pub fn from_units(units: &[Unit]) -> Regions {
        let by_id: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        let is_region = |u: &Unit| RegionCode::parse(&u.code).is_some();
        // The nearest ancestor that is a region.
        let region_parent = |u: &Unit| {
            let mut p = u.parent_id.and_then(|id| by_id.get(&id));
            while let Some(x) = p {
                if is_region(x) {
                    return Some(*x);
                }
                p = x.parent_id.and_then(|id| by_id.get(&id));
            }
            None
        };
        let mut names: HashMap<i64, String> = HashMap::new();
        // Units come in tree order (by path), so a parent is named before its children.
        let mut sorted: Vec<&Unit> = units.iter().filter(|u| is_region(u)).collect();
        sorted.sort_by_key(|u| u.path.matches('/').count());
        let mut list = vec![];
        for u in sorted {
            let mut name = place_of(&u.name).to_string();
            let mut chain = vec![];
            let mut p = region_parent(u);
            while let Some(x) = p {
                chain.push(names.get(&x.id).cloned().unwrap_or_default());
                p = region_parent(x);
            }
            chain.reverse();
            // 杭州市西湖区 below 杭州市 is 西湖区; 西湖区灵隐街道 below 西湖区 is 灵隐街道.
            if let Some(parent) = region_parent(u) {
                for prefix in [
                    place_of(&parent.name),
                    names.get(&parent.id).map_or("", |s| s),
                ] {
                    if let Some(rest) = name.strip_prefix(prefix).filter(|r| !r.is_empty()) {
                        if !prefix.is_empty() {
                            name = rest.to_string();
                            break;
                        }
                    }
                }
            }
            names.insert(u.id, name.clone());
            let depth = chain.len();
            chain.push(name.clone());
            list.push(Region {
                code: u.code.clone(),
                name,
                chain: chain.join(" › "),
                depth,
            });
        }
        list.sort_by(|a, b| a.code.cmp(&b.code));
        let by_code = list
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i))
            .collect();
        Regions { list, by_code }
    }

    pub async fn load(state: &AppState) -> Regions {
        match state.units_under("/").await {
            Ok(units) => Regions::from_units(&units),
            Err(e) => {
                tracing::warn!(error = %e, "regions: units");
                Regions::default()
            }
        }
    }

    pub fn get(&self, code: &str) -> Option<&Region> {
        self.by_code.get(code.trim()).map(|i| &self.list[*i])
    }

    /// A region code as its chain of names, or the code itself when it names no unit.
    pub fn chain(&self, code: &str) -> String {
        self.get(code)
            .map(|r| r.chain.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// A region's name for a prefix filter or rule (`3301` → 杭州市); empty for none.
    pub fn prefix_name(&self, prefix: &str) -> String {
        if prefix.is_empty() {
            return String::new();
        }
        let padded = match prefix.len() {
            2 => format!("{prefix}0000"),
            4 => format!("{prefix}00"),
            _ => prefix.to_string(),
        };
        self.chain(&padded)
    }

    /// Options for a picker of exact codes (the registration form): value the code,
    /// label the chain.
    pub fn code_options(&self) -> Vec<Opt> {
        self.list
            .iter()
            .take(2000)
            .map(|r| Opt {
                code: r.code.clone(),
                label: format!("{} ({})", r.chain, r.code),
            })
            .collect()
    }

    /// Options for a picker of areas (the queue filter, routing rules): value the
    /// significant prefix, label the name indented by depth, down to `max_depth`.
    pub fn prefix_options(&self, max_depth: usize) -> Vec<Opt> {
        self.list
            .iter()
            .filter(|r| r.depth <= max_depth)
            .map(|r| Opt {
                code: significant_prefix(&r.code),
                label: format!("{}{} ({})", "　".repeat(r.depth), r.name, r.code),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str, name: &str, parent: Option<i64>, path: &str) -> Unit {
        Unit {
            id,
            code: code.into(),
            name: name.into(),
            name_en: String::new(),
            level: domain::UnitLevel::County,
            parent_id: parent,
            path: path.into(),
            retired: false,
        }
    }

    #[test]
    fn names_come_from_the_unit_tree() {
        let units = vec![
            unit(1, "ROOT", "信访工作机构", None, "/1/"),
            unit(2, "330000", "浙江省信访局", Some(1), "/1/2/"),
            unit(3, "330100", "杭州市信访局", Some(2), "/1/2/3/"),
            unit(4, "330106", "杭州市西湖区信访局", Some(3), "/1/2/3/4/"),
            unit(
                5,
                "330106-hrss",
                "西湖区人力资源和社会保障局",
                Some(4),
                "/1/2/3/4/5/",
            ),
            unit(6, "330106001", "西湖区灵隐街道", Some(4), "/1/2/3/4/6/"),
            unit(
                7,
                "330106001001",
                "灵隐街道茶园村",
                Some(6),
                "/1/2/3/4/6/7/",
            ),
        ];
        let r = Regions::from_units(&units);
        assert_eq!(r.chain("330106"), "浙江省 › 杭州市 › 西湖区");
        assert_eq!(r.chain("330106001"), "浙江省 › 杭州市 › 西湖区 › 灵隐街道");
        assert_eq!(
            r.chain("330106001001"),
            "浙江省 › 杭州市 › 西湖区 › 灵隐街道 › 茶园村"
        );
        assert_eq!(r.chain("440000"), "440000");
        assert_eq!(r.prefix_name("3301"), "浙江省 › 杭州市");
        assert_eq!(significant_prefix("330000"), "33");
        assert_eq!(significant_prefix("330100"), "3301");
        assert_eq!(significant_prefix("330106"), "330106");
        let opts = r.prefix_options(2);
        assert_eq!(opts.len(), 3);
        assert_eq!(opts[1].code, "3301");
    }
}
