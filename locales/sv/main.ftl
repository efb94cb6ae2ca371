## base.html — the page shell
site-name = Uppgifter om socialservice
site-name-home = , startsida
skip-to-content = Gå till innehållet
language-nav-label = Språk
sign-out = Logga ut
footer-text = Uppgifterna kommer från Klientdataarkivet för socialvården i Kanta-tjänsterna. Om det finns fel i uppgifterna, kontakta din egen kontaktperson: fel rättas alltid där uppgifterna har registrerats.
error-prefix = Fel:{" "}
demo-banner-label = DEMO
demo-banner-text = Det här är en demoversion. Alla personer och uppgifter är påhittade.

## home.html — the front page
home-title = Uppgifter om socialservice
home-lead = Här ser du dina klientuppgifter inom socialvården som har sparats i Kanta-tjänsterna.
home-what-you-see = Du ser till exempel beslut, bedömningar av servicebehovet, klientplaner och genomförandeplaner för socialservice, uppgifter om när klientrelationen började och kontaktuppgifter till din egen kontaktperson.
home-what-you-cannot-do = I den här tjänsten kan du se uppgifterna och göra val som gäller utlämnandet av dem. I tjänsten kan du inte skicka eller ta emot meddelanden, inleda ärenden, skicka handlingar eller ändra uppgifter: kontakta den egna kontaktpersonen i sådana frågor.
home-sign-in = Logga in
home-greeting = Hej, { $name }!
home-signed-in-lead = Vad vill du göra?
home-records-description = Beslut, bedömningar av servicebehovet, klientplaner och andra socialvårdshandlingar enligt serviceuppgift.
records-title = Uppgifter om socialservice
records-overview-title = Uppgifter per serviceuppgift

## sign_in.html — demo sign-in
sign-in-title = Logga in som testperson
sign-in-lead = Välj vem du vill logga in som. Varje testperson visar en annan situation.
sign-in-no-people = Det finns ännu inga personer i databasen. Importera material med kommandot sosiaalitiedot import.
sign-in-age = { $age } år
sign-in-button = Logga in: { $name }

## error.html — error pages
error-title-400 = Felaktig begäran
error-text-400 = Tjänsten förstod inte begäran. Gå tillbaka till föregående sida och försök igen.
error-title-403 = Åtgärden kunde inte utföras
error-text-403 = Formuläret kan ha gått ut, eller så har du inte rätt till den här åtgärden. Ladda om sidan och försök igen.
error-title-404 = Sidan hittades inte
error-text-404 = Sidan eller uppgiften du söker hittades inte. Kontrollera adressen eller gå tillbaka till startsidan.
error-title-405 = Åtgärden kunde inte utföras
error-text-405 = Sidan kan inte användas på det här sättet. Gå tillbaka till startsidan.
error-title-413 = Begäran är för stor
error-text-413 = Uppgifterna du skickade är för stora.
error-title-500 = Ett fel inträffade i tjänsten
error-text-500 = Vi beklagar. Försök igen om en stund.
error-title-503 = Tjänsten är inte tillgänglig just nu
error-text-503 = Vi når inte uppgifterna just nu. Försök igen om en stund.
error-back-home = Till startsidan
error-request-id = Felets kod (uppge den om du kontaktar supporten):
error-title-409 = Personen har bytts
error-text-409 = Du har i ett annat fönster bytt den person vars uppgifter du ser. Ändringen gjordes inte. Kontrollera vems uppgifter du ser och gör ändringen på nytt.

## sign_in_failed.html, signed_out.html — production sign-in
auth-failed-title = Identifieringen misslyckades
auth-failed-text = Identifieringen kunde inte bekräftas, så du loggades inte in. Försök igen. Om problemet upprepas, uppge koden nedan till supporten.
auth-failed-cancelled = Identifieringen avbröts eller godkändes inte av identifieringstjänsten, så du loggades inte in. Du kan försöka igen.
auth-failed-unavailable = Identifieringstjänsten kan inte nås just nu. Försök igen om en stund.
auth-try-again = Försök igen
signing-out-title = Du loggas ut
signing-out-text = Du har loggat ut ur den här tjänsten. Nu avslutas inloggningen också i identifieringstjänsten, så att nästa användare inte kommer åt uppgifterna i den här webbläsaren.
signing-out-continue = Logga ut från identifieringstjänsten
signed-out-title = Du har loggat ut
signed-out-text = Du har loggat ut från tjänsten. Stäng webbläsaren om du använder en gemensam dator.
signed-out-idle = Din session har upphört eftersom du inte använde tjänsten på { $minutes } minuter eller inloggningen avslutades i en annan webbläsare eller enhet. Logga in igen för att fortsätta.
signed-out-absolute = Din sessions maximala längd, { $hours } { $hours ->
    [one] timme
   *[other] timmar
}, har uppnåtts. Logga in igen för att fortsätta.

