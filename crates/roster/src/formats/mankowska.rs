//! The home health care text format of Mankowska, Meisel & Bierwirth (2014).
//!
//! A file is a series of sections, each a keyword line (`nbNodes`, `nbVehi`, `nbServi`, `r`,
//! `DS`, `a`, `x`, `y`, `d`, `p`, `mind`, `maxd`, `e`, `l`) followed by whitespace-separated
//! numbers. Node 0 is the depot, node `nbNodes − 1` a copy of it, and the nodes between are the
//! patients. `DS` numbers nodes from 1 (it lists node `i` as `i + 1`); every other section from 0.
//!
//! The mapping: [`Travel::Matrix`] with the file's `d` as the car matrix (places are nodes);
//! one worker per caregiver (ids `"0"`, `"1"`, …) from node 0 to node `nbNodes − 1`, leaving no
//! earlier than `e_0` and with no real end ([`OPEN_SHIFT_END`]), skills `"s0"`…`"s5"` from `a`;
//! one visit per patient (id = node number) with the window `[e_i, l_i]` and lateness allowed
//! but penalised. A patient needing two services becomes one visit for two carers: part 0 does
//! the lower-numbered service, part 1 (`second`) the higher, linked `together` when
//! `mind = maxd = 0` and `ordered` (part 1 starts `mind` to `maxd` after part 0) otherwise.
//! Weights are [`Weights::mankowska`]. The coordinates `x`, `y` and the depot's `l` are read and
//! checked but not used.

use std::collections::BTreeSet;

use crate::{Link, Problem, SecondPart, Travel, Visit, Weights, Window, Worker};

use super::FormatError;

/// The shift end given to every caregiver: the benchmark has no shift end (the depot's `l` is
/// not a constraint in the literature's model), so it is far beyond any run.
pub const OPEN_SHIFT_END: f64 = 1.0e6;

/// The section keywords, in the order the files give them.
const KEYWORDS: [&str; 14] = [
    "nbNodes", "nbVehi", "nbServi", "r", "DS", "a", "x", "y", "d", "p", "mind", "maxd", "e", "l",
];

