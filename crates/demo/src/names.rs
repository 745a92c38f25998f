//! Made-up names for demo people, care workers and providers. Any likeness is chance.

use crate::random::suffix;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

const GIVEN_NAMES: &[&str] = &[
    "Ada", "Alan", "Alice", "Amir", "Ann", "Arthur", "Barbara", "Bernard", "Betty", "Brian",
    "Carol", "Colin", "Daphne", "David", "Dennis", "Doreen", "Edith", "Edward", "Eileen", "Elsie",
    "Eric", "Frank", "Gladys", "Gordon", "Grace", "Harold", "Hazel", "Ian", "Irene", "Ivy", "Jean",
    "John", "Joyce", "Keith", "Kenneth", "Lilian", "Malcolm", "Margaret", "Maureen", "Mohammed",
    "Nora", "Norman", "Olive", "Patricia", "Peter", "Priya", "Raymond", "Rita", "Roy", "Ruth",
    "Sandra", "Sheila", "Sunita", "Sylvia", "Thomas", "Valerie", "Vera", "Walter", "Winifred",
    "Yusuf",
];

const WORKER_GIVEN_NAMES: &[&str] = &[
    "Abi",
    "Adam",
    "Agnieszka",
    "Aisha",
    "Amy",
    "Ana",
    "Ben",
    "Bogdan",
    "Chloe",
    "Chris",
    "Daniel",
    "Dee",
    "Ella",
    "Emma",
    "Faith",
    "Florin",
    "Gemma",
    "Hannah",
    "Jade",
    "Jake",
    "Joy",
    "Kate",
    "Kelly",
    "Liam",
    "Lucy",
    "Maria",
    "Mark",
    "Megan",
    "Mia",
    "Nadia",
    "Naomi",
    "Olu",
    "Paula",
    "Priya",
    "Rachel",
    "Ravi",
    "Rosa",
    "Ryan",
    "Sam",
    "Sarah",
    "Shanice",
    "Sophie",
    "Tariq",
    "Tom",
    "Vicky",
    "Zoe",
];

const SURNAMES: &[&str] = &[
    "Adams",
    "Ahmed",
    "Allen",
    "Baker",
    "Begum",
    "Bennett",
    "Brown",
    "Carter",
    "Clarke",
    "Collins",
    "Cook",
    "Davies",
    "Edwards",
    "Evans",
    "Fisher",
    "Green",
    "Griffiths",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Jackson",
    "James",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Kowalski",
    "Lewis",
    "Marsh",
    "Martin",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
];

const PROVIDER_WORDS: &[&str] = &[
    "Acorn",
    "Beacon",
    "Bluebell",
    "Bramble",
    "Briar",
    "Brook",
    "Cedar",
    "Chalk Hill",
    "Compass",
    "Copper Beech",
    "Downland",
    "Elder",
    "Fern",
    "Harbour",
    "Hawthorn",
    "Heather",
    "Heron",
    "Holly",
    "Juniper",
    "Kestrel",
    "Kingfisher",
    "Lantern",
    "Larch",
    "Linden",
    "Maple",
    "Meadow",
    "Millstone",
    "Oakleaf",
    "Orchard",
    "Primrose",
    "Riverside",
    "Rowan",
    "Saffron",
    "Sandpiper",
    "Silver Birch",
    "Skylark",
    "Sorrel",
    "Swallow",
    "Thistle",
    "Weald",
    "Willow",
    "Wren",
];

const PROVIDER_KINDS: &[&str] = &[
    "Home Care",
    "Care at Home",
    "Homecare",
    "Care Services",
    "Support at Home",
    "Community Care",
];

/// A made-up name for a person receiving care.
pub(crate) fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        GIVEN_NAMES[rng.random_range(0..GIVEN_NAMES.len())],
        SURNAMES[rng.random_range(0..SURNAMES.len())]
    )
}

/// A made-up name for a care worker.
pub(crate) fn worker(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        WORKER_GIVEN_NAMES[rng.random_range(0..WORKER_GIVEN_NAMES.len())],
        SURNAMES[rng.random_range(0..SURNAMES.len())]
    )
}

/// A made-up provider name not yet in `taken`.
pub(crate) fn provider(rng: &mut ChaCha8Rng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let word = PROVIDER_WORDS[rng.random_range(0..PROVIDER_WORDS.len())];
        let kind = PROVIDER_KINDS[rng.random_range(0..PROVIDER_KINDS.len())];
        let mut name = format!("{word} {kind}");
        if taken.contains(&name) {
            // Past the pairs of words, tell providers apart as companies do, by a trading suffix.
            name = format!("{name} ({})", suffix(rng, 3).to_uppercase());
        }
        if taken.insert(name.clone()) {
            return name;
        }
    }
}
