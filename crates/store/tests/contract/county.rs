//! A county-sized market, generated deterministically, for the bulk path and its speed: about
//! West Sussex's size (35 areas, 60 providers, 2,000 people and packages, 800 workers).

use homeward_domain::{
    Area, AreaId, Award, AwardId, Branch, BranchId, CarePackage, CareWorker, ChargeTerms,
    CharterStage, Contract, ContractId, ContractKind, Coordinates, Council, CqcRating,
    EmploymentKind, Enhancements, FundingRoute, LotPosition, Market, NhsNumber, PackageId, Pence,
    Person, PersonId, Provider, ProviderId, Service, Skill, SupportReason, Tier, TravelMode,
    WeeklyPattern, WorkerId,
};
use jiff::civil::Date;

const AREAS: usize = 35;
const PROVIDERS: usize = 60;
const PEOPLE: usize = 2_000;
const WORKERS: usize = 800;

/// A small deterministic generator (xorshift), so the market is the same on every run.
struct Draws(u64);

impl Draws {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn suffix(prefix: &str, index: usize) -> String {
    format!("{prefix}{index:05}")
}

pub fn market() -> Market {
    let mut draws = Draws(0x9e37_79b9_7f4a_7c15);
    let centre = Coordinates::from_degrees(50.9, -0.5).unwrap();
    let near = |draws: &mut Draws| {
        centre.offset_km(draws.next(40) as f64 - 20.0, draws.next(80) as f64 - 40.0)
    };
    let areas: Vec<Area> = (0..AREAS)
        .map(|index| Area {
            id: AreaId::from_suffix(&suffix("a", index)).unwrap(),
            name: format!("Area {}", AREAS - index),
            centroid: near(&mut draws),
            boundary: None,
            tier: Tier::ALL[index % 4],
            rural: index % 3 == 0,
            district: format!("District {}", index % 7),
            hard_to_serve: index % 11 == 0,
        })
        .collect();
    let providers: Vec<Provider> = (0..PROVIDERS)
        .map(|index| Provider {
            id: ProviderId::from_suffix(&suffix("p", index)).unwrap(),
            name: format!("Provider {index}"),
            cqc_location_id: None,
            cqc_rating: CqcRating::NotRated,
            services: vec![
                Service::PersonalCare,
                Service::ALL[1 + index % (Service::ALL.len() - 1)],
            ],
            charter_stage: CharterStage::ALL[index % CharterStage::ALL.len()],
            in_house: index == 0,
            admissions: vec![],
        })
        .collect();
    let branches: Vec<Branch> = providers
        .iter()
        .enumerate()
        .map(|(index, provider)| Branch {
            id: BranchId::from_suffix(&suffix("b", index)).unwrap(),
            provider_id: provider.id.clone(),
            name: format!("{} branch", provider.name),
            area_id: areas[index % AREAS].id.clone(),
            location: near(&mut draws),
        })
        .collect();
    let awards: Vec<Award> = areas
        .iter()
        .enumerate()
        .map(|(index, area)| Award {
            id: AwardId::from_suffix(&suffix("w", index)).unwrap(),
            area_id: area.id.clone(),
            provider_id: providers[index % PROVIDERS].id.clone(),
            position: LotPosition::Lead,
            starts_on: Date::constant(2020, 4, 1),
        })
        .collect();
    let contracts: Vec<Contract> = providers
        .iter()
        .enumerate()
        .map(|(index, provider)| Contract {
            id: ContractId::from_suffix(&suffix("c", index)).unwrap(),
            provider_id: provider.id.clone(),
            area_id: None,
            kind: ContractKind::Spot,
            hourly_rate: Pence(1_500 + index as i64),
            enhancements: Enhancements {
                unsocial_hours_bp: 1_000,
                rural_bp: 1_500,
                complexity_bp: 500,
            },
            guaranteed_weekly_minutes: 0,
            charge_terms: ChargeTerms::default(),
            starts_on: Date::constant(2018, 4, 1),
            ends_on: None,
        })
        .collect();
    let people: Vec<Person> = (0..PEOPLE)
        .map(|index| {
            let digits: Vec<u32> = format!("{:09}", 400_000_000 + index * 7)
                .chars()
                .filter_map(|c| c.to_digit(10))
                .collect();
            let nhs_number = NhsNumber::check_digit(&digits).map(|check| {
                let text: String = digits
                    .iter()
                    .chain([check].iter())
                    .map(|digit| char::from(b'0' + *digit as u8))
                    .collect();
                NhsNumber::parse(&text, "nhs_number").unwrap()
            });
            Person {
                id: PersonId::from_suffix(&suffix("n", index)).unwrap(),
                council_reference: format!("REF-{index}"),
                nhs_number,
                name: format!("Person {index}"),
                area_id: areas[draws.next(AREAS)].id.clone(),
                location: near(&mut draws),
                funding_route: FundingRoute::ALL[index % FundingRoute::ALL.len()],
                support_reason: SupportReason::ALL[index % SupportReason::ALL.len()],
                complex_needs: index % 9 == 0,
            }
        })
        .collect();
    let patterns = [
        "daily 07:30 45m x2; Mon-Fri 19:00 1h",
        "Mon,Thu 12:00 30m",
        "daily 08:00 30m; daily 18:00 30m",
        "Sat,Sun 10:00 1h15m",
    ];
    let packages: Vec<CarePackage> = people
        .iter()
        .enumerate()
        .map(|(index, person)| CarePackage {
            id: PackageId::from_suffix(&suffix("k", index)).unwrap(),
            person_id: person.id.clone(),
            provider_id: (index % 10 != 0).then(|| providers[draws.next(PROVIDERS)].id.clone()),
            pattern: WeeklyPattern::parse(patterns[index % patterns.len()]).unwrap(),
            skills: if index % 4 == 0 {
                vec![Skill::Dementia, Skill::Hoist]
            } else {
                vec![]
            },
            starts_on: Date::constant(2019, 1, 1 + (index % 28) as i8),
            ends_on: (index % 5 == 0).then(|| Date::constant(2019, 6, 30)),
            // Every seventh placed package was won on a quote.
            agreed_hourly_rate: (index % 7 == 3 && index % 10 != 0)
                .then(|| Pence(1_650 + index as i64)),
        })
        .collect();
    let workers: Vec<CareWorker> = (0..WORKERS)
        .map(|index| CareWorker {
            id: WorkerId::from_suffix(&suffix("r", index)).unwrap(),
            branch_id: branches[draws.next(branches.len())].id.clone(),
            name: format!("Worker {index}"),
            home: near(&mut draws),
            travel_mode: TravelMode::ALL[index % TravelMode::ALL.len()],
            skills: if index % 3 == 0 {
                vec![Skill::Dementia]
            } else {
                vec![]
            },
            employment: EmploymentKind::ZeroHours,
            guaranteed_weekly_minutes: 0,
            contracted_weekly_minutes: 30 * 60,
        })
        .collect();
    Market {
        council: Council::example_west_sussex(),
        areas,
        providers,
        branches,
        awards,
        contracts,
        people,
        packages,
        workers,
    }
}