/// Parses a Mankowska instance; `name` becomes the problem's name (the files do not hold one;
/// the file stem is usual).
pub fn parse(text: &str, name: &str) -> Result<Problem, FormatError> {
    let file = Sections::split(text)?;
    let nodes = file.count("nbNodes", 2)?;
    let vehicles = file.count("nbVehi", 1)?;
    let services = file.count("nbServi", 1)?;

    let needs = file.flags("r", nodes * services, "nbNodes × nbServi")?;
    let holds = file.flags("a", vehicles * services, "nbVehi × nbServi")?;
    file.numbers("x", nodes, "nbNodes")?;
    file.numbers("y", nodes, "nbNodes")?;
    let d = file.numbers("d", nodes * nodes, "nbNodes × nbNodes")?;
    let p = file.numbers(
        "p",
        nodes * vehicles * services,
        "nbNodes × nbVehi × nbServi",
    )?;
    let mind = file.numbers("mind", nodes, "nbNodes")?;
    let maxd = file.numbers("maxd", nodes, "nbNodes")?;
    let e = file.numbers("e", nodes, "nbNodes")?;
    let l = file.numbers("l", nodes, "nbNodes")?;
    for (index, &(line, value)) in d.iter().enumerate() {
        if value < 0.0 {
            let (from, to) = (index / nodes, index % nodes);
            return Err(error(
                line,
                "d",
                format!("d[{from}][{to}] = {value} is negative"),
            ));
        }
    }
    let doubles = file.double_services(nodes)?;

    let mut visits = Vec::with_capacity(nodes - 2);
    for patient in 1..nodes - 1 {
        let row = &needs[patient * services..(patient + 1) * services];
        let needed: Vec<usize> = (0..services).filter(|&s| row[s].1).collect();
        let line = row[0].0;
        match (needed.len(), doubles.contains(&patient)) {
            (1, false) | (2, true) => {}
            (2, false) => {
                return Err(error(
                    line,
                    "r",
                    format!(
                        "patient {patient} needs two services but DS does not list it (as {}; DS \
                         numbers nodes from 1)",
                        patient + 1
                    ),
                ));
            }
            (count, true) => {
                return Err(error(
                    file.line("DS"),
                    "DS",
                    format!(
                        "DS lists {} (patient {patient}; DS numbers nodes from 1) but r gives \
                         that patient {count} services; a double service needs exactly 2",
                        patient + 1
                    ),
                ));
            }
            (count, false) => {
                return Err(error(
                    line,
                    "r",
                    format!("patient {patient} needs {count} services; expected 1, or 2 if in DS"),
                ));
            }
        }
        let duration = |service: usize| -> Result<f64, FormatError> {
            let at = |vehicle: usize| p[(patient * vehicles + vehicle) * services + service];
            let (_, first) = at(0);
            for vehicle in 1..vehicles {
                let (line, time) = at(vehicle);
                if time != first {
                    return Err(error(
                        line,
                        "p",
                        format!(
                            "patient {patient}, service {service}: caregiver {vehicle} takes \
                             {time} but caregiver 0 takes {first}; this reader needs one time \
                             per patient and service"
                        ),
                    ));
                }
            }
            Ok(first)
        };
        let (start, end) = (e[patient], l[patient]);
        if end.1 < start.1 {
            return Err(error(
                end.0,
                "l",
                format!("patient {patient}: l = {} is before e = {}", end.1, start.1),
            ));
        }
        let window = Window::new(start.1, end.1);
        let mut visit = Visit {
            skills: vec![skill(needed[0])],
            ..Visit::new(patient.to_string(), patient, window, duration(needed[0])?)
        };
        if let [_, higher] = needed[..] {
            let ((line, min_gap), (_, max_gap)) = (mind[patient], maxd[patient]);
            if min_gap < 0.0 || max_gap < min_gap {
                return Err(error(
                    line,
                    "mind",
                    format!("patient {patient}: the gap [{min_gap}, {max_gap}] is not a range"),
                ));
            }
            visit.carers = 2;
            visit.link = Some(if min_gap == 0.0 && max_gap == 0.0 {
                Link::Together { tolerance: 0.0 }
            } else {
                Link::Ordered { min_gap, max_gap }
            });
            visit.second = Some(SecondPart {
                skills: Some(vec![skill(higher)]),
                duration: Some(duration(higher)?),
            });
        }
        visits.push(visit);
    }

    let workers = (0..vehicles)
        .map(|vehicle| Worker {
            end_place: nodes - 1,
            skills: (0..services)
                .filter(|&s| holds[vehicle * services + s].1)
                .map(skill)
                .collect(),
            ..Worker::new(vehicle.to_string(), 0, Window::new(e[0].1, OPEN_SHIFT_END))
        })
        .collect();
    let car = d
        .chunks(nodes)
        .map(|row| row.iter().map(|&(_, value)| value).collect())
        .collect();
    Ok(Problem {
        name: name.to_owned(),
        travel: Travel::Matrix {
            car,
            bike: None,
            foot: None,
        },
        workers,
        visits,
        weights: Weights::mankowska(),
    })
}

/// The skill name of service `s`.
fn skill(service: usize) -> String {
    format!("s{service}")
}

/// One section: where its keyword is and its tokens with their line numbers.
struct Section<'a> {
    line: usize,
    tokens: Vec<(usize, &'a str)>,
}

/// The file split into its sections, in [`KEYWORDS`] order.
struct Sections<'a> {
    sections: [Option<Section<'a>>; KEYWORDS.len()],
    last: usize,
}

