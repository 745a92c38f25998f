//! Every kind of record survives CSV and JSON, and bad files are refused with line and field.

use homeward_domain::{AreaDemand, CarePackage, Market, Person, area_demand};
use homeward_interchange::{AreaRecord, Format, ImportError, Record, read, write};

fn demo() -> Market {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress)
}

fn text<R: Record>(records: &[R], format: Format) -> String {
    let mut out = Vec::new();
    write(records, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn round_trip<R: Record + PartialEq + std::fmt::Debug>(records: &[R]) {
    for format in [Format::Csv, Format::Json] {
        let written = text(records, format);
        let back: Vec<R> = read::<R>(&written, format)
            .unwrap_or_else(|errors| panic!("{errors:?}"))
            .into_iter()
            .map(|located| located.record)
            .collect();
        assert_eq!(back, records, "{:?} {format:?}", R::KIND);
        assert_eq!(text(&back, format), written);
    }
}

#[test]
fn every_kind_round_trips_in_both_formats() {
    let market = demo();
    let demand = area_demand(
        &market.people,
        &market.packages,
        market.council.reference_date,
    );
    let areas: Vec<AreaRecord> = market
        .areas
        .iter()
        .map(|area| AreaRecord {
            area: area.clone(),
            demand: demand.get(&area.id).copied().unwrap_or_default(),
        })
        .collect();
    round_trip(std::slice::from_ref(&market.council));
    round_trip(&areas);
    round_trip(&market.providers);
    round_trip(&market.branches);
    round_trip(&market.awards);
    round_trip(&market.contracts);
    round_trip(&market.people);
    round_trip(&market.packages);
    round_trip(&market.workers);
}

#[test]
fn the_areas_csv_starts_with_the_seed_columns() {
    let market = demo();
    let areas = [AreaRecord {
        area: market.areas[0].clone(),
        demand: AreaDemand {
            customers: 113,
            weekly_minutes: 1_206 * 60,
            providers: 9,
        },
    }];
    let csv = text(&areas, Format::Csv);
    assert!(
        csv.starts_with("area,tier,customers,weekly_hours,"),
        "{csv}"
    );
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("Bognor East,1,113,1206,"),
        "{csv}"
    );
}

fn errors<R: Record + std::fmt::Debug>(text: &str, format: Format) -> Vec<ImportError> {
    read::<R>(text, format).unwrap_err()
}

#[test]
fn a_bad_csv_row_is_named_by_line_and_field() {
    let market = demo();
    let mut csv = text(&market.people[..3], Format::Csv);
    csv = csv.replacen(
        &market.people[1]
            .nhs_number
            .as_ref()
            .unwrap()
            .as_str()
            .to_owned(),
        "9990000001",
        1,
    );
    let problems = errors::<Person>(&csv, Format::Csv);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(3));
    assert_eq!(problems[0].field.as_deref(), Some("nhs_number"));
    assert_eq!(
        problems[0].to_string(),
        "line 3: nhs_number: has a wrong check digit"
    );
}

#[test]
fn a_malformed_csv_value_names_its_column() {
    let csv = "id,person_id,provider_id,weekly_hours,visit_pattern,skills,starts_on,ends_on\n\
               pkg_aaaa,per_aaaa,,seven,daily 08:00 1h,,2019-01-01,\n\
               pkg_bbbb,per_bbbb,,7,daily 08:00 1h,juggling,2019-13-01,\n";
    let problems = errors::<CarePackage>(csv, Format::Csv);
    let found: Vec<(Option<u64>, Option<&str>)> = problems
        .iter()
        .map(|problem| (problem.line, problem.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(2), Some("weekly_hours")),
            (Some(3), Some("skills")),
            (Some(3), Some("starts_on"))
        ],
        "{problems:?}"
    );
}

#[test]
fn a_bad_json_record_is_named_by_line_and_field() {
    let market = demo();
    let json = text(&market.packages[..2], Format::Json).replacen(
        "\"visit_pattern\": \"",
        "\"visit_pattern\": \"sometimes ",
        1,
    );
    let problems = errors::<CarePackage>(&json, Format::Json);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, Some(2));
    assert_eq!(problems[0].field.as_deref(), Some("visit_pattern"));
}

