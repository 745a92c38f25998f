//! A small market built by hand: every kind of record, with the awkward cases the store must
//! keep exactly (NULLs, unsorted lists, boundaries, ids and names whose order depends on the
//! collation).

use homeward_domain::{
    Admission, AdmissionRoute, Area, AreaId, Award, AwardId, Branch, BranchId, CarePackage,
    CareWorker, ChargeBasis, ChargeTerms, CharterStage, Contract, ContractId, ContractKind,
    Coordinates, Council, CqcLocationId, CqcRating, EmploymentKind, Enhancements, FundingRoute,
    LotPosition, Market, NhsNumber, PackageId, Pence, Person, PersonId, Provider, ProviderId,
    Service, Skill, SupportReason, Tier, TravelMode, WeeklyPattern, WorkerId, parse_boundary,
};
use jiff::civil::Date;

/// The date the fixture's demand is counted on.
pub const REFERENCE_DATE: Date = Date::constant(2019, 8, 7);

pub fn point(latitude: f64, longitude: f64) -> Coordinates {
    Coordinates::from_degrees(latitude, longitude).unwrap()
}

pub fn area_id(suffix: &str) -> AreaId {
    AreaId::from_suffix(suffix).unwrap()
}

pub fn provider_id(suffix: &str) -> ProviderId {
    ProviderId::from_suffix(suffix).unwrap()
}

pub fn person_id(suffix: &str) -> PersonId {
    PersonId::from_suffix(suffix).unwrap()
}

pub fn council() -> Council {
    Council::example_west_sussex()
}

pub fn areas() -> Vec<Area> {
    let area = |suffix: &str, name: &str, tier: Tier, rural: bool| Area {
        id: area_id(suffix),
        name: name.into(),
        centroid: point(50.8, -0.5),
        boundary: None,
        tier,
        rural,
        district: "Arun".into(),
        hard_to_serve: false,
    };
    let mut bognor = area("bognor-east", "Bognor East", Tier::Level1, false);
    bognor.centroid = point(50.785, -0.66);
    bognor.boundary = parse_boundary(
        "50.800000 -0.700000; 50.780000 -0.640000; 50.770000 -0.690000",
        "boundary",
    )
    .unwrap();
    let mut midhurst = area("midhurst", "Midhurst & Petworth", Tier::Level2, true);
    midhurst.district = "Chichester".into();
    midhurst.centroid = point(50.985_412, -0.738_001);
    let mut rural = area("rural-north", "Horsham Rural North", Tier::Level3, true);
    rural.hard_to_serve = true;
    rural.centroid = point(51.1, -0.35);
    vec![
        bognor,
        // Lower case sorts after upper case by bytes but between them by most locales.
        area("de-montfort", "de Montfort", Tier::Level1, false),
        area("east-grinstead", "East Grinstead", Tier::Level1, false),
        midhurst,
        rural,
    ]
}

pub fn providers() -> Vec<Provider> {
    vec![
        Provider {
            // `ab-z` sorts before `abcd` by bytes but after it where punctuation is ignored.
            id: provider_id("ab-z"),
            name: "Downs Home Care".into(),
            cqc_location_id: Some(CqcLocationId::parse("1-134558905", "cqc_location_id").unwrap()),
            cqc_rating: CqcRating::Good,
            // Deliberately not sorted: the store keeps the order it is given.
            services: vec![
                Service::Reablement,
                Service::PersonalCare,
                Service::DementiaCare,
            ],
            charter_stage: CharterStage::Stage2,
            in_house: false,
            admissions: vec![
                Admission {
                    route: AdmissionRoute::Framework,
                    admitted_on: Date::constant(2015, 11, 1),
                },
                Admission {
                    route: AdmissionRoute::DynamicMarket,
                    admitted_on: Date::constant(2020, 4, 1),
                },
            ],
        },
        Provider {
            id: provider_id("abcd"),
            name: "County Care Services".into(),
            cqc_location_id: None,
            cqc_rating: CqcRating::NotRated,
            services: vec![Service::PersonalCare],
            charter_stage: CharterStage::None,
            in_house: true,
            admissions: vec![],
        },
        Provider {
            id: provider_id("weald"),
            name: "Weald Carers".into(),
            cqc_location_id: Some(
                CqcLocationId::parse("1-10000000001", "cqc_location_id").unwrap(),
            ),
            cqc_rating: CqcRating::RequiresImprovement,
            services: vec![Service::PersonalCare, Service::NightCare],
            charter_stage: CharterStage::Stage3,
            in_house: false,
            admissions: vec![Admission {
                route: AdmissionRoute::DynamicMarket,
                admitted_on: Date::constant(2018, 1, 2),
            }],
        },
    ]
}