impl<'a> Sections<'a> {
    fn split(text: &'a str) -> Result<Self, FormatError> {
        let mut sections: [Option<Section<'a>>; KEYWORDS.len()] = Default::default();
        let mut current: Option<usize> = None;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim();
            if trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let Some(keyword) = KEYWORDS.iter().position(|&k| k == trimmed) else {
                    let keyword = KEYWORDS[current.unwrap_or(0)];
                    return Err(error(
                        number,
                        keyword,
                        format!("`{trimmed}` is not a keyword ({})", KEYWORDS.join(", ")),
                    ));
                };
                if let Some(earlier) = &sections[keyword] {
                    return Err(error(
                        number,
                        KEYWORDS[keyword],
                        format!("given twice (first on line {})", earlier.line),
                    ));
                }
                sections[keyword] = Some(Section {
                    line: number,
                    tokens: Vec::new(),
                });
                current = Some(keyword);
            } else if !trimmed.is_empty() {
                let Some(keyword) = current else {
                    return Err(error(
                        number,
                        KEYWORDS[0],
                        "numbers before the first keyword",
                    ));
                };
                let section = sections[keyword].as_mut().expect("opened above");
                section
                    .tokens
                    .extend(trimmed.split_whitespace().map(|token| (number, token)));
            }
        }
        Ok(Self {
            sections,
            last: text.lines().count().max(1),
        })
    }

    fn get(&self, keyword: &'static str) -> Result<&Section<'a>, FormatError> {
        let index = KEYWORDS
            .iter()
            .position(|&k| k == keyword)
            .expect("a keyword");
        self.sections[index]
            .as_ref()
            .ok_or_else(|| error(self.last, keyword, "section missing"))
    }

    /// The line of a section's keyword.
    fn line(&self, keyword: &'static str) -> usize {
        self.get(keyword).map_or(self.last, |section| section.line)
    }

    /// A section holding one whole number, at least `least`.
    fn count(&self, keyword: &'static str, least: usize) -> Result<usize, FormatError> {
        let section = self.get(keyword)?;
        let [(line, token)] = section.tokens[..] else {
            return Err(error(
                section.line,
                keyword,
                format!("expected one number; found {}", section.tokens.len()),
            ));
        };
        match token.parse::<usize>() {
            Ok(count) if count >= least => Ok(count),
            _ => Err(error(
                line,
                keyword,
                format!("`{token}` is not a whole number of at least {least}"),
            )),
        }
    }

    /// A section of exactly `len` numbers (`shape` says how `len` is made up, for the message).
    fn numbers(
        &self,
        keyword: &'static str,
        len: usize,
        shape: &str,
    ) -> Result<Vec<(usize, f64)>, FormatError> {
        let section = self.get(keyword)?;
        if section.tokens.len() != len {
            return Err(error(
                section.line,
                keyword,
                format!(
                    "expected {len} numbers ({shape}); found {}",
                    section.tokens.len()
                ),
            ));
        }
        section
            .tokens
            .iter()
            .map(|&(line, token)| match token.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok((line, value)),
                _ => Err(error(line, keyword, format!("`{token}` is not a number"))),
            })
            .collect()
    }

    /// A section of exactly `len` flags, each 0 or 1.
    fn flags(
        &self,
        keyword: &'static str,
        len: usize,
        shape: &str,
    ) -> Result<Vec<(usize, bool)>, FormatError> {
        self.numbers(keyword, len, shape)?
            .into_iter()
            .map(|(line, value)| match value {
                0.0 => Ok((line, false)),
                1.0 => Ok((line, true)),
                _ => Err(error(line, keyword, format!("{value} is not 0 or 1"))),
            })
            .collect()
    }

    /// The patients (node numbers from 0) that `DS` lists.
    fn double_services(&self, nodes: usize) -> Result<BTreeSet<usize>, FormatError> {
        let mut patients = BTreeSet::new();
        for &(line, token) in &self.get("DS")?.tokens {
            let patient = match token.parse::<usize>() {
                Ok(id) if (2..nodes).contains(&id) => id - 1,
                _ => {
                    return Err(error(
                        line,
                        "DS",
                        format!(
                            "`{token}` is not a patient; DS numbers nodes from 1, so patients are \
                             2 to {}",
                            nodes - 1
                        ),
                    ));
                }
            };
            if !patients.insert(patient) {
                return Err(error(line, "DS", format!("{token} is listed twice")));
            }
        }
        Ok(patients)
    }
}

