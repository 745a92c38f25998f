//! The problems found while checking a preset, and the checks that several fields share:
//! shares, dates, pence and tiers.

use homeward_domain::{Pence, Tier, parse_date};

#[derive(Default)]
pub(super) struct Checks {
    pub(super) problems: Vec<String>,
}

impl Checks {
    pub(super) fn fail(&mut self, path: impl std::fmt::Display, message: impl std::fmt::Display) {
        self.problems.push(format!("{path}: {message}"));
    }

    pub(super) fn share(&mut self, path: &str, value: f64) -> f64 {
        if !(0.0..=1.0).contains(&value) {
            self.fail(path, format!("{value} must be a share between 0 and 1"));
        }
        value
    }

    pub(super) fn date(&mut self, path: &str, text: &str) -> Option<jiff::civil::Date> {
        parse_date(text, path)
            .map_err(|error| self.fail(path, error.message))
            .ok()
    }

    pub(super) fn pence(&mut self, path: &str, value: i64) -> Pence {
        if value <= 0 {
            self.fail(path, "must be more than zero pence");
        }
        Pence(value)
    }

    pub(super) fn tier(&mut self, path: &str, number: i64) -> Option<Tier> {
        let tier = Tier::from_number(number);
        if tier.is_none() {
            self.fail(path, format!("{number} is not a tier from 1 to 4"));
        }
        tier
    }
}