## sessions.html — Inloggningar
sessions-title = Inloggningar
sessions-link = Inloggningar
sessions-lead = Här är dina giltiga inloggningar i den här tjänsten. Om du inte känner igen en inloggning, avsluta den och kontakta supporten.
sessions-caption = Giltiga inloggningar
sessions-col-browser = Webbläsare
sessions-col-started = Inloggad
sessions-col-last-used = Senast använd
sessions-col-actions = Åtgärder
sessions-this = Den här inloggningen
sessions-this-hint = Avsluta den här inloggningen genom att logga ut.
sessions-browser-other = Annan webbläsare
sessions-end-one = Avsluta inloggningen ({ $browser }, { $started })
sessions-end-others = Avsluta alla andra inloggningar
sessions-ended-one = Inloggningen har avslutats.
sessions-ended-others = Alla andra inloggningar har avslutats.
session-ends = Din session upphör kl. { $time } om du inte använder tjänsten.
session-warning = Din session upphör snart eftersom du inte har använt tjänsten. Du kan fortsätta sessionen med knappen eller Esc-tangenten.
session-continue = Fortsätt sessionen
error-title-valtuudet-unavailable = Personens uppgifter kan inte visas just nu
error-text-valtuudet-unavailable = Din rätt att sköta ärenden för personen kunde inte kontrolleras eftersom Suomi.fi-fullmakter inte svarar just nu. Försök på nytt om en stund. Dina egna uppgifter ser du när du väljer dig själv på sidan Sköta ärenden för någon annan.
home-page-title = Startsida
footer-text--child = Uppgifterna kommer från Klientdataarkivet för socialvården i Kanta-tjänsterna. Om det finns fel i barnets uppgifter, kontakta barnets egen kontaktperson: fel rättas alltid där uppgifterna har registrerats.
footer-text--principal = Uppgifterna kommer från Klientdataarkivet för socialvården i Kanta-tjänsterna. Om det finns fel i fullmaktsgivarens uppgifter, kontakta fullmaktsgivarens egen kontaktperson: fel rättas alltid där uppgifterna har registrerats.
nav-records = Handlingar och klientrelationer
session-continued = Sessionen fortsätter.
session-ended = Din session upphörde eftersom du inte använde tjänsten. Logga in igen för att fortsätta.
session-sign-in-again = Logga in igen
home-what-you-cannot-do--own-minor = I den här tjänsten kan du se dina uppgifter. Val som gäller utlämnandet av en minderårigs uppgifter görs med vårdnadshavaren eller en yrkesperson inom socialvården. I tjänsten kan man inte skicka eller ta emot meddelanden, inleda ärenden, skicka handlingar eller ändra uppgifter: kontakta din egen kontaktperson i sådana frågor.
home-what-you-cannot-do--guardian = I den här tjänsten kan du se barnets uppgifter, bekräfta Kanta-informationen och ge eller återkalla barnets tillstånd för utlämnande. Förbud mot utlämnande av barnets uppgifter görs tillsammans med en yrkesperson inom socialvården. I tjänsten kan man inte skicka eller ta emot meddelanden, inleda ärenden, skicka handlingar eller ändra uppgifter: kontakta barnets egen kontaktperson i sådana frågor.
home-what-you-cannot-do--information-right = I den här tjänsten kan du se barnets uppgifter. Med rätt att få del av uppgifterna kan du inte göra val som gäller utlämnandet av dem. I tjänsten kan man inte skicka eller ta emot meddelanden, inleda ärenden, skicka handlingar eller ändra uppgifter: kontakta barnets egen kontaktperson i sådana frågor.
home-what-you-cannot-do--principal = I den här tjänsten kan du se fullmaktsgivarens uppgifter och göra val som gäller utlämnandet av dem för hens räkning. I tjänsten kan man inte skicka eller ta emot meddelanden, inleda ärenden, skicka handlingar eller ändra uppgifter: kontakta fullmaktsgivarens egen kontaktperson i sådana frågor.
