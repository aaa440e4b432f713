//! Unit tests of the theme rules, the default taxonomy and the loaders.

use super::*;

fn tags(text: &str) -> Vec<String> {
    Taxonomy::default().tag(text, "")
}

#[test]
fn default_taxonomy_loads_with_21_documented_themes() {
    let taxonomy = Taxonomy::from_toml_str(Taxonomy::DEFAULT_TOML, "themes.toml").unwrap();
    assert_eq!(taxonomy.themes().len(), 21);
    assert_eq!(taxonomy.threshold(), 2);
    for theme in taxonomy.themes() {
        assert!(!theme.label.is_empty(), "{}", theme.id);
        assert!(!theme.description.is_empty(), "{}", theme.id);
    }
    assert_eq!(
        taxonomy.theme("neglect").map(|t| t.label.as_str()),
        Some("Neglect")
    );
    assert!(taxonomy.theme("nothing").is_none());
}

/// One clear example per theme: each must get its theme.
#[test]
fn each_theme_fires_on_a_clear_example() {
    let examples = [
        ("early-help", "Families receive early help through the early help assessment and the team around the family."),
        ("front-door", "The MASH screens contacts quickly and thresholds are well understood by partners."),
        ("child-protection", "Strategy discussions are held promptly and section 47 enquiries are thorough."),
        ("exploitation", "Children at risk of child sexual exploitation and county lines are identified early."),
        ("missing", "Return home interviews are offered to every child who goes missing."),
        ("domestic-abuse", "Referrals to MARAC are appropriate and IDVAs support victims of domestic abuse."),
        ("neglect", "Practitioners use the graded care profile to recognise chronic neglect."),
        ("disabled-children", "Disabled children benefit from short breaks and timely transition planning."),
        ("private-fostering", "Awareness of private fostering is low and few arrangements are notified."),
        ("allegations", "The LADO manages allegations against staff effectively."),
        ("assessment-planning", "Assessments are timely but chronologies are not kept up to date."),
        ("voice-of-child", "Children's wishes and feelings are recorded and advocacy is offered."),
        ("management-oversight", "Management oversight is evident on files and supervision is regular."),
        ("workforce", "Caseloads are high and recruitment of permanent staff has reduced reliance on agency staff."),
        ("placements", "Placement stability is good and there are enough foster carers."),
        ("permanence-adoption", "Adopters are well prepared and the adoption panel is effective."),
        ("education", "The virtual school tracks attainment and every child has a PEP."),
        ("health", "Health assessments are timely and CAMHS waiting times are short."),
        ("care-leavers", "Care leavers have pathway plans and know their personal advisers."),
        ("governance-partnership", "Elected members take corporate parenting seriously and the LSCB provides scrutiny."),
        ("performance-qa", "Quality assurance is strong and performance information is used well."),
    ];
    let taxonomy = Taxonomy::default();
    assert_eq!(examples.len(), taxonomy.themes().len());
    for (id, text) in examples {
        assert!(taxonomy.theme(id).is_some(), "unknown theme {id}");
        let got = taxonomy.tag(text, "");
        assert!(
            got.iter().any(|t| t == id),
            "{id} not in {got:?} for {text:?}"
        );
    }
}

#[test]
fn clear_non_examples_get_no_theme() {
    assert!(tags("Inspectors met staff during the visit.").is_empty());
    assert!(tags("This report was published on 19 November 2014.").is_empty());
    // One weak term is not enough.
    assert_eq!(
        tags("The data were collected in March."),
        Vec::<String>::new()
    );
    // Lowercase words are not acronyms.
    assert!(!tags("cse and pep were discussed").contains(&"exploitation".to_string()));
}

#[test]
fn an_adoption_paragraph_is_tagged_adoption_only() {
    let text = "The adoption panel is well chaired and provides robust challenge. Adopters are \
                well prepared, and the agency decision maker makes timely decisions.";
    assert_eq!(tags(text), ["permanence-adoption"]);
}

#[test]
fn stemming_matches_inflected_terms() {
    // "assessed" and "chronology" stem to the rule terms "assessment"... and "chronologies".
    let explained = Taxonomy::default().explain("Chronology work and assessments.", "");
    let ap = explained
        .iter()
        .find(|s| s.id == "assessment-planning")
        .unwrap();
    assert!(ap.applies, "{ap:?}");
    assert_eq!(ap.score, 2);
}

#[test]
fn repeated_term_scores_twice_but_counts_once_as_rule() {
    let explained = Taxonomy::default().explain("Neglect is common. Neglect is recognised.", "");
    let neglect = explained.iter().find(|s| s.id == "neglect").unwrap();
    assert_eq!(neglect.score, 2);
    assert_eq!(neglect.evidence, ["term \"neglect\" (x2)"]);
}