fn error(line: usize, keyword: &str, message: impl Into<String>) -> FormatError {
    FormatError::Mankowska {
        line,
        keyword: keyword.to_owned(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two patients (nodes 1 and 2), two caregivers, three services. Patient 2 needs services 0
    /// and 2, in order with a gap of 5 to 10; DS lists it as 3.
    const TINY: &str = "nbNodes
4
nbVehi
2
nbServi
3
r
1 1 1
0 1 0
1 0 1
1 1 1
DS
3
a
1 1 0
0 1 1
x
0 3 0 0
y
0 4 4 0
d
0.0 5.0 4.0 0.0
5.0 0.0 3.0 5.0
4.0 3.0 0.0 4.0
0.0 5.0 4.0 0.0
p
0 0 0
0 0 0
7.0 8.0 9.0
7.0 8.0 9.0
7.0 8.0 9.0
7.0 8.0 9.0
0 0 0
0 0 0
mind
3 4 5 6
maxd
6 8 10 12
e
0 10 20 0
l
600 40 50 1000
";

    fn message(text: &str) -> String {
        parse(text, "tiny").unwrap_err().to_string()
    }

    #[test]
    fn maps_a_tiny_instance() {
        let problem = parse(TINY, "tiny").unwrap();
        assert_eq!(problem.name, "tiny");
        let Travel::Matrix { car, bike, foot } = &problem.travel else {
            panic!("{:?}", problem.travel)
        };
        assert_eq!(car[1], vec![5.0, 0.0, 3.0, 5.0]);
        assert!(bike.is_none() && foot.is_none());
        assert_eq!(problem.workers.len(), 2);
        let worker = &problem.workers[1];
        assert_eq!(worker.id, "1");
        assert_eq!((worker.start_place, worker.end_place), (0, 3));
        assert_eq!(worker.shift, Window::new(0.0, OPEN_SHIFT_END));
        assert_eq!(worker.skills, ["s1", "s2"]);
        assert_eq!(problem.visits.len(), 2);
        let single = &problem.visits[0];
        assert_eq!(
            (single.id.as_str(), single.place, single.carers),
            ("1", 1, 1)
        );
        assert_eq!(single.skills, ["s1"]);
        assert_eq!(single.duration, 8.0);
        assert_eq!(single.window, Window::new(10.0, 40.0));
        assert_eq!(single.max_lateness, None);
        assert_eq!((single.link, &single.second), (None, &None));
        let double = &problem.visits[1];
        assert_eq!((double.id.as_str(), double.carers), ("2", 2));
        assert_eq!(
            (double.skills.as_slice(), double.duration),
            (&["s0".to_owned()][..], 7.0)
        );
        assert_eq!(
            double.second,
            Some(SecondPart {
                skills: Some(vec!["s2".to_owned()]),
                duration: Some(9.0)
            })
        );
        assert_eq!(
            double.link,
            Some(Link::Ordered {
                min_gap: 5.0,
                max_gap: 10.0
            })
        );
        assert_eq!(problem.weights, Weights::mankowska());
    }

    #[test]
    fn a_zero_gap_is_together() {
        let text = TINY.replace(
            "mind\n3 4 5 6\nmaxd\n6 8 10 12",
            "mind\n3 4 0 6\nmaxd\n6 8 0 12",
        );
        let problem = parse(&text, "tiny").unwrap();
        assert_eq!(
            problem.visits[1].link,
            Some(Link::Together { tolerance: 0.0 })
        );
    }

    #[test]
    fn unknown_duplicate_and_missing_sections() {
        let text = TINY.replace("DS\n", "DoubleS\n");
        assert!(message(&text).contains("line 12, section `r`: `DoubleS` is not a keyword"));
        let text = format!("{TINY}e\n0 0 0 0\n");
        assert!(message(&text).contains("section `e`: given twice (first on line 39)"));
        let text = TINY.replace("mind\n3 4 5 6\n", "");
        assert!(message(&text).contains("section `mind`: section missing"));
        assert!(
            message(&format!("4\n{TINY}")).contains("line 1, section `nbNodes`: numbers before")
        );
    }

    #[test]
    fn bad_counts() {
        let text = TINY.replacen("4\n", "4.5\n", 1);
        assert!(message(&text).contains("line 2, section `nbNodes`: `4.5` is not a whole number"));
        let text = TINY.replacen("4\n", "1\n", 1);
        assert!(message(&text).contains("`1` is not a whole number of at least 2"));
        let text = TINY.replacen("2\n", "2 3\n", 1);
        assert!(message(&text).contains("line 3, section `nbVehi`: expected one number; found 2"));
    }

    #[test]
    fn wrong_lengths_and_bad_numbers() {
        let text = TINY.replace("0 3 0 0\n", "0 3 0\n");
        assert!(message(&text).contains("section `x`: expected 4 numbers (nbNodes); found 3"));
        let text = TINY.replace("5.0 0.0 3.0 5.0", "5.0 0.0 3.0");
        assert!(message(&text).contains("`d`: expected 16 numbers (nbNodes × nbNodes); found 15"));
        let text = TINY.replace("5.0 0.0 3.0 5.0", "5.0 0.0 three 5.0");
        assert!(message(&text).contains("line 23, section `d`: `three` is not a number"));
        let text = TINY.replace("5.0 0.0 3.0 5.0", "5.0 0.0 -3.0 5.0");
        assert!(message(&text).contains("section `d`: d[1][2] = -3 is negative"));
        let text = TINY.replace("1 1 0\n0 1 1", "1 1 0\n0 2 1");
        assert!(message(&text).contains("line 16, section `a`: 2 is not 0 or 1"));
    }

    #[test]
    fn ds_disagrees_with_r() {
        // Read as numbered from 0, DS = 3 would be the end depot.
        let text = TINY.replace("DS\n3\n", "DS\n4\n");
        assert!(message(&text).contains("line 13, section `DS`: `4` is not a patient"));
        let text = TINY.replace("DS\n3\n", "DS\n2\n");
        assert!(message(&text).contains(
            "section `DS`: DS lists 2 (patient 1; DS numbers nodes from 1) but r gives that patient 1 services"
        ));
        let text = TINY.replace("DS\n3\n", "DS\n\n");
        assert!(message(&text).contains(
            "line 10, section `r`: patient 2 needs two services but DS does not list it (as 3"
        ));
        let text = TINY.replace("DS\n3\n", "DS\n3 3\n");
        assert!(message(&text).contains("3 is listed twice"));
        let text = TINY.replace("0 1 0\n1 0 1", "0 0 0\n1 0 1");
        assert!(message(&text).contains("line 9, section `r`: patient 1 needs 0 services"));
    }

    #[test]
    fn processing_times_must_not_depend_on_the_caregiver() {
        let text = TINY.replacen(
            "7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0",
            "7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.5",
            1,
        );
        assert!(message(&text).contains(
            "line 32, section `p`: patient 2, service 2: caregiver 1 takes 9.5 but caregiver 0 takes 9"
        ));
        // A service the patient does not need may differ.
        let text = TINY.replacen(
            "7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0",
            "7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.0 9.0\n7.0 8.5 9.0",
            1,
        );
        assert!(parse(&text, "tiny").is_ok());
    }

    #[test]
    fn bad_windows_and_gaps() {
        let text = TINY.replace("l\n600 40 50 1000", "l\n600 5 50 1000");
        assert!(message(&text).contains("section `l`: patient 1: l = 5 is before e = 10"));
        let text = TINY.replace("mind\n3 4 5 6\n", "mind\n3 4 11 6\n");
        assert!(
            message(&text).contains("section `mind`: patient 2: the gap [11, 10] is not a range")
        );
    }
}
