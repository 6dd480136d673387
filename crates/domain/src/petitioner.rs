//! A petitioner as registered on a case: name and optional contact details.

use serde::{Deserialize, Serialize};

/// A mainland mobile or landline number: digits, optionally with a leading `+86`, dashes
/// and spaces ignored, 7–15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(s: &str) -> Option<Self> {
        let digits: String = s
            .trim()
            .trim_start_matches("+86")
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .collect();
        let ok = (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then_some(PhoneNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A resident identity number (GB 11643-1999): 17 digits and a check character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return None;
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        let sum: u32 = b[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        (b[17] == CHECK[(sum % 11) as usize]).then_some(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One petitioner on a case, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petitioner {
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdNumber>,
    pub address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_checksum() {
        // A well-known specimen number from the standard's examples.
        assert!(IdNumber::parse("11010519491231002X").is_some());
        assert!(IdNumber::parse("110105194912310021").is_none());
        assert!(IdNumber::parse("1101051949123100").is_none());
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(
            PhoneNumber::parse("+86 138-0000-0000").map(|p| p.as_str().to_string()),
            Some("13800000000".into())
        );
        assert!(PhoneNumber::parse("0571-87654321").is_some());
        assert!(PhoneNumber::parse("call me").is_none());
        assert!(PhoneNumber::parse("123").is_none());
    }
}