#[test]
fn apostrophe_less_and_fused_forms_match() {
    // Apostrophes lost in conversion.
    assert!(tags("The childrens views are sought in reviews.").contains(&"voice-of-child".into()));
    assert!(tags("The children’s views are sought.").contains(&"voice-of-child".into()));
    // Hyphen lost and words fused: "multiagency" for "multi-agency".
    assert!(tags("The multiagency safeguarding hub is effective.").contains(&"front-door".into()));
    assert!(tags("The multi-agency safeguarding hub is effective.").contains(&"front-door".into()));
    assert!(tags("A returnhome interview was held.").contains(&"missing".into()));
    // Acronym plurals and possessives.
    assert!(tags("Two LADOs were appointed.").contains(&"allegations".into()));
    assert!(tags("The LADO's caseload.").contains(&"allegations".into()));
}

#[test]
fn section_heading_is_weak_evidence_only() {
    let taxonomy = Taxonomy::default();
    let text = "Sufficiency has improved this year.";
    // One term alone scores 1: not enough.
    assert!(!taxonomy.tag(text, "").contains(&"placements".into()));
    // A matching heading adds 1.
    assert!(taxonomy
        .tag(text, "Placements for children looked after")
        .contains(&"placements".into()));
    // A heading alone never tags.
    assert!(taxonomy
        .tag("Inspectors met staff.", "Adoption performance")
        .is_empty());
    let explained = taxonomy.explain(text, "Placement stability");
    let placements = explained.iter().find(|s| s.id == "placements").unwrap();
    assert!(placements.evidence.contains(&"section heading".to_string()));
}

#[test]
fn tags_are_sorted_and_unique() {
    let t = tags(
        "Care leavers have pathway plans; their health assessments and CAMHS support are \
         good, and the virtual school monitors attainment. Care leavers say so.",
    );
    let mut sorted = t.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(t, sorted);
    assert!(t.contains(&"care-leavers".into()));
    assert!(t.contains(&"health".into()));
    assert!(t.contains(&"education".into()));
}

#[test]
fn words_drop_apostrophes_and_read_ampersand_as_and() {
    let mut words = Vec::new();
    for_each_word("Children’s & young people's multi-agency", |w, at| {
        words.push((w.to_string(), at))
    });
    let words: Vec<_> = words.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(
        words,
        ["Childrens", "and", "young", "peoples", "multi", "agency"]
    );
    assert_eq!(
        stem_words("Assessments were ASSESSED"),
        ["assess", "were", "assess"]
    );
}

const USER: &str = r#"
threshold = 1

[[themes]]
id = "housing"
label = "Housing"
terms = ["tenancy"]
phrases = ["bed and breakfast"]
acronyms = ["B&B"]
"#;

