//! The archive feed import against a real database: references, atomicity, idempotency.

use sosiaalitiedot::feed::ImportError;
use sosiaalitiedot::store::Store;

use crate::feed;
use crate::helpers::spawn_app;

const ORG: &str = r#"{"type":"organisation","oid":"1.2.246.10.1","name":{"fi":"Testin hyvinvointialue","sv":"Testens välfärdsområde"}}"#;
const PERSON: &str = r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Virtanen"}"#;

fn errors(e: ImportError) -> Vec<String> {
    match e {
        ImportError::Invalid(errors) => errors.iter().map(|e| e.to_string()).collect(),
        other => panic!("expected validation errors, got {other}"),
    }
}

#[actix_web::test]
async fn the_demo_feed_imports_and_reimporting_it_changes_nothing() {
    let app = spawn_app().await;
    let first = app.import(sosiaalitiedot::DEMO_FEED).await.expect("imports");
    assert!(first.0["document"] > 40);
    let counts = app.store.table_counts().await.unwrap();
    let people = app.store.all_people().await.unwrap();
    let second = app.import(sosiaalitiedot::DEMO_FEED).await.expect("imports again");
    assert_eq!(first, second);
    assert_eq!(app.store.table_counts().await.unwrap(), counts);
    let again = app.store.all_people().await.unwrap();
    assert_eq!(format!("{people:?}"), format!("{again:?}"));
}

#[actix_web::test]
async fn every_error_is_reported_with_its_line_including_database_references() {
    let app = spawn_app().await;
    app.import(&[ORG, PERSON].join("\n")).await.unwrap();
    let feed = [
        // line 1: refers to the person and organisation in the database: fine
        r#"{"type":"client_relationship","person":"131052-308T","registrar":"1.2.246.10.1","service_task":"older_people","started_on":"2026-03-04"}"#,
        // line 2: unknown person (valid code) and unknown organisation
        r#"{"type":"client_relationship","person":"010594Y9032","registrar":"1.2.246.10.9","service_task":"older_people","started_on":"2026-03-04"}"#,
        // line 3: a data-use event about a document that does not exist
        r#"{"type":"data_use","id":"E1","person":"131052-308T","at":"2026-03-04T10:00:00Z","action":"use","by":"1.2.246.10.1","registrar":"1.2.246.10.1","document":"NOPE","basis":"consent"}"#,
        // line 4: bad code and bad time
        r#"{"type":"data_use","id":"E2","person":"131052-308T","at":"yesterday","action":"peek","by":"1.2.246.10.1","registrar":"1.2.246.10.1","basis":"consent"}"#,
    ]
    .join("\n");
    let got = errors(app.import(&feed).await.unwrap_err());
    let expected_starts = [
        "line 2: person: refers to a person who is neither in the database nor earlier in the file",
        "line 2: registrar: unknown organisation \"1.2.246.10.9\"",
        "line 3: document: unknown document \"NOPE\"",
        "line 4: action: unknown code \"peek\"",
        "line 4: at: \"yesterday\" is not a valid RFC 3339 time",
    ];
    assert_eq!(got.len(), expected_starts.len(), "{got:#?}");
    for (g, e) in got.iter().zip(expected_starts) {
        assert!(g.starts_with(e), "{g:?} should start with {e:?}");
    }
    // Nothing was written: the valid first line neither.
    let counts = app.store.table_counts().await.unwrap();
    assert_eq!(counts.iter().find(|(t, _)| *t == "client_relationship").unwrap().1, 0);
}

#[actix_web::test]
async fn a_feed_whose_last_line_is_bad_leaves_the_database_exactly_as_it_was() {
    let app = spawn_app().await;
    app.load_demo().await;
    let before_counts = app.store.table_counts().await.unwrap();
    let before_people = format!("{:?}", app.store.all_people().await.unwrap());
    let feed = [
        // Renames an existing person, adds a person and an organisation...
        r#"{"type":"person","hetu":"170458-9028","first_names":"Renamed","last_name":"Person"}"#,
        r#"{"type":"person","hetu":"131052-308T","first_names":"Uusi","last_name":"Henkilö"}"#,
        ORG,
        // ...and the last line is broken.
        r#"{"type":"consent","person":"131052-308T","given":"yes","at":"2026-01-01T00:00:00Z"}"#,
    ]
    .join("\n");
    let got = errors(app.import(&feed).await.unwrap_err());
    assert_eq!(got, vec!["line 4: given: must be true or false"]);
    assert_eq!(app.store.table_counts().await.unwrap(), before_counts);
    assert_eq!(format!("{:?}", app.store.all_people().await.unwrap()), before_people);
}

