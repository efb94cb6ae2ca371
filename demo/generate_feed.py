#!/usr/bin/env python3
"""Writes demo/feed.jsonl and demo/people.json: fictional people and records that exercise every
visibility rule (DESIGN §2.2) and every role (DESIGN §2.4). Run from the repository root:
    python3 demo/generate_feed.py
    python3 demo/generate_feed.py --today 2026-11-25
All identity codes use individual numbers 900–999 (temporary/fictional range). The people's
descriptions (demo/people.json) are written for `--today` (default: the real date), e.g. whether
Elina has turned 18 yet."""
import argparse, datetime, json, random

ARGS = argparse.ArgumentParser(description=__doc__)
ARGS.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today(),
                  help="the date the descriptions are written for (YYYY-MM-DD)")
TODAY = ARGS.parse_args().today

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"

def hetu(date, num):
    y, m, d = date.split("-")
    sign = {"18": "+", "19": "-", "20": "A"}[y[:2]]
    base = f"{d}{m}{y[2:]}"
    return f"{base}{sign}{num:03d}{CHECK[int(base + f'{num:03d}') % 31]}"

out = []
def rec(**kw):
    out.append(kw)

ORG = {
    "ks": ("1.2.246.10.2000001.10.0", "Keski-Suomen hyvinvointialue", "Mellersta Finlands välfärdsområde"),
    "pohj": ("1.2.246.10.2000002.10.0", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde"),
    "hki": ("1.2.246.10.2000003.10.0", "Helsingin kaupunki", "Helsingfors stad"),
    "vantaa": ("1.2.246.10.2000005.10.0", "Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde"),
    "rinne": ("1.2.246.10.2000004.10.0", "Hoivakoti Kotirinne Oy", "Vårdhemmet Kotirinne Ab"),
}
ORG["turva"] = ("1.2.246.10.2000006.10.0", "Ensi- ja turvakoti Suojasatama ry", "Mödra- och skyddshemmet Suojasatama rf")
# Vantaa-Kerava joined Kanta on 1 March 2026: its earlier documents are never shown (rule 2).
JOINED = {"vantaa": "2026-03-01"}
# Whom a client asks about a document or for a correction (DESIGN §3). The shelter gives none:
# its pages then tell the client to contact the unit that made the document.
CONTACT = {
    "ks": ({"phone": "+358 14 266 0000", "email": "asiakaspalvelu@hyvaks.example.fi",
            "address": {"fi": "Keskussairaalantie 19, 40620 Jyväskylä", "sv": "Keskussairaalantie 19, 40620 Jyväskylä"},
            "url": "https://www.hyvaks.example.fi/asiakastiedot",
            "hours": {"fi": "ma–pe klo 9–15", "sv": "mån–fre kl. 9–15"}},
           {"email": "tietosuoja@hyvaks.example.fi", "url": "https://www.hyvaks.example.fi/tietosuoja"}),
    "pohj": ({"phone": "+358 6 218 1111", "email": "kundtjanst@ovph.example.fi",
              "address": {"sv": "Sandviksgatan 2–4, 65130 Vasa", "fi": "Hietalahdenkatu 2–4, 65130 Vaasa"},
              "hours": {"sv": "mån–fre kl. 8–16", "fi": "ma–pe klo 8–16"}},
             {"email": "dataskydd@ovph.example.fi"}),
    "hki": ({"phone": "+358 9 310 5015", "url": "https://www.hel.example.fi/sosiaalipalvelut",
             "hours": {"fi": "ma–pe klo 8–16"}},
            {"email": "tietosuoja@hel.example.fi", "url": "https://www.hel.example.fi/tietosuoja"}),
    "vantaa": ({"phone": "+358 9 4191 0000", "email": "kirjaamo@vakehyva.example.fi",
                "address": {"fi": "Talkootie 4, 01350 Vantaa", "sv": "Talkovägen 4, 01350 Vanda"}}, None),
    "rinne": ({"phone": "+358 40 111 2222", "email": "toimisto@kotirinne.example.fi"}, None),
}
for key, (oid, fi, sv) in ORG.items():
    contact, dpo = CONTACT.get(key, (None, None))
    rec(type="organisation", oid=oid, name={"fi": fi, "sv": sv}, joined_kanta_on=JOINED.get(key),
        **({"contact": contact} if contact else {}), **({"data_protection_contact": dpo} if dpo else {}))
O = {k: v[0] for k, v in ORG.items()}

# Registrar publication start dates (rule 6).
rec(type="visibility_start", registrar=O["ks"], service_task=None, **{"from": "2026-03-04"})
rec(type="visibility_start", registrar=O["ks"], service_task="family_law", **{"from": "2027-09-01"})
rec(type="visibility_start", registrar=O["hki"], service_task=None, **{"from": "2026-03-04"})
rec(type="visibility_start", registrar=O["pohj"], service_task=None, **{"from": "2026-01-01"})
rec(type="visibility_start", registrar=O["pohj"], service_task="disability", **{"from": "2027-06-01"})

P = {}
people_desc = {}
def person(key, first, last, birth, num, desc, non_disclosure=False, taken_into_care=False, informed_on=None):
    h = hetu(birth, num)
    P[key] = h
    rec(type="person", hetu=h, first_names=first, last_name=last, non_disclosure=non_disclosure,
        taken_into_care=taken_into_care, informed_on=informed_on)
    people_desc[h] = desc

person("aino", "Aino Marjatta", "Virtanen", "1958-04-17", 902,
       {"fi": "Omat tiedot: useita palvelutehtäviä, korjattu ja mitätöity asiakirja, viivästetty ja erityissisältöinen asiakirja (näkyy rajoitusilmoitus).",
        "sv": "Egna uppgifter: flera serviceuppgifter, korrigerad och makulerad handling, fördröjd handling och handling med särskilt innehåll (meddelande om begränsning visas).",
        "en": "Own records: several service tasks, a corrected and an invalidated document, a delayed and a special-content document (restriction notice shown)."},
       informed_on="2026-03-10")
person("mikael", "Mikael Johannes", "Lindqvist", "1985-09-02", 913,
       {"fi": "Ruotsinkielinen aikuinen Pohjanmaalta; vammaispalvelujen julkaisu alkaa vasta myöhemmin.",
        "sv": "Svenskspråkig vuxen i Österbotten; visningen av tjänster för personer med funktionsnedsättning börjar först senare.",
        "en": "Swedish-speaking adult in Ostrobothnia; disability services are published only later."},
       informed_on="2026-02-01")
person("laura", "Laura Helena", "Nieminen", "1984-01-23", 924,
       {"fi": "Huoltaja kahdelle lapselle (Eetu ja Sofia); Eetun yksi asiakirja on rajattu huoltajilta.",
        "sv": "Vårdnadshavare för två barn (Eetu och Sofia); en av Eetus handlingar visas inte för vårdnadshavare.",
        "en": "Guardian of two children (Eetu and Sofia); one of Eetu's documents is hidden from guardians."})
person("eetu", "Eetu Matias", "Nieminen", "2010-06-14", 935,
       {"fi": "16-vuotias: näkee omat tietonsa, myös huoltajilta rajatun asiakirjan, mutta ei voi tehdä valintoja.",
        "sv": "16 år: ser sina egna uppgifter, också handlingen som inte visas för vårdnadshavare, men kan inte göra val.",
        "en": "Aged 16: sees his own records, including the one hidden from guardians, but cannot make choices."})
person("sofia", "Sofia Aurora", "Nieminen", "2016-11-30", 946,
       {"fi": "Laura Niemisen nuorempi lapsi; lapsiperheiden palvelut.",
        "sv": "Laura Niemisens yngre barn; tjänster för barnfamiljer.",
        "en": "Laura Nieminen's younger child; services for families with children."})
person("pirkko", "Pirkko Annikki", "Nieminen", "1951-08-05", 957,
       {"fi": "Isoäiti, jolla on tiedoksisaantioikeus Eetun tietoihin (vain katselu).",
        "sv": "Mormor med rätt att få del av Eetus uppgifter (endast visning).",
        "en": "Grandmother with an information right to Eetu's records (view only)."})
person("eino", "Eino Kalevi", "Korhonen", "1936-02-11", 968,
       {"fi": "Iäkäs henkilö; poika Juha asioi hänen puolestaan Suomi.fi-valtuudella.",
        "sv": "Äldre person; sonen Juha sköter ärenden för honom med Suomi.fi-fullmakt.",
        "en": "Elderly person; his son Juha acts for him with a Suomi.fi mandate."},
       informed_on="2026-04-02")
person("juha", "Juha Petteri", "Korhonen", "1963-05-29", 979,
       {"fi": "Valtuutettu: asioi isänsä Eino Korhosen puolesta.",
        "sv": "Fullmaktshavare: sköter ärenden för sin far Eino Korhonen.",
        "en": "Representative: acts for his father Eino Korhonen."})
person("kaisa", "Kaisa Maria", "Mäkinen", "1969-12-08", 981,
       {"fi": "Hänen valtuutensa Eino Korhosen puolesta on päättynyt: ei pääsyä.",
        "sv": "Hennes fullmakt för Eino Korhonen har upphört: ingen åtkomst.",
        "en": "Her mandate for Eino Korhonen has expired: no access."})
person("tuomas", "Tuomas Ilmari", "Laine", "1979-03-19", 990,
       {"fi": "Huoltaja, jonka lapsella Venlalla on turvakielto: lapsen tiedot eivät näy.",
        "sv": "Vårdnadshavare vars barn Venla har spärrmarkering: barnets uppgifter visas inte.",
        "en": "Guardian whose child Venla has a non-disclosure marking: the child's records are not shown."})
person("venla", "Venla Sofia", "Laine", "2012-07-21", 903,
       {"fi": "Lapsi, jolla on turvakielto.", "sv": "Barn med spärrmarkering.", "en": "Child with a non-disclosure marking."},
       non_disclosure=True)
person("marja", "Marja Liisa", "Heikkinen", "1988-10-02", 914,
       {"fi": "Huoltaja, jonka lapsi Onni on huostaanotettu: lapsen tiedot eivät näy.",
        "sv": "Vårdnadshavare vars barn Onni är omhändertaget: barnets uppgifter visas inte.",
        "en": "Guardian whose child Onni is taken into care: the child's records are not shown."})
person("onni", "Onni Elias", "Heikkinen", "2014-01-09", 925,
       {"fi": "Huostaanotettu lapsi.", "sv": "Omhändertaget barn.", "en": "Child taken into care."},
       taken_into_care=True)
person("ville", "Ville Henrik", "Järvinen", "1999-05-05", 936,
       {"fi": "Ei sosiaalihuollon asiakirjoja: näkee tekstin ”Tietoja ei ole”.",
        "sv": "Inga socialvårdshandlingar: ser texten ”Uppgifter saknas”.",
        "en": "No social welfare documents: sees “No information”."})
# Elina is an adult from her 18th birthday on (the day itself included).
if TODAY < datetime.date(2026, 12, 1):
    elina_desc = {"fi": "Täyttää 18 vuotta 1.12.2026; isä Petri on hänen huoltajansa siihen asti.",
                  "sv": "Fyller 18 år den 1.12.2026; fadern Petri är vårdnadshavare fram till dess.",
                  "en": "Turns 18 on 1 December 2026; her father Petri is her guardian until then."}
    petri_desc = {"fi": "Huoltaja Elinalle, joka täyttää 18 vuotta 1.12.2026.",
                  "sv": "Vårdnadshavare för Elina, som fyller 18 år den 1.12.2026.",
                  "en": "Guardian of Elina, who turns 18 on 1 December 2026."}
else:
    elina_desc = {"fi": "Täysi-ikäinen 1.12.2026 alkaen: näkee omat tietonsa ja tekee valintansa itse; isän huoltajuus on päättynyt.",
                  "sv": "Myndig från och med 1.12.2026: ser sina egna uppgifter och gör sina val själv; faderns vårdnad har upphört.",
                  "en": "An adult from 1 December 2026: sees her own records and makes her own choices; her father's custody has ended."}
    petri_desc = {"fi": "Elinan huoltajuus päättyi, kun hän täytti 18 vuotta 1.12.2026: Elinan tiedot eivät enää näy.",
                  "sv": "Vårdnaden om Elina upphörde när hon fyllde 18 år den 1.12.2026: Elinas uppgifter visas inte längre.",
                  "en": "His custody of Elina ended when she turned 18 on 1 December 2026: her records are no longer shown."}
person("elina", "Elina Maria", "Koskinen", "2008-12-01", 947, elina_desc)
person("petri", "Petri Olavi", "Koskinen", "1976-02-17", 958, petri_desc)

rec(type="guardianship", guardian=P["laura"], child=P["eetu"], kind="guardian", valid_from="2010-06-14", valid_until=None)
rec(type="guardianship", guardian=P["laura"], child=P["sofia"], kind="guardian", valid_from="2016-11-30", valid_until=None)
rec(type="guardianship", guardian=P["pirkko"], child=P["eetu"], kind="information_right", valid_from="2023-01-01", valid_until=None)
rec(type="guardianship", guardian=P["tuomas"], child=P["venla"], kind="guardian", valid_from="2012-07-21", valid_until=None)
rec(type="guardianship", guardian=P["marja"], child=P["onni"], kind="guardian", valid_from="2014-01-09", valid_until=None)
rec(type="guardianship", guardian=P["petri"], child=P["elina"], kind="guardian", valid_from="2008-12-01", valid_until=None)
rec(type="mandate", principal=P["eino"], agent=P["juha"], valid_from="2025-09-01", valid_until="2030-08-31")
rec(type="mandate", principal=P["eino"], agent=P["kaisa"], valid_from="2024-01-01", valid_until="2025-12-31")

def worker(name, title, unit, phone, email):
    return {"name": name, "title": title, "unit": unit, "phone": phone, "email": email}

rec(type="client_relationship", person=P["aino"], registrar=O["ks"], service_task="older_people", started_on="2026-03-04", ended_on=None,
    own_worker=worker("Satu Lehtonen", "sosiaaliohjaaja", "Jyväskylän ikäihmisten palveluohjaus", "+358 40 123 4567", "satu.lehtonen@hyvaks.example.fi"))
rec(type="client_relationship", person=P["aino"], registrar=O["ks"], service_task="disability", started_on="2026-04-15", ended_on=None,
    own_worker=worker("Jari Mattila", "sosiaalityöntekijä", "Vammaispalvelut, Jyväskylä", "+358 40 765 4321", "jari.mattila@hyvaks.example.fi"))
rec(type="client_relationship", person=P["aino"], registrar=O["ks"], service_task="working_age", started_on="2026-03-10", ended_on="2026-06-30", own_worker=None)
rec(type="client_relationship", person=P["mikael"], registrar=O["pohj"], service_task="working_age", started_on="2026-01-20", ended_on=None,
    own_worker=worker("Johanna Björk", "socialhandledare", "Vasa vuxensocialarbete", "+358 6 325 1111", "johanna.bjork@ovph.example.fi"))
rec(type="client_relationship", person=P["mikael"], registrar=O["pohj"], service_task="disability", started_on="2026-05-02", ended_on=None,
    own_worker=worker("Henrik Sundqvist", "socialarbetare", "Handikappservice, Vasa", "+358 6 325 2222", "henrik.sundqvist@ovph.example.fi"))
rec(type="client_relationship", person=P["eetu"], registrar=O["hki"], service_task="child_welfare", started_on="2026-03-18", ended_on=None,
    own_worker=worker("Noora Salo", "sosiaalityöntekijä", "Lastensuojelun avohuolto, Itä", "+358 9 310 12345", "noora.salo@hel.example.fi"))
rec(type="client_relationship", person=P["sofia"], registrar=O["hki"], service_task="families_with_children", started_on="2026-04-01", ended_on=None,
    own_worker=worker("Minna Hakala", "sosiaaliohjaaja", "Perhesosiaalityö, Itä", "+358 9 310 54321", None))
rec(type="client_relationship", person=P["eino"], registrar=O["vantaa"], service_task="older_people", started_on="2026-03-09", ended_on=None,
    own_worker=worker("Tiina Rantanen", "palveluohjaaja", "Ikääntyneiden asiakasohjaus, Tikkurila", "+358 9 839 11111", "tiina.rantanen@vakehyva.example.fi"))
rec(type="client_relationship", person=P["venla"], registrar=O["hki"], service_task="child_welfare", started_on="2026-03-05", ended_on=None, own_worker=None)
rec(type="client_relationship", person=P["onni"], registrar=O["ks"], service_task="child_welfare", started_on="2026-03-04", ended_on=None, own_worker=None)
rec(type="client_relationship", person=P["elina"], registrar=O["hki"], service_task="families_with_children", started_on="2026-05-12", ended_on=None, own_worker=None)

# A shelter stay (never shown anywhere, seeds 000 and 001) and a school social worker's relationship
# that Eetu's guardians do not see.
rec(type="client_relationship", person=P["aino"], registrar=O["turva"], service_task="working_age", started_on="2026-06-02", ended_on="2026-06-20",
    service="shelter", hidden_from_guardians=False, own_worker=worker("Hanna Turunen", "ohjaaja", "Turvakoti Suojasatama", "+358 40 555 0101", None))
rec(type="client_relationship", person=P["eetu"], registrar=O["hki"], service_task="families_with_children", started_on="2026-09-01", ended_on=None,
    service=None, hidden_from_guardians=True, own_worker=worker("Pekka Laine", "koulukuraattori", "Oppilashuolto, Itä", "+358 9 310 77777", None))

doc_no = [0]
def doc(who, reg, task, kind, title, sections, created, *, version=1, id=None, lang="fi", author="Satu Lehtonen, sosiaaliohjaaja",
        unit="Jyväskylän ikäihmisten palveluohjaus", phase=2, status="active", joint=False, service=None,
        delayed=None, special=False, hidden_g=False, attachment_of=None):
    if id is None:
        doc_no[0] += 1
        id = f"1.2.246.10.{reg.split('.')[4]}.18.2026.{doc_no[0]:05d}"
    rec(type="document", id=id, version=version, person=P[who], registrar=reg, service_task=task, service=service, kind=kind,
        phase=phase, status=status, joint_matter=joint, created_at=created, title=title, language=lang, author=author, unit=unit,
        sections=[{"heading": h, "body": b} for h, b in sections],
        restrictions={"delayed_until": delayed, "special_content": special, "hidden_from_guardians": hidden_g},
        attachment_of=attachment_of)
    return id

# --- Aino: own records, older people's services and disability services (Keski-Suomi) ---
ks = O["ks"]
doc("aino", ks, "older_people", "service_need_assessment", "Palvelutarpeen arvio: kotona asumisen tuki",
    [("Asiakkaan tilanne", "Aino asuu yksin kerrostalon kolmannessa kerroksessa. Talossa on hissi. Hän on kaatunut kotona kahdesti tämän vuoden aikana, ja liikkuminen ulkona on vaikeutunut.\n\nAino toivoo voivansa asua kotonaan mahdollisimman pitkään."),
     ("Palvelutarve", "Asiakas tarvitsee apua peseytymisessä ja kauppa-asioinnissa. Turvapuhelin arvioidaan tarpeelliseksi."),
     ("Arvion tekijän johtopäätös", "Suositellaan säännöllistä kotihoitoa kaksi kertaa viikossa, turvapuhelinta sekä ateriapalvelua.")],
    "2026-03-12T10:15:00+02:00")
home_care = doc("aino", ks, "older_people", "decision", "Päätös säännöllisestä kotihoidosta",
    [("Päätös", "Myönnetään säännöllinen kotihoito 1.4.2026 alkaen kaksi käyntiä viikossa."),
     ("Perustelut", "Palvelutarpeen arvion mukaan asiakas tarvitsee tukea päivittäisissä toimissa. Sosiaalihuoltolaki 19 a §."),
     ("Muutoksenhaku", "Päätökseen tyytymätön voi hakea siihen oikaisua 30 päivän kuluessa tiedoksisaannista. Oikaisuvaatimusohje on liitteenä.")],
    "2026-03-20T13:40:00+02:00", author="Paula Kinnunen, johtava sosiaalityöntekijä")
# Its attachment (liite): shown with it, and only with it (DESIGN §2.2). An explicit id keeps the
# numbering of the other documents.
doc("aino", ks, "older_people", "other", "Oikaisuvaatimusohje",
    [("Oikaisuvaatimusohje", "Oikaisuvaatimus tehdään kirjallisesti 30 päivän kuluessa päätöksen tiedoksisaannista.\n\nVaatimus osoitetaan Keski-Suomen hyvinvointialueen yksilöasioiden jaostolle.")],
    "2026-03-20T13:40:00+02:00", id="1.2.246.10.2000001.18.2026.90001", attachment_of=home_care, author="Paula Kinnunen, johtava sosiaalityöntekijä")
doc("aino", ks, "older_people", "decision", "Päätös turvapuhelinpalvelusta",
    [("Päätös", "Myönnetään turvapuhelinpalvelu 25.3.2026 alkaen."),
     ("Asiakasmaksu", "Palvelusta peritään kuukausimaksu asiakasmaksupäätöksen mukaisesti.")],
    "2026-03-21T09:05:00+02:00", author="Paula Kinnunen, johtava sosiaalityöntekijä")
corrected = doc("aino", ks, "older_people", "client_plan", "Asiakassuunnitelma",
    [("Tavoitteet", "Aino selviytyy kotona turvallisesti. Kaatumisia ei tapahdu."), ("Keinot", "Kotihoito kaksi kertaa viikossa.")],
    "2026-03-25T11:00:00+02:00")
doc("aino", ks, "older_people", "client_plan", "Asiakassuunnitelma (päivitetty)",
    [("Tavoitteet", "Aino selviytyy kotona turvallisesti ja pääsee ulkoilemaan viikoittain."),
     ("Keinot", "Kotihoito kaksi kertaa viikossa, ulkoiluapu kerran viikossa vapaaehtoistoiminnan kautta, turvapuhelin."),
     ("Seuranta", "Suunnitelma tarkistetaan syyskuussa 2026 tai aiemmin, jos tilanne muuttuu.")],
    "2026-04-02T14:30:00+03:00", version=2, id=corrected)
doc("aino", ks, "older_people", "implementation_plan", "Kotihoidon toteuttamissuunnitelma",
    [("Käynnit", "Tiistaisin ja perjantaisin aamupäivällä. Käynnin kesto noin 45 minuuttia."),
     ("Tehtävät", "Peseytymisessä avustaminen, lääkkeiden jakaminen dosettiin, voinnin seuranta.")],
    "2026-04-05T08:20:00+03:00", author="Hoivakoti Kotirinne Oy, kotihoitotiimi", unit="Kotirinteen kotihoito (ostopalvelu)")
doc("aino", ks, "older_people", "other", "Hakemus: omaishoidon tuki",
    [("Hakemus", "Asiakkaan tytär hakee omaishoidon tukea. Hakemus on vastaanotettu 2.5.2026 ja se käsitellään kolmen kuukauden kuluessa.")],
    "2026-05-02T12:00:00+03:00")
invalid = doc("aino", ks, "older_people", "decision", "Päätös asiakasmaksusta",
    [("Päätös", "Kotihoidon kuukausimaksu on 212,40 euroa.")], "2026-04-01T10:00:00+03:00")
doc("aino", ks, "older_people", "decision", "Päätös asiakasmaksusta", [("Päätös", "Kirjattu väärälle henkilölle.")],
    "2026-04-03T10:00:00+03:00", version=2, id=invalid, status="invalidated")
doc("aino", ks, "older_people", "payment_commitment", "Maksusitoumus: kuljetuspalvelu", [("Maksusitoumus", "Taksimatkat 8 kpl/kk.")], "2026-04-10T10:00:00+03:00")
doc("aino", ks, "older_people", "client_record_entry", "Asiakaskertomusmerkintä: kotikäynti", [("Merkintä", "Kotikäynti tehty, asiakas voi hyvin.")], "2026-04-12T10:00:00+03:00")
doc("aino", ks, "older_people", "client_relationship_document", "Asiakkuusasiakirja", [("Asiakkuus", "Asiakkuus alkanut 4.3.2026.")], "2026-03-04T09:00:00+02:00")
doc("aino", ks, "older_people", "decision", "Päätös (vanha järjestelmä)", [("Päätös", "Vanhan järjestelmän asiakirja.")], "2019-05-06T09:00:00+03:00", phase=1)
doc("aino", ks, "older_people", "service_need_assessment", "Palvelutarpeen arvio: muistitutkimuksen jälkeinen tuen tarve",
    [("Arvio", "Arvio tuen tarpeesta muistitutkimuksen jälkeen käydään läpi asiakkaan kanssa tapaamisessa ennen kuin se näytetään.")],
    "2026-11-10T09:00:00+02:00", delayed="2027-06-30")
doc("aino", ks, "disability", "decision", "Päätös kuljetuspalvelusta",
    [("Päätös", "Myönnetään vammaispalvelulain mukainen kuljetuspalvelu 18 yhdensuuntaista matkaa kuukaudessa."),
     ("Perustelut", "Asiakkaalla on pitkäaikainen liikkumisen vaikeus, eikä hän pysty käyttämään julkista liikennettä ilman kohtuuttoman suurta vaikeutta.")],
    "2026-04-20T15:10:00+03:00", author="Jari Mattila, sosiaalityöntekijä", unit="Vammaispalvelut, Jyväskylä")
doc("aino", ks, "disability", "service_need_assessment", "Palvelutarpeen arvio: vammaispalvelut",
    [("Arvio", "Erityisen arkaluonteinen arvio.")], "2026-04-16T09:00:00+03:00", special=True,
    author="Jari Mattila, sosiaalityöntekijä", unit="Vammaispalvelut, Jyväskylä")
doc("aino", ks, "working_age", "decision", "Päätös toimeentulotuesta (yhteinen asia)",
    [("Päätös", "Yhteiseen asiaan liittyvä asiakirja.")], "2026-03-15T09:00:00+02:00", joint=True)
doc("aino", ks, "working_age", "other", "Ilmoitus: turvakotijakso", [("Ilmoitus", "Turvakotipalvelun asiakirja.")], "2026-03-16T09:00:00+02:00", service="shelter")
doc("aino", ks, "working_age", "other", "Lähisuhdeväkivallan ehkäisytyö", [("Muistio", "Ei näytetä.")], "2026-03-17T09:00:00+02:00", service="violence_prevention")
doc("aino", ks, "working_age", "parenthood_investigation", "Vanhemmuuden selvittäminen", [("Selvitys", "Ei näytetä alkuvaiheessa.")], "2026-03-18T09:00:00+02:00")
doc("aino", ks, "family_law", "other", "Perheasioiden sovittelu: muistio", [("Muistio", "Julkaistaan myöhemmin.")], "2026-05-10T09:00:00+03:00")
doc("aino", ks, "family_law", "custody_investigation", "Huolto- ja tapaamisoikeusselvitys", [("Selvitys", "Ei koskaan näytetä.")], "2026-05-11T09:00:00+03:00")
doc("aino", ks, "family_law", "other", "Adoptioneuvonta", [("Muistio", "Ei koskaan näytetä.")], "2026-05-12T09:00:00+03:00", service="adoption_counselling")

# --- Mikael: Swedish, Ostrobothnia; disability published from 2027-06-01 ---
po = O["pohj"]
sv_author, sv_unit = "Johanna Björk, socialhandledare", "Vasa vuxensocialarbete"
doc("mikael", po, "working_age", "service_need_assessment", "Bedömning av servicebehovet",
    [("Klientens situation", "Mikael har varit arbetslös sedan hösten 2025 och bor ensam i en hyresbostad i Vasa. Han önskar stöd för att hitta sysselsättning.\n\nHan har skulder som han själv vill reda ut."),
     ("Bedömning", "Klienten behöver socialhandledning och hänvisas till ekonomisk rådgivning.")],
    "2026-01-28T10:00:00+02:00", lang="sv", author=sv_author, unit=sv_unit)
doc("mikael", po, "working_age", "client_plan", "Klientplan",
    [("Mål", "Mikael deltar i arbetsverksamhet tre dagar i veckan och gör upp en betalningsplan för sina skulder."),
     ("Uppföljning", "Planen följs upp i juni 2026.")],
    "2026-02-10T13:00:00+02:00", lang="sv", author=sv_author, unit=sv_unit)
doc("mikael", po, "working_age", "decision", "Beslut om arbetsverksamhet i rehabiliteringssyfte",
    [("Beslut", "Klienten beviljas arbetsverksamhet i rehabiliteringssyfte från och med 1.3.2026."),
     ("Motivering", "Lagen om arbetsverksamhet i rehabiliteringssyfte 2 §. Sökande av ändring: se bifogad anvisning.")],
    "2026-02-20T09:30:00+02:00", lang="sv", author="Anna Nyholm, ledande socialarbetare", unit=sv_unit)
doc("mikael", po, "working_age", "decision", "Päätös kuntouttavasta työtoiminnasta (suomenkielinen käännös)",
    [("Päätös", "Asiakkaalle myönnetään kuntouttava työtoiminta 1.3.2026 alkaen.")],
    "2026-02-20T09:45:00+02:00", lang="fi", author="Anna Nyholm, johtava sosiaalityöntekijä", unit="Vaasan aikuissosiaalityö")
doc("mikael", po, "substance_abuse", "decision", "Beslut om öppenvård inom missbrukarvården",
    [("Beslut", "Klienten beviljas öppenvård vid A-kliniken i Vasa under tiden 1.4–30.9.2026.")],
    "2026-03-30T11:00:00+03:00", lang="sv", author="Henrik Sundqvist, socialarbetare", unit="A-kliniken, Vasa", delayed="2027-03-31")
doc("mikael", po, "disability", "decision", "Beslut om personlig assistans",
    [("Beslut", "Klienten beviljas personlig assistans 20 timmar i månaden.")],
    "2026-05-12T11:00:00+03:00", lang="sv", author="Henrik Sundqvist, socialarbetare", unit="Handikappservice, Vasa")

# --- Eetu (16) and Sofia: child welfare and families with children (Helsinki) ---
hki = O["hki"]
doc("eetu", hki, "child_welfare", "service_need_assessment", "Lastensuojelutarpeen selvitys",
    [("Taustaa", "Koulukuraattori teki lastensuojeluilmoituksen maaliskuussa 2026 poissaolojen vuoksi."),
     ("Arvio", "Eetu ja hänen äitinsä tavattiin kolme kertaa. Perhe hyötyy tukitoimista; asiakkuus jatkuu avohuollossa.")],
    "2026-03-25T14:00:00+02:00", author="Noora Salo, sosiaalityöntekijä", unit="Lastensuojelun avohuolto, Itä")
doc("eetu", hki, "child_welfare", "client_plan", "Asiakassuunnitelma: avohuollon tukitoimet",
    [("Tavoitteet", "Eetu käy koulua säännöllisesti ja hänellä on mielekästä vapaa-ajan toimintaa."),
     ("Tukitoimet", "Tukihenkilö kerran viikossa. Perheohjaus kotona kahden viikon välein.")],
    "2026-04-08T10:00:00+03:00", author="Noora Salo, sosiaalityöntekijä", unit="Lastensuojelun avohuolto, Itä")
doc("eetu", hki, "child_welfare", "other", "Muistio: nuoren oma tapaaminen",
    [("Muistio", "Eetu toivoi, ettei tapaamisen sisältöä näytetä huoltajille. Sosiaalityöntekijä arvioi toiveen perustelluksi.")],
    "2026-04-15T15:00:00+03:00", author="Noora Salo, sosiaalityöntekijä", unit="Lastensuojelun avohuolto, Itä", hidden_g=True)
doc("eetu", hki, "child_welfare", "decision", "Päätös tukihenkilöstä",
    [("Päätös", "Eetulle myönnetään tukihenkilö lastensuojelulain 36 §:n nojalla 1.5.2026 alkaen.")],
    "2026-04-20T09:00:00+03:00", author="Noora Salo, sosiaalityöntekijä", unit="Lastensuojelun avohuolto, Itä")
doc("sofia", hki, "families_with_children", "service_need_assessment", "Palvelutarpeen arvio: perhetyö",
    [("Tilanne", "Perhe hakee tukea arjen sujumiseen. Äiti tekee vuorotyötä."), ("Arvio", "Perhetyö kerran viikossa kolmen kuukauden ajan.")],
    "2026-04-03T12:00:00+03:00", author="Minna Hakala, sosiaaliohjaaja", unit="Perhesosiaalityö, Itä")
doc("sofia", hki, "families_with_children", "decision", "Päätös perhetyöstä",
    [("Päätös", "Perheelle myönnetään perhetyö 15.4.–15.7.2026.")],
    "2026-04-10T12:00:00+03:00", author="Minna Hakala, sosiaaliohjaaja", unit="Perhesosiaalityö, Itä")
doc("venla", hki, "child_welfare", "decision", "Päätös tukitoimesta", [("Päätös", "Tukitoimi myönnetty.")], "2026-03-20T12:00:00+02:00",
    author="Noora Salo, sosiaalityöntekijä", unit="Lastensuojelun avohuolto, Itä")
doc("onni", ks, "child_welfare", "decision", "Päätös huostaanotosta", [("Päätös", "Lapsi otetaan huostaan.")], "2026-03-30T12:00:00+03:00",
    author="Leena Aalto, johtava sosiaalityöntekijä", unit="Lastensuojelu, Jyväskylä")
doc("elina", hki, "families_with_children", "decision", "Päätös kasvatus- ja perheneuvonnasta",
    [("Päätös", "Elinalle myönnetään kasvatus- ja perheneuvonnan käynnit syksyllä 2026.")], "2026-05-14T12:00:00+03:00",
    author="Minna Hakala, sosiaaliohjaaja", unit="Perhesosiaalityö, Itä")

# --- Eino (90): older people's services, Vantaa-Kerava ---
va = O["vantaa"]
doc("eino", va, "older_people", "service_need_assessment", "Palvelutarpeen arvio: ympärivuorokautinen hoiva",
    [("Tilanne", "Eino asuu omakotitalossa Tikkurilassa. Muistisairaus on edennyt, ja yöllinen levottomuus on lisääntynyt."),
     ("Arvio", "Kotihoito ei enää riitä turvaamaan asumista. Asiakkaalle haetaan paikkaa ympärivuorokautisesta palveluasumisesta.")],
    "2026-03-16T10:00:00+02:00", author="Tiina Rantanen, palveluohjaaja", unit="Ikääntyneiden asiakasohjaus, Tikkurila")
doc("eino", va, "older_people", "decision", "Päätös ympärivuorokautisesta palveluasumisesta",
    [("Päätös", "Myönnetään ympärivuorokautinen palveluasuminen Hoivakoti Kotirinteestä 1.5.2026 alkaen."),
     ("Muutoksenhaku", "Oikaisuvaatimus 30 päivän kuluessa.")],
    "2026-04-14T13:00:00+03:00", author="Riikka Forsman, johtava sosiaalityöntekijä", unit="Ikääntyneiden palvelut")
doc("eino", va, "older_people", "implementation_plan", "Palveluasumisen toteuttamissuunnitelma",
    [("Arki", "Eino pitää aamukahvista ja radion kuuntelusta. Ulkoilu päivittäin hoitajan kanssa."), ("Terveys", "Lääkehoito hoitokodin lääkärin ohjeen mukaan.")],
    "2026-05-06T09:00:00+03:00", author="Hoivakoti Kotirinne Oy", unit="Kotirinne, Kerava (ostopalvelu)")

# A document from before Vantaa-Kerava joined Kanta: never shown (rule 2).
doc("eino", va, "older_people", "decision", "Päätös kotihoidosta (ennen Kanta-liittymistä)",
    [("Päätös", "Myönnetään kotihoito kolme kertaa viikossa.")], "2026-02-12T10:00:00+02:00",
    author="Tiina Rantanen, palveluohjaaja", unit="Ikääntyneiden asiakasohjaus, Tikkurila")

# --- Data use and disclosure events ---
# Each event lies after the client relationship began and after the document it concerns was made;
# a disclosure on the basis of consent only while the person has given consent (Eino from 2 April).
rnd = random.Random(4)
events = [
    ("aino", "use", O["rinne"], ks, None, "service_purchase", "2026-03-04T00:00:00+02:00"),
    ("aino", "disclosure", O["hki"], ks, "first", "statutory", "2026-03-20T14:00:00+02:00"),
    ("aino", "use", ks, ks, None, "own_register", "2026-03-04T00:00:00+02:00"),
    ("eino", "use", O["rinne"], va, None, "service_purchase", "2026-03-09T00:00:00+02:00"),
    ("eino", "disclosure", ks, va, None, "statutory", "2026-03-09T00:00:00+02:00"),
    ("eino", "disclosure", O["rinne"], va, None, "consent", "2026-04-02T10:00:00+03:00"),
    ("mikael", "use", po, po, None, "own_register", "2026-01-20T00:00:00+02:00"),
    ("eetu", "use", hki, hki, None, "own_register", "2026-03-18T00:00:00+02:00"),
]
n = 0
for month in range(3, 12):
  # Every event lies before the demo's today (25 November 2026).
  for half in ((0, 1) if month < 11 else (0,)):
    for who, action, by, reg, document, basis, earliest in events:
        if rnd.random() < 0.85:
            day = rnd.randint(1, 14) + 14 * half
            at = f"2026-{month:02d}-{day:02d}T{rnd.randint(8,16):02d}:{rnd.randint(0,59):02d}:00+02:00"
            if datetime.datetime.fromisoformat(at) < datetime.datetime.fromisoformat(earliest):
                continue
            n += 1
            docid = None
            if document == "first":
                docid = "1.2.246.10.2000001.18.2026.00002"
            rec(type="data_use", id=f"DU-2026-{n:05d}", person=P[who], at=at,
                action=action, by=by, registrar=reg, document=docid, basis=basis)
# The shelter's own use of its data: never shown (rule 3).
rec(type="data_use", id="DU-2026-SHELTER", person=P["aino"], at="2026-06-03T10:00:00+03:00", action="use", by=O["turva"],
    registrar=O["turva"], document=None, service="shelter", basis="own_register")
# An event about a document hidden by special content: never shown.
rec(type="data_use", id="DU-2026-HIDDEN", person=P["aino"], at="2026-05-03T10:00:00+03:00", action="disclosure", by=O["hki"],
    registrar=ks, document="1.2.246.10.2000001.18.2026.00015", basis="statutory")

# --- Choices recorded at a service ---
rec(type="consent", person=P["mikael"], given=True, at="2026-02-01T10:30:00+02:00")
rec(type="prohibition", id="PK-2026-0001", person=P["mikael"], target={"service_task": "substance_abuse"}, set_at="2026-02-01T10:35:00+02:00", revoked_at=None)
rec(type="consent", person=P["eino"], given=True, at="2026-04-02T09:00:00+03:00")

def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    return o

with open("demo/feed.jsonl", "w", encoding="utf-8") as f:
    for r in out:
        f.write(json.dumps(clean(r), ensure_ascii=False, separators=(",", ":")) + "\n")
with open("demo/people.json", "w", encoding="utf-8") as f:
    json.dump(people_desc, f, ensure_ascii=False, indent=1)
print(len(out), "lines")