#[test]
fn user_taxonomy_replaces_the_default() {
    let bad = Taxonomy::from_toml_str(USER, "user.toml").unwrap_err();
    // "B&B" is not one word of letters and digits.
    assert!(bad.to_string().contains("theme 'housing'"), "{bad}");
    assert!(bad.to_string().contains("B&B"), "{bad}");
    let good = USER.replace(r#"acronyms = ["B&B"]"#, r#"acronyms = ["BB"]"#);
    let taxonomy = Taxonomy::from_toml_str(&good, "user.toml").unwrap();
    assert_eq!(taxonomy.threshold(), 1);
    assert_eq!(taxonomy.tag("Her tenancy ended.", ""), ["housing"]);
    assert_eq!(taxonomy.tag("Two BBs were used.", ""), ["housing"]);
    assert!(taxonomy.tag("Adoption panel.", "").is_empty());
    // Round trip through TOML and JSON.
    let again = Taxonomy::from_toml_str(&taxonomy.to_toml(), "again.toml").unwrap();
    assert_eq!(again.themes(), taxonomy.themes());
    let json = serde_json::json!({ "threshold": 1, "themes": taxonomy.themes() }).to_string();
    let from_json = Taxonomy::from_json_str(&json, "user.json").unwrap();
    assert_eq!(from_json.themes(), taxonomy.themes());
    // The default serialises and reloads too.
    let default = Taxonomy::default();
    let reloaded = Taxonomy::from_toml_str(&default.to_toml(), "x.toml").unwrap();
    assert_eq!(reloaded.themes(), default.themes());
}

fn config_error(result: Result<Taxonomy>) -> (String, String) {
    match result {
        Err(Error::Config {
            location, message, ..
        }) => (location, message),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn loader_errors_name_the_entry() {
    let theme =
        |id: &str, rules: &str| format!("[[themes]]\nid = \"{id}\"\nlabel = \"L\"\n{rules}\n");
    let dup = format!(
        "{}{}",
        theme("neglect", "terms = [\"neglect\"]"),
        theme("neglect", "terms = [\"harm\"]")
    );
    let (location, message) = config_error(Taxonomy::from_toml_str(&dup, "t.toml"));
    assert_eq!(location, "theme 'neglect'");
    assert!(message.contains("duplicate"), "{message}");

    let (location, message) = config_error(Taxonomy::from_toml_str(&theme("empty", ""), "t"));
    assert_eq!(location, "theme 'empty'");
    assert!(message.contains("no rules"), "{message}");

    let (location, message) = config_error(Taxonomy::from_toml_str(
        &theme("Bad_Id", "terms = [\"x\"]"),
        "t",
    ));
    assert_eq!(location, "theme 'Bad_Id'");
    assert!(message.contains("kebab-case"), "{message}");

    let (location, message) = config_error(Taxonomy::from_toml_str(
        &theme("x", "terms = [\"two words\"]"),
        "t",
    ));
    assert_eq!(location, "theme 'x'");
    assert!(message.contains("phrase"), "{message}");

    let (location, _) = config_error(Taxonomy::from_toml_str(
        &theme("x", "phrases = [\"one\"]"),
        "t",
    ));
    assert_eq!(location, "theme 'x'");

    // Unknown fields are refused, with the line they are on.
    let unknown = format!("{}colour = \"red\"\n", theme("x", "terms = [\"y\"]"));
    let (location, message) = config_error(Taxonomy::from_toml_str(&unknown, "t"));
    assert_eq!(location, "line 5");
    assert!(message.contains("colour"), "{message}");

    let (location, message) = config_error(Taxonomy::from_toml_str("themes = []", "t"));
    assert_eq!(location, "themes");
    assert!(message.contains("no themes"));

    let json = r#"{"themes": [{"id": "a", "label": "A", "terms": ["x"], "weight": 3}]}"#;
    let (location, message) = config_error(Taxonomy::from_json_str(json, "t.json"));
    assert!(location.starts_with("line 1"), "{location}");
    assert!(message.contains("weight"), "{message}");

    let err = Taxonomy::from_toml_str(&dup, "mine.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "mine.toml: theme 'neglect': duplicate id: theme 1 has the same id"
    );
}

#[test]
fn from_path_reads_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let toml_path = dir.path().join("t.toml");
    std::fs::write(&toml_path, USER.replace("\"B&B\"", "\"BB\"")).unwrap();
    assert_eq!(Taxonomy::from_path(&toml_path).unwrap().themes().len(), 1);
    let txt = dir.path().join("t.txt");
    std::fs::write(&txt, "x").unwrap();
    let (location, _) = config_error(Taxonomy::from_path(&txt));
    assert_eq!(location, "file name");
    assert!(matches!(
        Taxonomy::from_path(dir.path().join("missing.toml")),
        Err(Error::Io { .. })
    ));
}

/// Every block of the bundled corpus tags without panicking, and each theme occurs
/// somewhere: the rules are not dead.
#[test]
fn corpus_lines_exercise_every_theme() {
    let taxonomy = Taxonomy::default();
    let mut seen = std::collections::BTreeSet::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Blocks between blank lines: raw text, independent of the chunker.
        for block in text.split("\n\n") {
            seen.extend(taxonomy.tag(block, ""));
        }
    }
    let missing: Vec<_> = taxonomy
        .themes()
        .iter()
        .filter(|t| !seen.contains(&t.id))
        .map(|t| t.id.as_str())
        .collect();
    assert!(missing.is_empty(), "themes never tagged: {missing:?}");
}

/// The per-thread word cache belongs to one taxonomy at a time; switching must not leak one
/// taxonomy's word meanings into another.
#[test]
fn alternating_taxonomies_on_one_thread_stay_separate() {
    let default = Taxonomy::default();
    let user = Taxonomy::from_toml_str(
        "threshold = 1\n[[themes]]\nid = \"courts\"\nlabel = \"Courts\"\nterms = [\"court\"]\n",
        "user.toml",
    )
    .unwrap();
    let text = "The adoption panel sent the case to court.";
    for _ in 0..3 {
        assert_eq!(default.tag(text, ""), ["permanence-adoption"]);
        assert_eq!(user.tag(text, ""), ["courts"]);
        assert_eq!(default.clone().tag(text, ""), ["permanence-adoption"]);
    }
}

#[test]
fn a_theme_may_set_its_own_threshold() {
    // The default `neglect` theme needs one mention; other themes need two points.
    assert_eq!(tags("Children who have experienced neglect."), ["neglect"]);
    assert!(tags("Sufficiency is reviewed.").is_empty());
    let toml = "[[themes]]\nid = \"x\"\nlabel = \"X\"\nterms = [\"y\"]\nthreshold = 0\n";
    let (location, message) = config_error(Taxonomy::from_toml_str(toml, "t"));
    assert_eq!(location, "theme 'x'");
    assert!(message.contains("at least 1"), "{message}");
}