#[actix_web::test]
async fn a_new_version_of_a_document_is_added_beside_the_old_one() {
    let app = spawn_app().await;
    let doc = |v: i64, title: &str, person: &str| {
        feed::document("D1", person, "older_people", title).set("version", v).line()
    };
    app.import(&[ORG.to_string(), PERSON.to_string(), doc(1, "Eka", "131052-308T")].join("\n")).await.unwrap();
    app.import(&doc(2, "Toka", "131052-308T")).await.unwrap();
    let counts = app.store.table_counts().await.unwrap();
    assert_eq!(counts.iter().find(|(t, _)| *t == "document").unwrap().1, 2);
    // The same id for another person is refused against the database too.
    let other = feed::person("010594Y9032", "B", "C").line();
    let got = errors(app.import(&[other, doc(3, "Kolmas", "010594Y9032")].join("\n")).await.unwrap_err());
    assert_eq!(got, vec!["line 2: person: differs from the person of the stored document with this id"]);
}

#[actix_web::test]
async fn a_document_or_event_imported_again_with_other_values_is_rewritten_in_place() {
    let app = spawn_app().await;
    let doc = feed::document("D1", "131052-308T", "older_people", "Eka");
    let event = feed::data_use("E1", "131052-308T", "1.2.246.10.1", "1.2.246.10.1").set("document", "D1");
    app.import(&[ORG.to_string(), PERSON.to_string(), doc.line(), event.line()].join("\n")).await.unwrap();
    let counts = app.store.table_counts().await.unwrap();
    let person = app.store.person_by_hetu("131052-308T").await.unwrap().unwrap().person_id;

    let corrected = doc
        .clone()
        .set("title", "Korjattu")
        .set("restrictions.special_content", true)
        .set("restrictions.delayed_until", "2027-01-31")
        .set("created_at", "2026-03-11T09:30:00Z");
    let moved = event.clone().set("action", "disclosure").set("at", "2026-07-01T12:00:00+03:00");
    app.import(&[corrected.line(), moved.line()].join("\n")).await.unwrap();

    assert_eq!(app.store.table_counts().await.unwrap(), counts, "rewritten, not added");
    let (documents, _) = app.store.subject_rows(person).await.unwrap();
    let [d] = &documents[..] else { panic!("one document: {documents:?}") };
    assert_eq!(
        (d.title.as_str(), d.special_content, d.delayed_until),
        ("Korjattu", true, chrono::NaiveDate::from_ymd_opt(2027, 1, 31))
    );
    assert_eq!(d.document_created_at.to_rfc3339(), "2026-03-11T09:30:00+00:00");
    let events = app.store.data_use_of(person, None, None).await.unwrap();
    let [e] = &events[..] else { panic!("one event: {events:?}") };
    assert_eq!((e.action.as_str(), e.at.to_rfc3339()), ("disclosure", "2026-07-01T09:00:00+00:00".to_string()));
    // The period filter compares the stored text with bound instants: the rewritten time is found.
    let july = chrono::DateTime::parse_from_rfc3339("2026-07-01T00:00:00Z").unwrap().to_utc();
    assert_eq!(app.store.data_use_of(person, Some(july), None).await.unwrap().len(), 1);
}

