//! Plain and exact words (issue #23): every page about someone else's data speaks of the child's or
//! the principal's data, never of "your" data; the help page lists what the seeds list.

use crate::helpers::spawn_demo_app;

/// Phrases that speak of the reader's own data, by language.
fn own_data_phrases(lang: &str) -> &'static [&'static str] {
    match lang {
        "fi" => &[
            "tietosi",
            "tietojasi",
            "tietojesi",
            "asiakastietojasi",
            "omatyöntekijääsi",
            "omatyöntekijäsi",
            "Oikeutesi",
            "Sinulla on oikeus",
            "luvallasi",
            "Sinä näet",
        ],
        "sv" => &[
            "dina uppgifter",
            "Dina rättigheter",
            "din egen kontaktperson",
            "ditt tillstånd",
            "dina klientuppgifter",
            "Du ser dina",
        ],
        _ => {
            &["your information", "Your rights", "your own worker", "your consent", "your data", "your social welfare"]
        }
    }
}

#[actix_web::test]
async fn pages_about_someone_else_never_speak_of_your_data() {
    let app = spawn_demo_app().await;
    // (who signs in, whom they choose, the pages to read)
    let cases = [
        (
            "Laura Helena",
            "Eetu",
            vec![
                "/records",
                "/records/child_welfare",
                "/informing",
                "/consent",
                "/consent/confirm?action=give",
                "/prohibitions",
                "/data-use",
                "/",
            ],
        ),
        ("Pirkko", "Eetu", vec!["/records", "/informing", "/consent", "/prohibitions", "/data-use", "/"]),
        (
            "Juha Petteri",
            "Eino",
            vec![
                "/records",
                "/records/older_people",
                "/informing",
                "/consent",
                "/prohibitions",
                "/prohibitions/new?type=service_task",
                "/data-use",
                "/",
            ],
        ),
    ];
    let mut found = Vec::new();
    for (actor, subject, paths) in cases {
        let browser = app.another(actor).await;
        assert_eq!(browser.choose(subject).await.status, 303);
        for lang in ["fi", "sv", "en"] {
            for path in &paths {
                let url = format!("/{lang}{path}");
                let page = browser.get(&url).await;
                if page.status == 303 {
                    continue; // nothing to confirm, say
                }
                assert_eq!(page.status, 200, "{actor} → {subject}: {url}");
                let text = [page.texts("main").join(" "), page.texts("footer").join(" ")].join(" ");
                for phrase in own_data_phrases(lang) {
                    if let Some(at) = text.find(phrase) {
                        let around: String = text[at.saturating_sub(80)..].chars().take(160).collect();
                        found.push(format!("{actor} acting for {subject}: {url} says {phrase:?}: …{around}…"));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[actix_web::test]
async fn own_pages_keep_speaking_to_the_reader_and_the_actor_column_says_themself() {
    let app = spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    assert!(app.get("/fi/data-use").await.text("main").contains("tietojasi"));
    assert!(app.get("/sv/informing").await.text("main").contains("Dina rättigheter"));
    let csrf_page = app.get("/fi/consent/confirm?action=give").await;
    if csrf_page.status == 200 {
        let csrf = csrf_page.attr("input[name=csrf_token]", "value").unwrap();
        let subject = csrf_page.attr("input[name=subject_token]", "value").unwrap();
        app.post("/fi/consent", &[("csrf_token", &csrf), ("subject_token", &subject), ("action", "give")]).await;
        assert_eq!(app.get("/fi/consent").await.text(".consent-row-who"), "Aino Marjatta Virtanen (itse)");
        assert_eq!(app.get("/sv/consent").await.text(".consent-row-who"), "Aino Marjatta Virtanen (själv)");
        assert_eq!(app.get("/en/consent").await.text(".consent-row-who"), "Aino Marjatta Virtanen (themself)");
    }
}

#[actix_web::test]
async fn the_help_page_lists_what_the_seeds_list() {
    let app = spawn_demo_app().await;
    let fi = app.get("/fi/help").await;
    let never = fi.texts("#never-list li").join(" | ");
    for item in [
        "turvakotipalvelun",
        "lähisuhde- ja perheväkivallan",
        "maksusitoumuksia",
        "huolto- ja tapaamisoikeusselvitystä",
        "adoptioneuvonnan",
        "asiakkuusasiakirjaa",
        "mitätöityjä",
        "aiempia versioita",
        "rekisterinpitäjä liittyi",
    ] {
        assert!(never.contains(item), "{item} not in: {never}");
    }
    assert!(!fi.body.contains("palvelun järjestäjä liittyi"));
    let later = fi.texts("#not-yet-list li").join(" | ");
    for item in ["asiakaskertomusmerkintöjä", "yhteiseen asiaan", "vanhemmuuden selvittämiseen"] {
        assert!(later.contains(item), "{item} not in: {later}");
    }
    let restricted = fi.texts("#restricted-list li").join(" | ");
    for item in ["viivästää", "näyttämättä", "huoltajille"] {
        assert!(restricted.contains(item), "{item} not in: {restricted}");
    }
    assert!(fi.text("main").contains("Rajauksista voi aina keskustella omatyöntekijän kanssa."));
    assert!(!fi.text("main").contains("terveytesi, kehityksesi tai turvallisuutesi"), "a reason no seed gives");
    assert_eq!(fi.count("#missing-list li"), 5);
    let sv = app.get("/sv/help").await;
    assert!(sv.texts("#never-list li").join(" ").contains("betalningsförbindelser"));
    assert!(
        sv.texts("#not-yet-list li").join(" ").contains("klienthandlingar som hänför sig till ett gemensamt ärende")
    );
    assert_eq!(sv.text("h2#acting"), "Sköta ärenden för någon annan");
}

#[actix_web::test]
async fn the_data_use_log_explains_each_basis_and_downloads_the_filtered_rows_as_csv() {
    let app = spawn_demo_app().await;
    app.sign_in_as("Aino Marjatta").await;
    let page = app.get("/fi/data-use").await;
    assert_eq!(page.status, 200);
    let bases = page.texts(".basis-list dt");
    assert_eq!(
        bases,
        vec![
            "Luovutuslupa",
            "Lakisääteinen tiedonsaantioikeus",
            "Rekisterinpitäjän oma käyttö",
            "Ostopalvelu tai palveluseteli"
        ]
    );
    assert_eq!(page.count(".basis-list dd"), 4);
    assert_eq!(page.attr("main a[href='/fi/help']", "href").as_deref(), Some("/fi/help"));
    let rows = page.count("tr.data-use-row");
    assert!(rows > 0);
    let link = page.attr("a.download-link", "href").unwrap();
    assert_eq!(link, "/fi/data-use?format=csv");
    let csv = app.get(&link).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.header("cache-control").as_deref(), Some("no-store"));
    let disposition = csv.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment; filename=\"tietojen-kaytto-2026-11-25.csv\""), "{disposition}");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "\"Aika\",\"Tapahtuma\",\"Käyttäjä tai vastaanottaja\",\"Kenen rekisteristä\",\"Peruste\",\"Asiakirja\""
    );
    // Every filtered row, not only this page's: the pages' rows together.
    let mut all_pages = rows;
    let mut next = page.attr("a[rel=next]", "href");
    while let Some(url) = next {
        let p = app.get(&url).await;
        all_pages += p.count("tr.data-use-row");
        next = p.attr("a[rel=next]", "href");
    }
    assert_eq!(lines.len() - 1, all_pages);
    // The filter carries over; an impossible period gives no rows but the header.
    let filtered = app.get("/fi/data-use?from=1.1.2000&to=2.1.2000").await;
    assert_eq!(filtered.attr("a.download-link", "href"), None, "no rows, nothing to download");
    let csv = app.get("/fi/data-use?from=1.1.2000&to=2.1.2000&format=csv").await;
    assert_eq!(csv.body.trim_start_matches('\u{feff}').lines().count(), 1);
    // Someone acting for the person gets the same rules: a guardian sees no row of a hidden document.
    let laura = app.another("Laura Helena").await;
    laura.choose("Eetu").await;
    let child_csv = laura.get("/sv/data-use?format=csv").await;
    assert!(child_csv.header("content-disposition").unwrap().contains("anvandning-av-uppgifter-2026-11-25.csv"));
    assert!(!child_csv.body.contains("Muistio: nuoren oma tapaaminen"));
}

#[actix_web::test]
async fn who_acted_for_me_names_the_target_of_a_change_in_one_line_and_filters_by_person() {
    let app = spawn_demo_app().await;
    // Juha, Eino's representative, sets a prohibition through the three form steps.
    let juha = app.another("Juha Petteri").await;
    juha.choose("Eino").await;
    let targets = juha.get("/fi/prohibitions/new?type=service_task").await;
    let target = targets.attr("input[name=target]", "value").expect("a task is offered");
    let check = juha.get(&format!("/fi/prohibitions/new?type=service_task&target={target}")).await;
    let form = [
        ("csrf_token", crate::helpers::TestApp::csrf_of(&check)),
        ("subject_token", check.attr("input[name=subject_token]", "value").unwrap()),
        ("type", "service_task".to_string()),
        ("target", target.clone()),
        ("nonce", check.attr("input[name=nonce]", "value").unwrap()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(juha.post("/fi/prohibitions", &form).await.status, 303);
    juha.get("/fi/informing").await;
    app.sign_in_as("Eino Kalevi").await;
    let page = app.get("/fi/acted-for-me").await;
    let rows = page.texts("tr.acted-row .acted-what");
    let task_name = match target.as_str() {
        "older_people" => "Iäkkäiden palvelut",
        other => panic!("unexpected first task {other}"),
    };
    assert!(rows.contains(&format!("Asetti luovutuskiellon: palvelutehtävä {task_name}")), "{rows:?}");
    assert!(rows.contains(&"Katseli Kanta-informointia".to_string()), "{rows:?}");
    assert!(
        !rows.contains(&"Katseli luovutuskieltoja".to_string()),
        "the form steps of the change are not lines of their own: {rows:?}"
    );
    // The filter by person.
    let juha_id = app.person_id("Juha Petteri").await;
    let options = page.texts("select#who option");
    assert!(options.contains(&"Juha Petteri Korhonen".to_string()), "{options:?}");
    let filtered = app.get(&format!("/fi/acted-for-me?who={juha_id}")).await;
    assert!(filtered.texts("tr.acted-row .acted-who").iter().all(|w| w == "Juha Petteri Korhonen"));
    assert_eq!(filtered.attr(&format!("select#who option[value='{juha_id}']"), "selected").as_deref(), Some(""));
}

/// Accessibility round three (issue #24), as far as HTML shows it.
mod round_three {
    use crate::helpers::spawn_demo_app;

    #[actix_web::test]
    async fn the_menu_and_banner_are_the_same_on_every_page_of_one_acting_state_and_every_link_answers() {
        let app = spawn_demo_app().await;
        app.sign_in_as("Laura Helena").await;
        app.choose("Eetu").await;
        for lang in ["fi", "sv", "en"] {
            let mut menus = Vec::new();
            for path in ["/records", "/consent", "/data-use", "/help", "/sessions", "/accessibility", "/feedback", "/"]
            {
                let page = app.get(&format!("/{lang}{path}")).await;
                assert_eq!(page.status, 200, "{lang}{path}");
                assert!(
                    page.text("#acting-banner-text").contains("Eetu Matias Nieminen"),
                    "the banner on {lang}{path}"
                );
                let links: Vec<String> = page
                    .html()
                    .select(&scraper::Selector::parse("nav.main-nav a").unwrap())
                    .filter_map(|a| a.value().attr("href").map(str::to_string))
                    .collect();
                assert!(
                    !links.iter().any(|l| l.ends_with("/acted-for-me")),
                    "{lang}{path}: who acted for me is the principal's own page"
                );
                for link in &links {
                    assert_eq!(app.get(link).await.status, 200, "{link} from {lang}{path}");
                }
                menus.push(links);
            }
            assert!(menus.windows(2).all(|w| w[0] == w[1]), "{lang}: one menu: {menus:?}");
        }
    }

    #[actix_web::test]
    async fn demo_sign_in_keeps_the_return_address() {
        let app = spawn_demo_app().await;
        let page = app.get("/fi/sign-in?return=/fi/records/older_people").await;
        let action = page.attr("li.person-card form", "action").unwrap();
        assert_eq!(action, "/fi/sign-in?return=%2Ffi%2Frecords%2Folder_people");
        let csrf = crate::helpers::TestApp::csrf_of(&page);
        let person = page.attr("li.person-card input[name=person_id]", "value").unwrap();
        let res = app.post(&action, &[("csrf_token", &csrf), ("person_id", &person)]).await;
        assert_eq!(res.location(), "/fi/records/older_people");
        // Another site is never a return address.
        let page = app.get("/fi/sign-in?return=//evil.example/").await;
        assert_eq!(page.attr("li.person-card form", "action").as_deref(), Some("/fi/sign-in"));
    }

    #[actix_web::test]
    async fn the_check_page_of_a_prohibition_has_change_links_and_the_menu_names_differ_from_the_site_name() {
        let app = spawn_demo_app().await;
        app.sign_in_as("Aino Marjatta").await;
        let targets = app.get("/fi/prohibitions/new?type=service_task").await;
        let target = targets.attr("input[name=target]", "value").unwrap();
        let check = app.get(&format!("/fi/prohibitions/new?type=service_task&target={target}")).await;
        assert_eq!(check.attr("a.change-type", "href").unwrap(), "/fi/prohibitions/new?type=service_task&change=1");
        assert_eq!(
            check.attr("a.change-target", "href").unwrap(),
            format!("/fi/prohibitions/new?type=service_task&target={target}&change=1")
        );
        assert_eq!(
            app.get(&check.attr("a.change-target", "href").unwrap()).await.attr("input[name=target][checked]", "value"),
            Some(target)
        );
        let site = check.text("a.site-name");
        let first = check.texts("nav.main-nav a")[0].clone();
        assert!(!site.starts_with(&first) && first != "Sosiaalipalvelujen tiedot", "{site} / {first}");
        // The DEMO banner sits inside the header landmark.
        assert_eq!(check.count("header .demo-banner"), 1);
        assert_eq!(check.count("body > .demo-banner"), 0);
    }
}

#[actix_web::test]
async fn texts_are_marked_with_their_language_only_where_it_is_known() {
    let app = spawn_demo_app().await;
    app.sign_in_as("Mikael Johannes").await;
    for (lang, marked) in [("fi", true), ("en", true), ("sv", false)] {
        let page = app.get(&format!("/{lang}/records/working_age")).await;
        assert_eq!(page.status, 200);
        // Swedish documents' titles are marked on the Finnish and English pages.
        assert_eq!(page.count(".doc-title a > span[lang=sv]") > 0, marked, "{lang}");
        // A registrar's own texts (units, the worker's title and unit) are in a language the feed
        // does not give: never marked with a guessed one.
        assert_eq!(page.count("td[lang]"), 0, "{lang}: a unit marked with a guessed language");
        assert_eq!(
            page.count(".worker dd[lang], dl.document-meta dd[lang]"),
            0,
            "{lang}: a worker's text marked with a guessed language"
        );
        // The registrar's address is given per language: shown in the page's (Finnish on the
        // English page, then marked), never guessed.
        let address_lang = page.attr(".contact-address", "lang");
        assert_eq!(address_lang.as_deref(), if lang == "en" { Some("fi") } else { None }, "{lang}");
    }
    let doc = app.get("/fi/records/working_age").await.attr(".doc-title a:has(> span[lang=sv])", "href").unwrap();
    let document = app.get(&doc).await;
    assert_eq!(document.attr("h1", "lang").as_deref(), Some("sv"));
    assert_eq!(document.count(".meta-unit[lang], .meta-author[lang]"), 0);
}

/// Issue #34, items 1–10: every text is true for the person reading it. A reader who cannot do a
/// thing is never told "you can"; one reading another person's data reads of that person; the
/// data-use page says what its events mean and that no prohibition stops a statutory or
/// own-register use. One case per role.
#[actix_web::test]
async fn every_role_reads_texts_true_for_it() {
    let app = spawn_demo_app().await;
    // (role, who signs in, whom they choose)
    let roles = [
        ("own adult", "Aino Marjatta", None),
        ("own minor", "Eetu Matias", None),
        ("guardian", "Laura Helena", Some("Eetu")),
        ("information right", "Pirkko", Some("Eetu")),
        ("mandate", "Juha Petteri", Some("Eino")),
    ];
    for (role, actor, subject) in roles {
        let browser = app.another(actor).await;
        if let Some(s) = subject {
            browser.choose(s).await;
        }
        // 1–2: the limits and the lead of prohibitions are impersonal for everyone.
        let p = browser.get("/fi/prohibitions").await;
        assert!(
            !p.text("#prohibitions-limit-purchase").contains("käytät"),
            "{role}: {}",
            p.text("#prohibitions-limit-purchase")
        );
        assert!(!p.text("#prohibitions-lead").contains("määrität"), "{role}");
        let sv = browser.get("/sv/prohibitions").await;
        assert!(!sv.text("#prohibitions-limit-purchase").contains("du använder"), "{role}");
        assert!(!sv.text("#prohibitions-lead").contains("bestämmer du"), "{role}");
        let en = browser.get("/en/prohibitions").await;
        assert!(!en.text("#prohibitions-limit-purchase").contains("you use"), "{role}");
        // 3: consent's lead never promises what the reader cannot do.
        let c = browser.get("/fi/consent").await.text("#consent-lead");
        match role {
            "information right" => {
                assert!(c.contains("et voi antaa etkä perua") && !c.contains("sallit"), "{role}: {c}")
            }
            "own minor" => {
                assert!(c.contains("Alaikäisenä et voi itse") && !c.contains("kunnes perut sen"), "{role}: {c}")
            }
            _ => assert!(!c.contains("et voi antaa"), "{role}: {c}"),
        }
        // 5: the help page names whose own worker to ask.
        let help = browser.get("/fi/help").await;
        let (ask, corrections) = (help.text("#help-missing-ask"), help.text("#help-corrections"));
        match role {
            "guardian" | "information right" => {
                assert!(
                    ask.contains("lapsen omatyöntekijältä") && corrections.contains("lapsen omatyöntekijään"),
                    "{role}: {ask} {corrections}"
                );
                assert!(browser.get("/sv/help").await.text("#help-missing-ask").contains("barnets egen kontaktperson"));
            }
            "mandate" => assert!(
                ask.contains("valtuuttajan omatyöntekijältä") && corrections.contains("valtuuttajan omatyöntekijään"),
                "{role}"
            ),
            _ => assert!(ask.contains("omatyöntekijältäsi"), "{role}: {ask}"),
        }
        // 9: a guardian's help says guardians are not told of restrictions.
        assert!(
            help.text("main").contains("ei saa ilmoitusta siitä, että lapsen tietojen näyttämistä on rajattu"),
            "{role}"
        );
        // 6: the front page says what this reader can do.
        let home = browser.get("/fi/").await.text("#home-what-you-cannot-do");
        let may_choose = home.contains("tehdä niiden luovuttamista koskevia valintoja");
        match role {
            "own minor" | "information right" => {
                assert!(!may_choose && !home.contains("voit katsella tietoja ja tehdä"), "{role}: {home}")
            }
            "guardian" => assert!(
                home.contains("antaa tai perua lapsen luovutusluvan") && home.contains("lapsen omatyöntekijään"),
                "{role}: {home}"
            ),
            "mandate" => assert!(home.contains("valtuuttajan") && may_choose, "{role}: {home}"),
            _ => assert!(may_choose, "{role}: {home}"),
        }
        // 7–8: the data-use page explains its events and its column, and that a prohibition does
        // not stop a statutory disclosure or the registrar's own use.
        let d = browser.get("/fi/data-use").await;
        assert!(
            d.text("#data-use-event-use").starts_with("Käyttö:")
                && d.text("#data-use-event-disclosure").starts_with("Luovutus:"),
            "{role}"
        );
        assert!(d.text(".basis-list").contains("Luovutuskielto ei estä tällaista luovutusta"), "{role}");
        assert!(d.text(".basis-list").contains("eikä luovutuskielto estä sitä"), "{role}");
        // 10: a prohibition's target is where the data is, not data about the registrar.
        let informing = browser.get("/sv/informing").await;
        if role != "guardian" && role != "information right" {
            assert!(
                informing.body.contains(
                    "uppgifter i en viss handling, inom en serviceuppgift eller hos en personuppgiftsansvarig"
                ),
                "{role}"
            );
            assert!(
                browser
                    .get("/en/informing")
                    .await
                    .body
                    .contains("the information in a particular document, within a service task or held by a registrar"),
                "{role}"
            );
        }
    }
    // 4: a choice recorded at a service reads the same whoever reads it (sv named no "du").
    let l = sosiaalitiedot::web::i18n::Loc::new(sosiaalitiedot::web::i18n::Lang::Sv);
    assert_eq!(l.t("choices-set-at-service"), "Registrerat hos socialvården");
}

/// Issue #34, low items: the Kanta announcement follows the categories not yet shown (not the
/// registrars' start dates), no start date is promised, and attempts are named in "who acted for
/// me"'s lead.
#[actix_web::test]
async fn the_help_page_says_who_announces_what_and_whom_to_ask_for_a_start_date() {
    let app = spawn_demo_app().await;
    let fi = app.get("/fi/help").await;
    assert_eq!(fi.text("#not-yet-list + p"), "Kanta-palvelut tiedottavat muutoksista, kun ajankohta lähestyy.");
    assert!(fi.text("main").contains("Kysy aloituspäivää rekisterinpitäjältä."));
    assert!(!fi.text("main").contains("ilmoittaa aloituspäivänsä"));
    app.sign_in_as("Aino Marjatta").await;
    assert!(app.get("/fi/acted-for-me").await.text("main").contains("tehnyt valintoja tai yrittänyt"));
}

/// The statement's link to the supervisory authority goes to the site its text names, in each
/// language; the conformance sentence names WCAG 2.2 and EN 301 549 with the WCAG it rests on.
#[actix_web::test]
async fn the_statement_links_the_authority_s_site_in_the_page_s_language() {
    let app = spawn_demo_app().await;
    for (lang, site) in
        [("fi", "saavutettavuusvaatimukset.fi"), ("sv", "tillganglighetskrav.fi"), ("en", "webaccessibility.fi")]
    {
        let page = app.get(&format!("/{lang}/accessibility")).await;
        let href = page.attr("#authority ~ p > a", "href").unwrap_or_default();
        assert!(href.contains(site), "{lang}: {href}");
        assert!(
            page.text("#status + p").contains("WCAG 2.1") && page.text("#status + p").contains("WCAG 2.2"),
            "{lang}"
        );
    }
}