#[test]
fn json_type_errors_name_the_field() {
    let json = "[\n{\"id\": \"per_aaaa\", \"council_reference\": \"X1\", \"name\": \"A\", \"area_id\": \"area_aaaa\",\n\"latitude\": 50, \"longitude\": 0, \"funding_route\": \"isf\", \"support_reason\": \"social\", \"complex_needs\": \"often\"}\n]";
    let problems = errors::<Person>(json, Format::Json);
    assert_eq!(problems[0].line, Some(2));
    assert_eq!(problems[0].field.as_deref(), Some("complex_needs"));
    let problems = errors::<Person>("{\"not\": \"an array\"}", Format::Json);
    assert!(
        problems[0].message.starts_with("not a JSON array"),
        "{problems:?}"
    );
}

#[test]
fn ragged_csv_rows_are_refused() {
    let problems = errors::<Person>("id,name\nper_aaaa\n", Format::Csv);
    assert_eq!(problems[0].line, Some(2));
    assert!(problems[0].message.contains("fields"), "{problems:?}");
}

#[test]
fn a_contracts_charge_terms_are_checked_by_field() {
    let market = demo();
    let csv = text(&market.contracts[..1], Format::Csv);
    let terms = format!(
        ",{},{},{}\n",
        market.contracts[0].charge_terms.basis.code(),
        market.contracts[0].charge_terms.increment_minutes,
        market.contracts[0].charge_terms.minimum_minutes
    );
    assert!(csv.ends_with(&terms), "{csv}");
    let bad = csv.replace(&terms, ",booked,0,500\n");
    let fields: Vec<Option<String>> = errors::<homeward_domain::Contract>(&bad, Format::Csv)
        .into_iter()
        .map(|problem| problem.field)
        .collect();
    // An unknown basis stops the record before its numbers are checked.
    assert_eq!(fields, [Some("charge_basis".to_owned())]);
    let bad = csv.replace(&terms, ",planned,0,500\n");
    let fields: Vec<Option<String>> = errors::<homeward_domain::Contract>(&bad, Format::Csv)
        .into_iter()
        .map(|problem| problem.field)
        .collect();
    assert_eq!(
        fields,
        [
            Some("charge_increment_minutes".to_owned()),
            Some("minimum_charge_minutes".to_owned())
        ]
    );
}

/// The demo's first packages with a provider, every third given a rate agreed on a quote.
fn quoted_packages() -> Vec<CarePackage> {
    demo()
        .packages
        .into_iter()
        .filter(|package| package.provider_id.is_some())
        .take(9)
        .enumerate()
        .map(|(index, mut package)| {
            if index % 3 == 0 {
                package.agreed_hourly_rate = Some(homeward_domain::Pence(1_650 + index as i64));
            }
            package
        })
        .collect()
}

#[test]
fn a_packages_agreed_rate_round_trips_and_is_blank_without_one() {
    let packages = quoted_packages();
    round_trip(&packages);
    let csv = text(&packages, Format::Csv);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",ends_on,agreed_hourly_rate_pence"),
        "{csv}"
    );
    assert!(lines.next().unwrap().ends_with(",1650"), "{csv}");
    assert!(lines.next().unwrap().ends_with(','), "{csv}");
    let json = text(&packages, Format::Json);
    assert!(
        json.contains("\"agreed_hourly_rate_pence\": 1650"),
        "{json}"
    );
    assert!(
        json.contains("\"agreed_hourly_rate_pence\": null"),
        "{json}"
    );
}

#[test]
fn a_packages_agreed_rate_is_whole_pence_from_1_to_the_highest_quote() {
    let packages = &quoted_packages()[..1];
    for format in [Format::Csv, Format::Json] {
        let written = text(packages, format);
        for bad in ["18.50", "0", "20001", "-5", "\"lots\""] {
            let (from, to) = match format {
                Format::Csv => (",1650", format!(",{}", bad.trim_matches('"'))),
                Format::Json => (": 1650", format!(": {bad}")),
            };
            let problems = errors::<CarePackage>(&written.replacen(from, &to, 1), format);
            assert_eq!(problems.len(), 1, "{format:?} {bad}: {problems:?}");
            assert_eq!(
                problems[0].field.as_deref(),
                Some("agreed_hourly_rate_pence"),
                "{format:?} {bad}: {problems:?}"
            );
            assert!(
                problems[0].message.contains("from 1 to 20000"),
                "{format:?} {bad}: {}",
                problems[0].message
            );
        }
    }
    // Files written before the column existed still import, at the contract's rate.
    let old = "id,person_id,provider_id,weekly_hours,visit_pattern,skills,starts_on,ends_on\n\
               pkg_aaaa,per_aaaa,prov_aaaa,7,daily 08:00 1h,,2019-01-01,\n";
    let read = read::<CarePackage>(old, Format::Csv).unwrap();
    assert_eq!(read[0].record.agreed_hourly_rate, None);
}