#[actix_web::test]
async fn keys_given_twice_control_characters_and_bidi_overrides_are_line_errors() {
    let app = spawn_app().await;
    app.import(&[ORG, PERSON].join("\n")).await.unwrap();
    let doc = |title: &str, extra: &str| {
        format!(
            r#"{{"type":"document","id":"D1","version":1,"person":"131052-308T","registrar":"1.2.246.10.1","service_task":"older_people","kind":"decision","phase":2,"status":"active","created_at":"2026-03-04T10:00:00Z","title":"{title}","language":"fi","author":"A","unit":"U"{extra}}}"#
        )
    };
    let feed = [
        // line 1: the person given twice: the last would silently win and move the document.
        doc("T", r#","person":"010594Y9032""#),
        // line 2: a NUL in the title (PostgreSQL would fail with a database error)
        doc("a\\u0000b", ""),
        // line 3: a right-to-left override in the title
        doc("abc\u{202e}fdp.exe", ""),
        // line 4: an escape sequence in a heading; tab and newline are fine in bodies only
        doc("T2", r#","sections":[{"heading":"x\u001b[31m","body":"a\tb\nc"}]"#).replacen(
            r#""id":"D1""#,
            r#""id":"D4""#,
            1,
        ),
        // line 5: a tab in a title
        doc("a\\tb", "").replacen(r#""id":"D1""#, r#""id":"D5""#, 1),
    ]
    .join("\n");
    let got = errors(app.import(&feed).await.unwrap_err());
    assert_eq!(
        got.iter().map(|e| e.split(':').take(2).collect::<Vec<_>>().join(":")).collect::<Vec<_>>(),
        vec!["line 1: person", "line 2: title", "line 3: title", "line 4: sections[0].heading", "line 5: title"],
        "{got:#?}"
    );
    assert!(got[0].ends_with("given twice"), "{got:#?}");
    assert!(!got.iter().any(|e| e.contains("010594Y9032")), "an identity code echoed: {got:#?}");
    assert!(!got.iter().any(|e| e.chars().any(|c| c.is_control())), "control characters echoed: {got:#?}");
    assert_eq!(app.store.table_counts().await.unwrap().iter().find(|(t, _)| *t == "document").unwrap().1, 0);
}

/// The import works in batches of 2 000 lines; what it settles across batches must match what it
/// settles within one: references only to earlier lines, duplicates, a document's owner.
#[actix_web::test]
async fn references_and_duplicates_are_settled_the_same_across_batches() {
    let app = spawn_app().await;
    const A: &str = "131052-308T";
    const B: &str = "010594Y9032";
    let mut records = vec![feed::organisation(feed::ORG, "Testi"), feed::person(A, "Aino", "Virtanen")];
    while records.len() < 2_600 {
        let n = records.len();
        records.push(feed::document(&format!("D{n}"), A, "older_people", "Päätös"));
    }
    let line_of = |n: usize| n + 1;
    // Line 1 990 (first batch) refers to B, who is defined only at line 2 101 (second batch).
    records[1_989] = feed::data_use("E-EARLY", B, feed::ORG, feed::ORG);
    records[2_100] = feed::person(B, "Bertta", "Muu");
    // Line 2 200 repeats the key of a document from the first batch.
    records[2_199] = feed::document("D5", A, "older_people", "Päätös");
    // Line 2 300: a new version of a first-batch document, for another person.
    records[2_299] = feed::document("D6", B, "older_people", "Päätös").set("version", 2);
    // Fine: a first-batch document referred to from the third batch; B referred to after line 2 101.
    records[2_399] = feed::data_use("E-LATE", A, feed::ORG, feed::ORG).set("document", "D7");
    records[2_400] = feed::relationship(B, feed::ORG, "older_people", "Työntekijä");
    let got = errors(app.import(&feed::lines(&records)).await.unwrap_err());
    assert_eq!(
        got,
        vec![
            format!(
                "line {}: person: refers to a person who is neither in the database nor earlier in the file",
                line_of(1_989)
            ),
            format!("line {}: id: duplicate document record: the same key appears earlier in the file", line_of(2_199)),
            format!("line {}: person: differs from the person of an earlier version of this document", line_of(2_299)),
        ]
    );
    assert!(app.store.table_counts().await.unwrap().iter().all(|(_, n)| *n == 0), "nothing written");

    // Without those three lines the same long feed imports whole, and again without a change.
    for i in [1_989, 2_199, 2_299] {
        records[i] = feed::data_use(&format!("E{i}"), A, feed::ORG, feed::ORG);
    }
    let text = feed::lines(&records);
    let first = app.import(&text).await.expect("imports");
    assert_eq!((first.0["person"], first.0["data_use"], first.0["client_relationship"]), (2, 4, 1));
    assert_eq!(first.0.values().sum::<usize>(), 2_600);
    let counts = app.store.table_counts().await.unwrap();
    assert_eq!(app.import(&text).await.expect("imports again"), first);
    assert_eq!(app.store.table_counts().await.unwrap(), counts);
}

/// Repeats across batches of documents and data-use events, whose repeats PostgreSQL finds as it
/// writes them: a repeat of a line written earlier, a repeat of a line left unwritten (it had an
/// error), a repeat that has an error of its own, and a data-use event's repeat — each named once,
/// the same on both backends; the earlier line's values are kept, and nothing is written.
#[actix_web::test]
async fn repeats_of_written_and_unwritten_lines_are_named_across_batches() {
    let app = spawn_app().await;
    const A: &str = "131052-308T";
    const B: &str = "010594Y9032";
    let mut records = vec![
        feed::organisation(feed::ORG, "Testi"),
        feed::person(A, "Aino", "Virtanen"),
        feed::person(B, "Bertta", "Muu"),
    ];
    while records.len() < 4_300 {
        let n = records.len();
        records.push(feed::document(&format!("D{n}"), A, "older_people", "Päätös"));
    }
    let line_of = |n: usize| n + 1;
    // First batch: a data-use event, and a document of a person nowhere in the file (an error:
    // left unwritten).
    const NOBODY: &str = "010101-901S";
    records[100] = feed::data_use("E-1", A, feed::ORG, feed::ORG);
    records[200] = feed::document("BAD", NOBODY, "older_people", "Päätös");
    // Second batch: the event again; the unwritten document again (its own error again, and a repeat).
    records[2_100] = feed::data_use("E-1", A, feed::ORG, feed::ORG);
    records[2_200] = feed::document("BAD", NOBODY, "older_people", "Päätös");
    // Third batch: a written document again with another title (a repeat only), and again for
    // another person (a repeat with an error of its own).
    records[4_100] = feed::document("D5", A, "older_people", "Toinen");
    records[4_200] = feed::document("D6", B, "older_people", "Päätös");
    let got = errors(app.import(&feed::lines(&records)).await.unwrap_err());
    let unknown_person = |line: usize| {
        format!(
            "line {}: person: refers to a person who is neither in the database nor earlier in the file",
            line_of(line)
        )
    };
    assert_eq!(
        got,
        vec![
            unknown_person(200),
            format!("line {}: id: duplicate data_use record: the same key appears earlier in the file", line_of(2_100)),
            format!("line {}: id: duplicate document record: the same key appears earlier in the file", line_of(2_200)),
            unknown_person(2_200),
            format!("line {}: id: duplicate document record: the same key appears earlier in the file", line_of(4_100)),
            format!("line {}: id: duplicate document record: the same key appears earlier in the file", line_of(4_200)),
            format!("line {}: person: differs from the person of an earlier version of this document", line_of(4_200)),
        ]
    );
    assert!(app.store.table_counts().await.unwrap().iter().all(|(_, n)| *n == 0), "nothing written");
}

#[actix_web::test]
async fn a_line_that_is_not_utf8_is_reported_and_the_rest_still_checked() {
    let app = spawn_app().await;
    let mut bytes = [ORG, PERSON].join("\n").into_bytes();
    bytes.extend_from_slice(b"\n{\"type\":\"person\",\"hetu\":\"\xff\xfe\"}\n");
    bytes.extend_from_slice(br#"{"type":"consent","person":"131052-308T","given":"yes","at":"2026-01-01T00:00:00Z"}"#);
    let got = sosiaalitiedot::feed::import(&app.store, std::io::Cursor::new(bytes), |_| {}).await.unwrap_err();
    assert_eq!(errors(got), vec!["line 3: -: not valid UTF-8", "line 4: given: must be true or false"]);
}

#[actix_web::test]
async fn error_lines_never_print_a_value_shaped_like_an_identity_code() {
    let app = spawn_app().await;
    let feed = [
        // an unknown field whose name is an identity code
        r#"{"type":"person","hetu":"131052-308T","first_names":"Aino","last_name":"Virtanen","131052-308T":1}"#,
        // an unknown type and an unknown code holding one
        r#"{"type":"x010594Y9032"}"#,
        r#"{"type":"guardianship","guardian":"131052-308T","child":"131052-308T","kind":"150380-9125","valid_from":"2020-01-01"}"#,
        // a bad date holding one, in lower case
        r#"{"type":"consent","person":"131052-308T","given":true,"at":"150380-912t"}"#,
        // an invalid identity code itself
        r#"{"type":"person","hetu":"131052-308X","first_names":"A","last_name":"B"}"#,
    ]
    .join("\n");
    let errors = errors(app.import(&feed).await.unwrap_err());
    assert!(errors.len() >= 5, "{errors:?}");
    for e in &errors {
        for code in ["131052-308", "010594Y903", "150380-912", "131052-308X"] {
            assert!(!e.to_ascii_uppercase().contains(&code.to_ascii_uppercase()), "{e}");
        }
        assert!(e.starts_with("line "), "{e}");
    }
}

/// The document's columns are listed once (`DOCUMENT_COLUMNS`); this checks that list against the
/// migrated schema of the backend under test and every document statement against the list: a
/// column added to a migration but not to the import, a placeholder out of place, or a type that
/// differs from the schema's fails here.
#[actix_web::test]
async fn the_document_columns_agree_with_the_schema_and_every_statement() {
    use sosiaalitiedot::store::{
        DOCUMENT_COLUMNS, DOCUMENT_INSERT_POSTGRES, DOCUMENT_INSERT_SQLITE, DOCUMENT_UPDATE_SQLITE,
    };
    let app = crate::helpers::spawn_app().await;
    let listed: Vec<&str> = DOCUMENT_COLUMNS.split(',').map(str::trim).collect();
    // Columns the store keeps for itself, never imported.
    let own = ["document_row_id", "created_at"];
    let schema: Vec<(String, String)> = match &app.store {
        Store::Sqlite(p) => sqlx::query_as("select name, type from pragma_table_info('document') order by cid").fetch_all(p).await.unwrap(),
        Store::Postgres(p) => sqlx::query_as(
            "select column_name::text, udt_name::text from information_schema.columns where table_name = 'document' and table_schema = current_schema() order by ordinal_position")
            .fetch_all(p).await.unwrap(),
    };
    let mut in_schema: Vec<&str> = schema.iter().map(|(n, _)| n.as_str()).filter(|n| !own.contains(n)).collect();
    let mut sorted = listed.clone();
    in_schema.sort();
    sorted.sort();
    assert_eq!(sorted, in_schema, "DOCUMENT_COLUMNS against the migrated table");

    // `name = ?N` pairs of the SQLite update: each name at position N of the list; with the key,
    // every column.
    let update_pairs: Vec<(&str, usize)> = DOCUMENT_UPDATE_SQLITE
        .split(['\n', ','])
        .flat_map(|part| part.split(" and "))
        .filter_map(|part| part.split_once("= ?"))
        .map(|(name, n)| (name.split_whitespace().last().unwrap(), n.trim().parse::<usize>().unwrap()))
        .collect();
    for (name, n) in &update_pairs {
        assert_eq!(listed[n - 1], *name, "?{n} of the update");
    }
    assert_eq!(update_pairs.len(), listed.len(), "the update sets or keys every column");
    // The SQLite insert: ?1 … ?N, one per column.
    let placeholders = DOCUMENT_INSERT_SQLITE.matches('?').count();
    assert_eq!(placeholders, listed.len());
    assert!(DOCUMENT_INSERT_SQLITE.contains(&format!("?{}", listed.len())));
    // PostgreSQL's unnest: $1 … $N in order, each cast to the column's type in the schema (the
    // insert's, up to its conflict clause; the keys of repeats are read from $1 and $2 after it).
    let (insert, conflict) = DOCUMENT_INSERT_POSTGRES.split_once(" on conflict ").unwrap();
    let casts: Vec<(usize, &str)> = insert
        .split('$')
        .skip(1)
        .map(|p| {
            let (n, rest) = p.split_once("::").unwrap();
            (n.parse().unwrap(), rest.split('[').next().unwrap())
        })
        .collect();
    assert_eq!(casts.iter().map(|c| c.0).collect::<Vec<_>>(), (1..=listed.len()).collect::<Vec<_>>());
    let sets = conflict.split(" do update set ").nth(1).unwrap();
    let sets = sets.split_once(" where ").map_or(sets, |(sets, _)| sets);
    let upsert_sets: Vec<&str> = sets.split(',').map(|s| s.trim()).collect();
    for set in &upsert_sets {
        let (a, b) = set.split_once(" = excluded.").unwrap();
        assert_eq!(a.trim(), b.trim(), "{set}");
    }
    assert_eq!(upsert_sets.len(), listed.len() - 2, "the upsert sets every column but the key");
    if let Store::Postgres(_) = &app.store {
        let pg_type = |cast: &str| match cast {
            "int4" | "int8" | "text" | "bool" | "date" | "timestamptz" => cast.to_string(),
            other => panic!("an unexpected cast {other}"),
        };
        for (i, (_, cast)) in casts.iter().enumerate() {
            let (_, udt) = schema.iter().find(|(n, _)| n == listed[i]).unwrap();
            assert_eq!(&pg_type(cast), udt, "${} ({})", i + 1, listed[i]);
        }
    }
}
