//! Word lists for made-up people and places. Common Dutch names and names
//! from the largest migrant groups, with diacritics and voorvoegsels, so that
//! the demo exercises name handling as a real register would.

pub const MALE: &[&str] = &[
    "Jan", "Pieter", "Kees", "Henk", "Johannes", "Cornelis", "Willem", "Hendrik", "Gerrit", "Dirk",
    "Sander", "Mark", "Thomas", "Daan", "Sem", "Lucas", "Finn", "Noah", "Levi", "Bram", "Jeroen",
    "Martijn", "Ruud", "Bas", "Tim", "Jesse", "Luuk", "Milan", "Mohammed", "Ahmed", "Youssef",
    "Mehmet", "Emre", "Rajesh", "Kofi", "Dmitri", "Tomasz", "Piotr", "René", "Joël", "Stijn",
    "Wouter", "Arjen", "Hüseyin",
];

pub const FEMALE: &[&str] = &[
    "Maria",
    "Anna",
    "Johanna",
    "Cornelia",
    "Wilhelmina",
    "Hendrika",
    "Elisabeth",
    "Sanne",
    "Lisa",
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Noor",
    "Fenna",
    "Anouk",
    "Eva",
    "Lotte",
    "Iris",
    "Femke",
    "Inge",
    "Marieke",
    "Ingrid",
    "Petra",
    "Fatima",
    "Khadija",
    "Yasmina",
    "Ayşe",
    "Elif",
    "Zeynep",
    "Priya",
    "Agnieszka",
    "Olga",
    "Chantal",
    "Mirjam",
    "Renée",
    "Zoë",
    "Chloë",
    "Saskia",
    "Esther",
];

/// (voorvoegsel, geslachtsnaam); an empty voorvoegsel means none.
pub const SURNAMES: &[(&str, &str)] = &[
    ("de", "Jong"),
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("van der", "Heijden"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Kuipers"),
    ("", "Postma"),
    ("", "Yılmaz"),
    ("el", "Amrani"),
    ("", "Kaya"),
    ("", "Öztürk"),
    ("", "Bouzid"),
    ("", "Şahin"),
    ("", "Ramdin"),
    ("", "Martina"),
    ("", "Kowalski"),
    ("", "Nowak"),
    ("", "Nguyen"),
    ("ten", "Brinke"),
    ("in 't", "Veld"),
    ("", "Müller"),
    ("", "Bergé"),
];

pub const STREET_STEMS: &[&[&str]] = &[
    &[
        "Dorps", "Kerk", "Molen", "School", "Markt", "Stations", "Post", "Brug",
    ],
    &[
        "Merel",
        "Lijster",
        "Vinken",
        "Meeuwen",
        "Zwaluw",
        "Kievit",
        "Reiger",
        "Spreeuwen",
    ],
    &[
        "Eiken", "Beuken", "Linden", "Wilgen", "Berken", "Essen", "Iepen", "Kastanje",
    ],
    &[
        "Rembrandt",
        "Vermeer",
        "Mondriaan",
        "Van Gogh",
        "Jan Steen",
        "Frans Hals",
        "Escher",
        "Breitner",
    ],
    &[
        "Tulpen", "Rozen", "Lelie", "Iris", "Narcis", "Krokus", "Dahlia", "Anjer",
    ],
    &[
        "Haven",
        "Kade",
        "Sluis",
        "Dijk",
        "Gracht",
        "Schippers",
        "Vissers",
        "Zeil",
    ],
    &[
        "Akker",
        "Koren",
        "Haver",
        "Rogge",
        "Tarwe",
        "Vlas",
        "Hooi",
        "Boomgaard",
    ],
];

pub const STREET_SUFFIXES: &[&str] = &[
    "straat", "laan", "weg", "pad", "plein", "hof", "singel", "kade",
];

/// (buurt, index into STREET_STEMS, weight: its share of the households)
pub type Buurt = (&'static str, usize, u32);

/// The made-up municipality: (wijk, its buurten).
pub const WIJKEN: &[(&str, &[Buurt])] = &[
    (
        "Centrum",
        &[
            ("Oude Kern", 0, 3),
            ("Marktkwartier", 0, 2),
            ("Stationsbuurt", 0, 2),
        ],
    ),
    (
        "Noord",
        &[
            ("Vogelbuurt", 1, 4),
            ("Bomenbuurt", 2, 4),
            ("Noorderpark", 2, 2),
        ],
    ),
    (
        "Oost",
        &[
            ("Schildersbuurt", 3, 4),
            ("Bloemenwijk", 4, 4),
            ("Oosterhof", 4, 2),
        ],
    ),
    (
        "Zuid",
        &[
            ("De Akkers", 6, 4),
            ("Molenbuurt", 0, 3),
            ("Zuiderveld", 6, 3),
        ],
    ),
    (
        "West",
        &[
            ("Havenkwartier", 5, 3),
            ("Sluisbuurt", 5, 3),
            ("Westerdijk", 5, 2),
        ],
    ),
    ("De Horst", &[("Horst-Noord", 2, 3), ("Horst-Zuid", 4, 3)]),
];

pub const TOWN: &str = "Wegwijzerveen";

/// The first four postcode digits of the municipality's first buurt; the
/// others follow.
pub const FIRST_POSTCODE_AREA: u16 = 7001;