pub fn branches() -> Vec<Branch> {
    vec![
        Branch {
            id: BranchId::from_suffix("downs-bognor").unwrap(),
            provider_id: provider_id("ab-z"),
            name: "Downs Home Care, Bognor".into(),
            area_id: area_id("bognor-east"),
            location: point(50.783_1, -0.673_9),
        },
        Branch {
            id: BranchId::from_suffix("county-hq").unwrap(),
            provider_id: provider_id("abcd"),
            name: "County Care Services, Chichester".into(),
            area_id: area_id("midhurst"),
            location: point(50.836_5, -0.779_2),
        },
    ]
}

pub fn awards() -> Vec<Award> {
    let award = |suffix: &str, area: &str, provider: &str, position| Award {
        id: AwardId::from_suffix(suffix).unwrap(),
        area_id: area_id(area),
        provider_id: provider_id(provider),
        position,
        starts_on: Date::constant(2020, 4, 1),
    };
    vec![
        award("bognor-lead", "bognor-east", "ab-z", LotPosition::Lead),
        award(
            "bognor-second",
            "bognor-east",
            "weald",
            LotPosition::Secondary,
        ),
        award("midhurst-lead", "midhurst", "abcd", LotPosition::Lead),
    ]
}

pub fn contracts() -> Vec<Contract> {
    vec![
        Contract {
            id: ContractId::from_suffix("block-bognor").unwrap(),
            provider_id: provider_id("ab-z"),
            area_id: Some(area_id("bognor-east")),
            kind: ContractKind::Block,
            hourly_rate: Pence(1_527),
            enhancements: Enhancements {
                unsocial_hours_bp: 1_000,
                rural_bp: 0,
                complexity_bp: 1_500,
            },
            guaranteed_weekly_minutes: 700 * 60,
            charge_terms: ChargeTerms::default(),
            starts_on: Date::constant(2015, 11, 1),
            ends_on: Some(Date::constant(2019, 10, 31)),
        },
        Contract {
            id: ContractId::from_suffix("spot-weald").unwrap(),
            provider_id: provider_id("weald"),
            area_id: None,
            kind: ContractKind::Spot,
            hourly_rate: Pence(1_699),
            enhancements: Enhancements::default(),
            guaranteed_weekly_minutes: 0,
            charge_terms: ChargeTerms {
                basis: ChargeBasis::Planned,
                increment_minutes: 15,
                minimum_minutes: 30,
            },
            starts_on: Date::constant(2018, 1, 2),
            ends_on: None,
        },
    ]
}

pub fn people() -> Vec<Person> {
    let person = |suffix: &str, name: &str, area: &str| Person {
        id: person_id(suffix),
        council_reference: format!("WSCC-{suffix}"),
        nhs_number: None,
        name: name.into(),
        area_id: area_id(area),
        location: point(50.79, -0.67),
        funding_route: FundingRoute::CouncilArranged,
        support_reason: SupportReason::PhysicalSupport,
        complex_needs: false,
    };
    let mut ada = person("ada1", "Ada Lovelace", "bognor-east");
    ada.nhs_number = Some(NhsNumber::parse("943 476 5919", "nhs_number").unwrap());
    ada.complex_needs = true;
    ada.support_reason = SupportReason::MemoryAndCognition;
    let mut bea = person("bea2", "Bea O'Neill", "bognor-east");
    bea.funding_route = FundingRoute::IndividualServiceFund;
    let mut cyd = person("cyd3", "Cyd Ñúñez", "midhurst");
    cyd.location = point(50.98, -0.74);
    cyd.funding_route = FundingRoute::ContinuingHealthCare;
    let dee = person("dee4", "Dee Smith", "rural-north");
    vec![ada, bea, cyd, dee]
}

