## accessibility.html — tillgänglighetsutlåtande (lag 306/2019)
accessibility-title = Tillgänglighetsutlåtande
accessibility-intro = Det här tillgänglighetsutlåtandet gäller tjänsten Uppgifter om socialservice. På tjänsten tillämpas lagen om tillhandahållande av digitala tjänster (306/2019), som kräver att offentliga webbtjänster är tillgängliga.
accessibility-status-heading = Tillgänglighetens status
accessibility-status = Tjänsten uppfyller delvis kraven på nivå A och AA i riktlinjerna WCAG 2.2. De kända bristerna räknas upp nedan.
accessibility-gaps-heading = Kända brister
accessibility-gap-worker = Språket för den egna kontaktpersonens titel och enhet härleds från samma personuppgiftsansvariges handlingar. Om inga sådana visas märks språket inte, även om det skiljer sig från sidans (WCAG 3.1.2).
accessibility-gap-back = I stegen för förbud mot utlämnande återställer länken Tillbaka inte alltid det svar som valts tidigare (WCAG 3.3.7).
accessibility-gap-documents = Handlingarnas texter visas så som yrkespersonen har registrerat dem. Den personuppgiftsansvarige som registrerat uppgifterna svarar för hur tydliga de är.
accessibility-assessed-heading = Hur tillgängligheten har bedömts
accessibility-assessed = Vi har själva bedömt tjänsten { $date }. Varje sida kontrollerades automatiskt med verktyget axe-core i webbläsaren Chromium på finska, svenska och engelska. Tjänstens uppgifter gicks igenom enbart med tangentbord, med 320 pixlars bredd, med 200 procents textstorlek och med skärmläsare. Utlåtandet har uppdaterats { $date }.
accessibility-feedback-heading = Respons
accessibility-feedback = Om du märker en brist i tillgängligheten, berätta det med responsformuläret eller per e-post till { $email }. Vi svarar inom 14 dagar. Tjänstens upprätthållare är { $operator }.
accessibility-feedback-link = Ge respons om tillgängligheten
accessibility-authority-heading = Tillsynsmyndighet
accessibility-authority = Om du inte är nöjd med svaret eller inte får svar inom två veckor kan du göra en anmälan till tillsynsmyndigheten. Tillgängligheten övervakas av { $authority }.
accessibility-authority-link = Tillsynsmyndighetens webbplats (tillgänglighetskrav.fi)

## help.html — Varför ser jag inte alla mina uppgifter?
help-title = Varför ser jag inte alla mina uppgifter?
help-intro = I den här tjänsten ser du dina klientuppgifter inom socialvården som har sparats i Kanta-tjänsterna. Alla uppgifter visas inte här.
help-never-heading = Uppgifter som aldrig visas
help-never = Här visas inte uppgifter om skyddshemstjänster eller förebyggande arbete mot våld i nära relationer och familjer, uppgifter om adoptionsrådgivning, utredningar om vårdnad om och umgängesrätt med barn jämte bilagor, betalningsförbindelser eller klientrelationshandlingar. Du ser inte heller uppgifter som registrerats innan anordnaren anslöt sig till Kanta-tjänsterna.
help-not-yet-heading = Uppgifter som visas senare
help-not-yet = Journalanteckningar, handlingar som hänför sig till föräldraskapsutredning och handlingar i ärenden som gäller flera personer visas senare. Varje anordnare börjar visa uppgifterna på sin egen dag.
help-restricted-heading = Begränsade och fördröjda uppgifter
help-restricted = En yrkesperson kan begränsa eller fördröja visningen av en uppgift om den kan äventyra din hälsa, utveckling eller säkerhet. Då finns det ett meddelande om begränsningen på serviceuppgiftens sida. Du kan diskutera saken med din egen kontaktperson.
help-acting-heading = Sköta ärenden för andra
help-acting = En vårdnadshavare ser ett minderårigt barns uppgifter, utom de som inte visas för vårdnadshavare. Om barnet har spärrmarkering eller är omhändertaget ser vårdnadshavaren inte barnets uppgifter här. För en annan vuxen kan du sköta ärenden med Suomi.fi-fullmakt.
help-corrections-heading = Om uppgifterna är felaktiga
help-corrections = I den här tjänsten kan du inte ändra uppgifter, skicka meddelanden eller inleda ärenden. Ett fel rättas av den som registrerat uppgiften: kontakta din egen kontaktperson eller den enhet som upprättat handlingen.

## feedback.html — respons om tillgängligheten
feedback-title = Respons om tillgängligheten
feedback-lead = Berätta för oss om någon del av tjänsten är svår att använda eller om du märker en brist i tillgängligheten. Vi svarar inom 14 dagar.
feedback-no-codes = Skriv inte din personbeteckning eller dina klientuppgifter i meddelandet.
feedback-message-label = Din respons
feedback-contact-label = Dina kontaktuppgifter för svaret (frivilligt)
feedback-contact-hint = E-postadress eller telefonnummer.
feedback-attach-identity = Bifoga mitt namn så att upprätthållaren kan utreda saken
feedback-send = Skicka respons
feedback-sent = Tack för din respons. Om du gav dina kontaktuppgifter svarar vi senast { $date }.
feedback-error-empty = Skriv din respons
feedback-error-long = Responsen kan vara högst { $max } tecken lång
feedback-error-contact = Kontaktuppgifterna kan vara högst { $max } tecken långa
feedback-error-rate = Du har redan skickat flera meddelanden. Försök igen om en timme.
feedback-code-removed = [personbeteckningen borttagen]
nav-label = Huvudmeny
nav-choices = Utlämnande av uppgifter
