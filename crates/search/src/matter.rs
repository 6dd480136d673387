//! The text of a petition as the related-case ranking compares it: folded, numbers
//! written in Chinese read as digits (六十八万 → 68万, 三十多个 → 30多个, 七号楼 → 7幢),
//! and the words for a building (号楼, 栋, 幢) made one, because two people telling the
//! same matter write these differently far more often than they write the place or the
//! company differently.

use crate::grams::fold;

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Words after which a lone numeral is a count or a number (一个, 两点, 七号, 三次).
const MEASURES: &str = "个名人户位岁年月日号次天元万层楼幢栋间套期条辆家所块亩点部台";

/// The value of a run of Chinese numerals: 六十八 → 68, 一百二十 → 120, 十二 → 12,
/// 二〇二五 → 2025 (digits one by one when there is no 十, 百 or 千).
fn value(run: &[char]) -> Option<u64> {
    if run.iter().any(|c| unit(*c).is_some()) {
        let (mut total, mut current, mut seen_digit) = (0u64, 0u64, false);
        for c in run {
            if let Some(d) = digit(*c) {
                current = d;
                seen_digit = true;
            } else if let Some(u) = unit(*c) {
                let times = if seen_digit { current } else { 1 };
                total += times * u;
                current = 0;
                seen_digit = false;
            }
        }
        Some(total + current)
    } else {
        run.iter()
            .try_fold(0u64, |acc, c| digit(*c).map(|d| acc * 10 + d))
    }
}

/// The folded text with numbers as digits and one word for a building.
pub(crate) fn normalize(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if digit(c).is_some() || unit(c).is_some() {
            let mut j = i;
            while j < chars.len()
                && j - i < 8
                && (digit(chars[j]).is_some() || unit(chars[j]).is_some())
            {
                j += 1;
            }
            let run = &chars[i..j];
            let next = chars.get(j).copied();
            let numeric = run.len() >= 2
                || next.is_some_and(|n| MEASURES.contains(n))
                || (i > 0 && chars[i - 1] == '第');
            match value(run).filter(|_| numeric) {
                Some(v) => out.extend(v.to_string().chars()),
                None => out.extend_from_slice(run),
            }
            i = j;
            continue;
        }
        if c == '号' && chars.get(i + 1) == Some(&'楼') {
            out.push('幢');
            i += 2;
            continue;
        }
        out.push(if c == '栋' { '幢' } else { c });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).into_iter().collect()
    }

    #[test]
    fn numbers_in_chinese_read_as_digits() {
        assert_eq!(n("拖欠工资六十八万"), "拖欠工资68万");
        assert_eq!(n("三十多个老乡"), "30多个老乡");
        assert_eq!(n("涉及十二户"), "涉及12户");
        assert_eq!(n("一百二十元"), "120元");
        assert_eq!(n("二〇二五年"), "2025年");
        assert_eq!(n("第三次"), "第3次");
        assert_eq!(n("一直没有"), "一直没有");
        assert_eq!(n("统一安排"), "统一安排");
    }

    #[test]
    fn a_building_is_one_word() {
        assert_eq!(n("七号楼"), n("7幢"));
        assert_eq!(n("7栋电梯"), "7幢电梯");
        assert_eq!(n("１８楼"), "18楼");
    }
}
