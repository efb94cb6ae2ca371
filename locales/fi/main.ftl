## base.html — the page shell
site-name = Sosiaalipalvelujen tiedot
site-name-home = , etusivu
skip-to-content = Siirry sisältöön
language-nav-label = Kieli
sign-out = Kirjaudu ulos
footer-text = Tiedot tulevat Kanta-palvelujen Sosiaalihuollon asiakastietovarannosta. Jos tiedoissa on virhe, ota yhteyttä omatyöntekijääsi: virheet korjataan aina siellä, missä tiedot on kirjattu.
error-prefix = Virhe:{" "}
demo-banner-label = DEMO
demo-banner-text = Tämä on esittelyversio. Kaikki henkilöt ja tiedot ovat keksittyjä.

## home.html — the front page
home-title = Sosiaalipalvelujen tiedot
home-lead = Täällä näet sosiaalihuollon asiakastietosi, jotka on tallennettu Kanta-palveluihin.
home-what-you-see = Näet esimerkiksi päätökset, palvelutarpeen arviot, asiakassuunnitelmat ja sosiaalipalvelujen toteuttamissuunnitelmat, tiedon asiakkuuden alkamisesta sekä omatyöntekijän yhteystiedot.
home-what-you-cannot-do = Tässä palvelussa voit katsella tietoja ja tehdä niiden luovuttamista koskevia valintoja. Palvelussa ei voi lähettää eikä vastaanottaa viestejä, panna asioita vireille eikä lähettää asiakirjoja eikä muuttaa tietoja: ota niissä yhteyttä omatyöntekijään.
home-sign-in = Kirjaudu sisään
home-greeting = Hei, { $name }!
home-signed-in-lead = Mitä haluat tehdä?
home-records-description = Päätökset, palvelutarpeen arviot, asiakassuunnitelmat ja muut sosiaalihuollon asiakirjat palvelutehtävittäin.
records-title = Sosiaalipalvelujen tiedot
records-overview-title = Tiedot palvelutehtävittäin

## sign_in.html — demo sign-in
sign-in-title = Kirjaudu testihenkilönä
sign-in-lead = Valitse, kenenä haluat kirjautua. Jokainen testihenkilö esittelee eri tilannetta.
sign-in-no-people = Tietokannassa ei ole vielä henkilöitä. Tuo aineisto komennolla sosiaalitiedot import.
sign-in-age = { $age } v.
sign-in-button = Kirjaudu: { $name }

## error.html — error pages
error-title-400 = Pyyntö on virheellinen
error-text-400 = Palvelu ei ymmärtänyt pyyntöä. Palaa edelliselle sivulle ja yritä uudelleen.
error-title-403 = Toimintoa ei voitu tehdä
error-text-403 = Lomake on voinut vanhentua, tai sinulla ei ole oikeutta tähän toimintoon. Lataa sivu uudelleen ja yritä uudestaan.
error-title-404 = Sivua ei löytynyt
error-text-404 = Etsimääsi sivua tai tietoa ei löytynyt. Tarkista osoite tai palaa etusivulle.
error-title-405 = Toimintoa ei voitu tehdä
error-text-405 = Tätä sivua ei voi käyttää näin. Palaa etusivulle.
error-title-413 = Pyyntö on liian suuri
error-text-413 = Lähettämäsi tiedot ovat liian suuria.
error-title-500 = Palvelussa tapahtui virhe
error-text-500 = Pahoittelemme. Yritä hetken kuluttua uudelleen.
error-title-503 = Palvelu ei ole juuri nyt käytettävissä
error-text-503 = Emme saa juuri nyt yhteyttä tietoihin. Yritä hetken kuluttua uudelleen.
error-back-home = Palaa etusivulle
error-request-id = Virheen tunniste (kerro se, jos otat yhteyttä tukeen):
error-title-409 = Henkilö on vaihtunut
error-text-409 = Olet vaihtanut toisessa ikkunassa henkilöä, jonka tietoja katselet. Muutosta ei tehty. Tarkista, kenen tiedoissa olet, ja tee muutos uudelleen.

## sign_in_failed.html, signed_out.html — production sign-in
auth-failed-title = Tunnistautuminen ei onnistunut
auth-failed-text = Tunnistautumista ei voitu vahvistaa, joten sinua ei kirjattu sisään. Yritä uudelleen. Jos ongelma toistuu, kerro tukeen alla oleva tunniste.
auth-failed-cancelled = Tunnistautuminen keskeytyi tai tunnistuspalvelu ei hyväksynyt sitä, joten sinua ei kirjattu sisään. Voit yrittää uudelleen.
auth-failed-unavailable = Tunnistuspalveluun ei juuri nyt saada yhteyttä. Yritä hetken kuluttua uudelleen.
auth-try-again = Yritä uudelleen
signing-out-title = Kirjaudutaan ulos
signing-out-text = Olet kirjautunut ulos tästä palvelusta. Seuraavaksi kirjautuminen päättyy myös tunnistuspalvelussa, jotta seuraava käyttäjä ei pääse tietoihin tällä selaimella.
signing-out-continue = Kirjaudu ulos tunnistuspalvelusta
signed-out-title = Olet kirjautunut ulos
signed-out-text = Olet kirjautunut ulos palvelusta. Sulje selain, jos käytät yhteistä tietokonetta.
signed-out-idle = Istuntosi on päättynyt, koska et käyttänyt palvelua { $minutes } minuuttiin tai kirjautuminen lopetettiin toisessa selaimessa tai laitteessa. Kirjaudu uudelleen jatkaaksesi.
signed-out-absolute = Istuntosi enimmäiskesto, { $hours } { $hours ->
    [one] tunti
   *[other] tuntia
}, täyttyi. Kirjaudu uudelleen jatkaaksesi.

