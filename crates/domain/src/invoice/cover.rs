//! Which of a provider's contracts charges a visit.
//!
//! In order, for a visit on day `D` to a person:
//! 1. a person who pays for their own care, or buys it with a direct payment, is not on the
//!    council's bill;
//! 2. a person with an individual service fund is charged to the provider's individual service
//!    fund contract in force on `D`, and to nothing else: without one the visit is uncovered;
//! 3. otherwise the provider's block contract for the person's area in force on `D`;
//! 4. otherwise the provider's group service fund for the person's area in force on `D`;
//! 5. otherwise the provider's spot contract in force on `D`;
//! 6. otherwise no contract covers the visit.
//!
//! Where two contracts of the same kind qualify, the one with the lower id charges, so the
//! choice never depends on the order they are listed in. Council-arranged care and NHS
//! continuing health care (paid through the council's payment system) are charged alike.

use crate::{AreaId, Contract, ContractKind, FundingRoute};
use jiff::civil::Date;

/// What charges a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover<'a> {
    /// This contract.
    Contract(&'a Contract),
    /// Nothing: the person's care is not paid for by the council.
    NotCouncilFunded(FundingRoute),
    /// Nothing covers it; the reason, for the exception's note.
    Uncovered(&'static str),
}

/// The person as the choice of contract sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Covered<'a> {
    /// Where they live.
    pub area_id: &'a AreaId,
    /// Who pays for their care.
    pub funding_route: FundingRoute,
}

/// The contract of `contracts` (one provider's) that charges a visit on `date` to `person`.
pub fn cover<'a>(contracts: &'a [Contract], person: Covered<'_>, date: Date) -> Cover<'a> {
    let in_force = |kind: ContractKind, area: Option<&AreaId>| {
        contracts
            .iter()
            .filter(|contract| contract.kind == kind && contract.is_in_force_on(date))
            .filter(|contract| area.is_none_or(|area| contract.area_id.as_ref() == Some(area)))
            .min_by(|a, b| a.id.cmp(&b.id))
    };
    match person.funding_route {
        FundingRoute::DirectPayment | FundingRoute::SelfFunder => {
            return Cover::NotCouncilFunded(person.funding_route);
        }
        FundingRoute::IndividualServiceFund => {
            return in_force(ContractKind::IndividualServiceFund, None).map_or(
                Cover::Uncovered("the provider has no individual service fund contract in force"),
                Cover::Contract,
            );
        }
        FundingRoute::CouncilArranged | FundingRoute::ContinuingHealthCare => {}
    }
    in_force(ContractKind::Block, Some(person.area_id))
        .or_else(|| in_force(ContractKind::GroupServiceFund, Some(person.area_id)))
        .or_else(|| in_force(ContractKind::Spot, None))
        .map_or(
            Cover::Uncovered(
                "the provider has no block or group fund for the area and no spot contract in force",
            ),
            Cover::Contract,
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChargeTerms, ContractId, Enhancements, Pence, ProviderId};

    fn contract(suffix: &str, kind: ContractKind, area: Option<&str>) -> Contract {
        Contract {
            id: ContractId::from_suffix(suffix).unwrap(),
            provider_id: ProviderId::from_suffix("cover").unwrap(),
            area_id: area.map(|area| AreaId::from_suffix(area).unwrap()),
            kind,
            hourly_rate: Pence(1_800),
            enhancements: Enhancements::default(),
            guaranteed_weekly_minutes: if area.is_some() { 600 } else { 0 },
            charge_terms: ChargeTerms::default(),
            starts_on: Date::constant(2026, 4, 1),
            ends_on: Some(Date::constant(2026, 12, 31)),
        }
    }

    fn chosen(contracts: &[Contract], area: &str, funding: FundingRoute, date: Date) -> String {
        let area = AreaId::from_suffix(area).unwrap();
        let person = Covered {
            area_id: &area,
            funding_route: funding,
        };
        match cover(contracts, person, date) {
            Cover::Contract(contract) => contract.id.to_string(),
            Cover::NotCouncilFunded(route) => format!("not council-funded: {route}"),
            Cover::Uncovered(_) => "uncovered".into(),
        }
    }

    #[test]
    fn a_block_in_the_area_comes_before_a_group_fund_and_spot() {
        let june = Date::constant(2026, 6, 1);
        let contracts = [
            contract("spot", ContractKind::Spot, None),
            contract("gsf-north", ContractKind::GroupServiceFund, Some("north")),
            contract("gsf-south", ContractKind::GroupServiceFund, Some("south")),
            contract("block-north", ContractKind::Block, Some("north")),
            contract("fund", ContractKind::IndividualServiceFund, None),
        ];
        let arranged = FundingRoute::CouncilArranged;
        assert_eq!(
            chosen(&contracts, "north", arranged, june),
            "con_block-north"
        );
        assert_eq!(chosen(&contracts, "south", arranged, june), "con_gsf-south");
        assert_eq!(chosen(&contracts, "east", arranged, june), "con_spot");
        assert_eq!(
            chosen(
                &contracts,
                "north",
                FundingRoute::ContinuingHealthCare,
                june
            ),
            "con_block-north"
        );
        // An individual service fund person is charged to the fund, even in a block's area.
        assert_eq!(
            chosen(
                &contracts,
                "north",
                FundingRoute::IndividualServiceFund,
                june
            ),
            "con_fund"
        );
    }

    #[test]
    fn only_contracts_in_force_on_the_day_count() {
        let mut block = contract("block-north", ContractKind::Block, Some("north"));
        block.ends_on = Some(Date::constant(2026, 6, 30));
        let contracts = [block, contract("spot", ContractKind::Spot, None)];
        let arranged = FundingRoute::CouncilArranged;
        assert_eq!(
            chosen(&contracts, "north", arranged, Date::constant(2026, 6, 30)),
            "con_block-north"
        );
        assert_eq!(
            chosen(&contracts, "north", arranged, Date::constant(2026, 7, 1)),
            "con_spot"
        );
        assert_eq!(
            chosen(&contracts, "north", arranged, Date::constant(2027, 1, 1)),
            "uncovered"
        );
    }

    #[test]
    fn two_of_a_kind_choose_the_lower_id_and_self_funders_are_not_billed() {
        let june = Date::constant(2026, 6, 1);
        let contracts = [
            contract("spot-b", ContractKind::Spot, None),
            contract("spot-a", ContractKind::Spot, None),
        ];
        assert_eq!(
            chosen(&contracts, "east", FundingRoute::CouncilArranged, june),
            "con_spot-a"
        );
        assert_eq!(
            chosen(&contracts, "east", FundingRoute::SelfFunder, june),
            "not council-funded: self-funder"
        );
        assert_eq!(
            chosen(
                &contracts,
                "east",
                FundingRoute::IndividualServiceFund,
                june
            ),
            "uncovered",
            "no fund contract, and spot does not stand in for one"
        );
    }
}