pub fn package(
    suffix: &str,
    person: &str,
    pattern: &str,
    starts_on: Date,
    ends_on: Option<Date>,
) -> CarePackage {
    CarePackage {
        id: PackageId::from_suffix(suffix).unwrap(),
        person_id: person_id(person),
        provider_id: Some(provider_id("ab-z")),
        pattern: WeeklyPattern::parse(pattern).unwrap(),
        skills: vec![],
        starts_on,
        ends_on,
        agreed_hourly_rate: None,
    }
}

/// On the reference date: Ada has two running packages and one ended; Bea one running; Cyd one
/// ending that very day; Dee's starts next year.
pub fn packages() -> Vec<CarePackage> {
    let mut ada_main = package(
        "ada-main",
        "ada1",
        "daily 07:30 45m x2; Mon,Thu 12:00 30m; Mon-Fri 19:00 1h",
        Date::constant(2019, 1, 7),
        None,
    );
    ada_main.skills = vec![Skill::Hoist, Skill::Dementia];
    let ada_night = package(
        "ada-night",
        "ada1",
        "Sat,Sun 22:00 30m",
        Date::constant(2019, 8, 7),
        None,
    );
    let ada_old = package(
        "ada-old",
        "ada1",
        "daily 09:00 1h",
        Date::constant(2018, 1, 1),
        Some(Date::constant(2019, 3, 31)),
    );
    let mut bea_main = package(
        "bea-main",
        "bea2",
        "Mon-Fri 08:00 30m",
        Date::constant(2019, 5, 1),
        Some(Date::constant(2020, 5, 1)),
    );
    bea_main.provider_id = None;
    let cyd_main = package(
        "cyd-main",
        "cyd3",
        "Tue 10:00 2h15m",
        Date::constant(2019, 2, 1),
        Some(Date::constant(2019, 8, 7)),
    );
    let dee_next = package(
        "dee-next",
        "dee4",
        "daily 12:00 30m",
        Date::constant(2020, 1, 1),
        None,
    );
    vec![ada_main, ada_night, ada_old, bea_main, cyd_main, dee_next]
}

pub fn workers() -> Vec<CareWorker> {
    vec![
        CareWorker {
            id: WorkerId::from_suffix("sam1").unwrap(),
            branch_id: BranchId::from_suffix("downs-bognor").unwrap(),
            name: "Sam Carer".into(),
            home: point(50.801_234, -0.654_321),
            travel_mode: TravelMode::Car,
            skills: vec![Skill::Medication, Skill::Dementia],
            employment: EmploymentKind::GuaranteedHours,
            guaranteed_weekly_minutes: 16 * 60,
            contracted_weekly_minutes: 30 * 60,
        },
        CareWorker {
            id: WorkerId::from_suffix("kit2").unwrap(),
            branch_id: BranchId::from_suffix("county-hq").unwrap(),
            name: "Kit Walker".into(),
            home: point(50.84, -0.78),
            travel_mode: TravelMode::Foot,
            skills: vec![],
            employment: EmploymentKind::ZeroHours,
            guaranteed_weekly_minutes: 0,
            contracted_weekly_minutes: 20 * 60 + 30,
        },
    ]
}

pub fn market() -> Market {
    Market {
        council: council(),
        areas: areas(),
        providers: providers(),
        branches: branches(),
        awards: awards(),
        contracts: contracts(),
        people: people(),
        packages: packages(),
        workers: workers(),
    }
}

/// A different, smaller market, to replace [`market`] with.
pub fn other_market() -> Market {
    let mut council = council();
    council.name = "Testshire County Council".into();
    council.preset = "custom".into();
    council.lead_tiers = vec![Tier::Level2, Tier::Level1, Tier::Level3];
    council.secondary_tiers = vec![];
    let areas = vec![Area {
        id: area_id("only"),
        name: "Only Town".into(),
        centroid: point(52.0, -1.0),
        boundary: None,
        tier: Tier::Level4,
        rural: true,
        district: "Nowhere".into(),
        hard_to_serve: false,
    }];
    let mut person = people().remove(0);
    person.area_id = area_id("only");
    let mut package = package(
        "only-one",
        "ada1",
        "daily 08:00 30m",
        Date::constant(2019, 1, 1),
        None,
    );
    package.provider_id = None;
    Market {
        council,
        areas,
        providers: vec![],
        branches: vec![],
        awards: vec![],
        contracts: vec![],
        people: vec![person],
        packages: vec![package],
        workers: vec![],
    }
}