## sessions.html — Kirjautumiset
sessions-title = Kirjautumiset
sessions-link = Kirjautumiset
sessions-lead = Tässä ovat voimassa olevat kirjautumisesi tähän palveluun. Jos et tunnista kirjautumista, lopeta se ja ota yhteyttä tukeen.
sessions-caption = Voimassa olevat kirjautumiset
sessions-col-browser = Selain
sessions-col-started = Kirjautunut
sessions-col-last-used = Viimeksi käytetty
sessions-col-actions = Toiminnot
sessions-this = Tämä kirjautuminen
sessions-this-hint = Lopeta tämä kirjautuminen kirjautumalla ulos.
sessions-browser-other = Muu selain
sessions-end-one = Lopeta kirjautuminen ({ $browser }, { $started })
sessions-end-others = Lopeta kaikki muut kirjautumiset
sessions-ended-one = Kirjautuminen on lopetettu.
sessions-ended-others = Kaikki muut kirjautumiset on lopetettu.
session-ends = Istuntosi päättyy klo { $time }, jos et käytä palvelua.
session-warning = Istuntosi päättyy pian, koska et ole käyttänyt palvelua. Voit jatkaa istuntoa painikkeella tai Esc-näppäimellä.
session-continue = Jatka istuntoa
error-title-valtuudet-unavailable = Henkilön tietoja ei voi juuri nyt näyttää
error-text-valtuudet-unavailable = Oikeuttasi asioida henkilön puolesta ei voitu tarkistaa, koska Suomi.fi-valtuudet ei vastaa juuri nyt. Yritä hetken kuluttua uudelleen. Omat tietosi näet, kun valitset Toisen puolesta asiointi -sivulta itsesi.
home-page-title = Etusivu
footer-text--child = Tiedot tulevat Kanta-palvelujen Sosiaalihuollon asiakastietovarannosta. Jos lapsen tiedoissa on virhe, ota yhteyttä lapsen omatyöntekijään: virheet korjataan aina siellä, missä tiedot on kirjattu.
footer-text--principal = Tiedot tulevat Kanta-palvelujen Sosiaalihuollon asiakastietovarannosta. Jos valtuuttajan tiedoissa on virhe, ota yhteyttä valtuuttajan omatyöntekijään: virheet korjataan aina siellä, missä tiedot on kirjattu.
nav-records = Asiakirjat ja asiakkuudet
session-continued = Istuntoa jatkettiin.
session-ended = Istuntosi päättyi, koska et käyttänyt palvelua. Kirjaudu uudelleen jatkaaksesi.
session-sign-in-again = Kirjaudu uudelleen
home-what-you-cannot-do--own-minor = Tässä palvelussa voit katsella tietojasi. Tietojen luovuttamista koskevat valinnat tehdään alaikäisen puolesta huoltajan tai sosiaalihuollon ammattilaisen kanssa. Palvelussa ei voi lähettää eikä vastaanottaa viestejä, panna asioita vireille, lähettää asiakirjoja eikä muuttaa tietoja: ota niissä yhteyttä omatyöntekijääsi.
home-what-you-cannot-do--guardian = Tässä palvelussa voit katsella lapsen tietoja, kuitata Kanta-informoinnin ja antaa tai perua lapsen luovutusluvan. Luovutuskiellot lapsen tietoihin tehdään sosiaalihuollon ammattilaisen kanssa. Palvelussa ei voi lähettää eikä vastaanottaa viestejä, panna asioita vireille, lähettää asiakirjoja eikä muuttaa tietoja: ota niissä yhteyttä lapsen omatyöntekijään.
home-what-you-cannot-do--information-right = Tässä palvelussa voit katsella lapsen tietoja. Tiedoksisaantioikeutettuna et voi tehdä tietojen luovuttamista koskevia valintoja. Palvelussa ei voi lähettää eikä vastaanottaa viestejä, panna asioita vireille, lähettää asiakirjoja eikä muuttaa tietoja: ota niissä yhteyttä lapsen omatyöntekijään.
home-what-you-cannot-do--principal = Tässä palvelussa voit katsella valtuuttajan tietoja ja tehdä niiden luovuttamista koskevia valintoja hänen puolestaan. Palvelussa ei voi lähettää eikä vastaanottaa viestejä, panna asioita vireille, lähettää asiakirjoja eikä muuttaa tietoja: ota niissä yhteyttä valtuuttajan omatyöntekijään.
