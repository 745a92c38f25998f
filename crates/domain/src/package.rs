//! Care packages: what a person is to receive each week.

use crate::brokerage::MAX_HOURLY_RATE;
use crate::{FieldError, Invalid, PackageId, Pence, PersonId, ProviderId, Skill, WeeklyPattern};
use jiff::civil::Date;

/// A package of care for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarePackage {
    /// Stable id.
    pub id: PackageId,
    /// The person receiving it.
    pub person_id: PersonId,
    /// The provider delivering it; none while it waits to be placed or when bought privately.
    pub provider_id: Option<ProviderId>,
    /// The visits each week, in Europe/London local time.
    pub pattern: WeeklyPattern,
    /// Skills the visits need, sorted.
    pub skills: Vec<Skill>,
    /// First day of care.
    pub starts_on: Date,
    /// Last day of care, when ended.
    pub ends_on: Option<Date>,
    /// The hourly rate the provider quoted to win the package at a broadcast step (dynamic
    /// market or spot), which it is paid in place of its contract's base rate. None for a
    /// package placed at a one-provider step or made otherwise: it pays the contract's rate.
    pub agreed_hourly_rate: Option<Pence>,
}

impl CarePackage {
    /// Commissioned carer minutes a week (a double-handed visit counts twice).
    pub fn weekly_minutes(&self) -> u32 {
        self.pattern.weekly_carer_minutes()
    }

    /// Whether care is running on `date`.
    pub fn is_active_on(&self, date: Date) -> bool {
        self.starts_on <= date && self.ends_on.is_none_or(|ends_on| ends_on >= date)
    }

    /// Checks the rules a stored package must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.ends_on.is_some_and(|ends_on| ends_on < self.starts_on) {
            errors.push(FieldError::new("ends_on", "must not be before starts_on"));
        }
        if self.agreed_hourly_rate.is_some() && self.provider_id.is_none() {
            errors.push(FieldError::new(
                "agreed_hourly_rate_pence",
                "only a package placed with a provider has an agreed rate",
            ));
        } else if let Some(rate) = self.agreed_hourly_rate
            && !(1..=MAX_HOURLY_RATE.0).contains(&rate.0)
        {
            errors.push(FieldError::new(
                "agreed_hourly_rate_pence",
                format!(
                    "must be a whole number of pence from 1 to {} (£{}.00 an hour)",
                    MAX_HOURLY_RATE.0,
                    MAX_HOURLY_RATE.0 / 100
                ),
            ));
        }
        if self.weekly_minutes() > 7 * 24 * 60 * 2 {
            errors.push(FieldError::new(
                "visit_pattern",
                "adds up to more than two carers round the clock",
            ));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_and_dates() {
        let package = CarePackage {
            id: PackageId::from_suffix("test").unwrap(),
            person_id: PersonId::from_suffix("test").unwrap(),
            provider_id: None,
            pattern: WeeklyPattern::parse("daily 08:00 30m").unwrap(),
            skills: vec![],
            starts_on: Date::constant(2019, 1, 7),
            ends_on: Some(Date::constant(2019, 3, 31)),
            agreed_hourly_rate: None,
        };
        assert_eq!(package.weekly_minutes(), 210);
        assert!(package.is_active_on(Date::constant(2019, 3, 31)));
        assert!(!package.is_active_on(Date::constant(2019, 4, 1)));
        assert!(!package.is_active_on(Date::constant(2019, 1, 6)));
        let mut backwards = package.clone();
        backwards.ends_on = Some(Date::constant(2018, 12, 31));
        assert_eq!(backwards.validate().unwrap_err().0[0].field, "ends_on");
    }

    #[test]
    fn an_agreed_rate_is_a_quote_a_provider_could_give() {
        let mut package = CarePackage {
            id: PackageId::from_suffix("quoted").unwrap(),
            person_id: PersonId::from_suffix("quoted").unwrap(),
            provider_id: Some(ProviderId::from_suffix("quoted").unwrap()),
            pattern: WeeklyPattern::parse("daily 08:00 30m").unwrap(),
            skills: vec![],
            starts_on: Date::constant(2026, 12, 7),
            ends_on: None,
            agreed_hourly_rate: Some(Pence(1_800)),
        };
        assert!(package.validate().is_ok());
        for wrong in [0, -1, MAX_HOURLY_RATE.0 + 1] {
            package.agreed_hourly_rate = Some(Pence(wrong));
            let Invalid(errors) = package.validate().unwrap_err();
            assert_eq!(errors[0].field, "agreed_hourly_rate_pence", "{wrong}");
        }
        package.agreed_hourly_rate = Some(Pence(1_800));
        package.provider_id = None;
        let Invalid(errors) = package.validate().unwrap_err();
        assert_eq!(errors[0].field, "agreed_hourly_rate_pence");
    }
}
