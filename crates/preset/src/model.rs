//! The validated content of a preset.

use homeward_domain::brokerage::{CascadeRules, ReablementPolicy};
use homeward_domain::{
    ChargeTerms, CharterStage, ContractKind, Coordinates, Council, FundingRoute, Pence, Tier,
};

/// A council's market model, ready for the demo generator.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// The preset's name (`west-sussex-2019`).
    pub id: String,
    /// The seed document the figures come from.
    pub source: String,
    /// The council and its market rules.
    pub council: Council,
    /// Areas with their figures; the demo reproduces these customers and hours.
    pub areas: Vec<AreaSpec>,
    /// Package sizes, visit shapes and funding.
    pub demand: DemandSpec,
    /// Providers and their market shares.
    pub market: MarketSpec,
    /// Contract rates and enhancements.
    pub rates: RatesSpec,
    /// The terms each kind of contract charges visits under.
    pub charging: ChargingSpec,
    /// Care workers.
    pub workforce: WorkforceSpec,
    /// How referrals are placed.
    pub brokerage: BrokerageSpec,
    /// Figures chosen where the seed gives none.
    pub assumptions: Vec<String>,
}

/// An area as the preset describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaSpec {
    /// Name.
    pub name: String,
    /// Tier, given by the seed or classified from the figures by the council's tier rules.
    pub tier: Tier,
    /// Customers receiving care on the reference date.
    pub customers: u32,
    /// Commissioned hours a week.
    pub weekly_hours: u32,
    /// Approximate centre.
    pub centroid: Coordinates,
    /// Rural: people are spread wider and visits carry the rural enhancement.
    pub rural: bool,
    /// District, borough or GP cluster.
    pub district: String,
    /// Named by the seed as hard to serve.
    pub hard_to_serve: bool,
}

/// The shape of demand.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandSpec {
    /// Share of packages with two carers on their personal care visits.
    pub double_handed_share: f64,
    /// Share of people with complex needs.
    pub complex_needs_share: f64,
    /// Share of people by funding route; sums to 1.
    pub funding_mix: Vec<(FundingRoute, f64)>,
}

/// A group of providers that together hold a share of the council's hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareGroup {
    /// How many providers.
    pub providers: u32,
    /// Their combined share of hours, 0 to 1.
    pub share: f64,
}

/// The council's own (or arm's-length) provider.
#[derive(Debug, Clone, PartialEq)]
pub struct InHouseSpec {
    /// Its name.
    pub name: String,
    /// Its share of hours.
    pub share: f64,
    /// Its Ethical Care Charter stage.
    pub charter_stage: CharterStage,
}

/// The provider market.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketSpec {
    /// Independent providers contracted by the council.
    pub providers: u32,
    /// Leading groups of providers and their shares; the rest share what is left evenly.
    pub share_groups: Vec<ShareGroup>,
    /// The council's own provider, if it has one.
    pub in_house: Option<InHouseSpec>,
    /// Block contracts to place, and with how many of the largest providers.
    pub block_contracts: u32,
    /// Providers holding the block contracts.
    pub block_providers: u32,
    /// Share of providers admitted to the dynamic market (the rest are on the framework only).
    pub dynamic_market_share: f64,
    /// The date providers were admitted to the framework.
    pub framework_from: jiff::civil::Date,
}

/// Rates in pence and enhancements in basis points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatesSpec {
    /// Spot hourly rate.
    pub spot_hourly: Pence,
    /// Block hourly rate.
    pub block_hourly: Pence,
    /// Unsocial hours uplift.
    pub unsocial_hours_enhancement_bp: u32,
    /// Rural uplift.
    pub rural_enhancement_bp: u32,
    /// Complex needs uplift.
    pub complexity_enhancement_bp: u32,
}

/// How each kind of contract turns visits' time into chargeable minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargingSpec {
    /// Spot contracts.
    pub spot: ChargeTerms,
    /// Block contracts and group service funds.
    pub block: ChargeTerms,
    /// Individual service funds.
    pub fund: ChargeTerms,
}

impl ChargingSpec {
    /// The terms a contract of `kind` is made with.
    pub fn terms_for(&self, kind: ContractKind) -> ChargeTerms {
        match kind {
            ContractKind::Spot => self.spot,
            ContractKind::Block | ContractKind::GroupServiceFund => self.block,
            ContractKind::IndividualServiceFund => self.fund,
        }
    }
}

/// The care workforce.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkforceSpec {
    /// Contracted hours a week of a typical care worker.
    pub weekly_hours_per_worker: u32,
    /// Care workers without a car.
    pub share_without_car: f64,
    /// Of those without a car, the share who cycle (the rest walk).
    pub share_cycling_without_car: f64,
    /// Care workers on zero-hours contracts.
    pub zero_hours_share: f64,
    /// Care workers on guaranteed-hours contracts (the rest have fixed hours).
    pub guaranteed_hours_share: f64,
}

/// How referrals are placed: the cascade, reablement first, the pick-up target and incentive.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokerageSpec {
    /// The ladders per tier and the award rule.
    pub cascade: CascadeRules,
    /// Who goes to reablement first.
    pub reablement: ReablementPolicy,
    /// Days from referral to first visit the council aims for.
    pub target_pickup_days: u32,
    /// An incentive paid for starts within the target in hard-to-serve areas (Oxfordshire's pilot).
    pub early_start_incentive: Option<EarlyStartIncentive>,
}

/// A payment for starting care quickly in a hard-to-serve area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlyStartIncentive {
    /// Care must start within this many days of the referral.
    pub within_days: u32,
    /// The payment.
    pub amount: Pence,
}
