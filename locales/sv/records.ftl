## records_overview.html, records_task.html, records_document.html, components/records.html
records-overview-lead = Socialvårdshandlingar enligt serviceuppgift. Välj en serviceuppgift för att se dess handlingar.
records-empty = Uppgifter saknas
records-no-documents = Handlingar saknas
records-document-count = { $count ->
    [0] Inga handlingar att visa
    [one] 1 handling
   *[other] { $count } handlingar
}
records-latest = den senaste { $date }
records-back-to-overview = Tillbaka: Uppgifter om socialservice
records-back-to-task = Tillbaka: { $task }
records-notice-title = En del av uppgifterna visas inte
records-notice-text = Visningen av uppgifter har begränsats eller fördröjts. Du kan diskutera saken med din egen kontaktperson.
records-relationships-heading = Klientrelation
records-relationship-started = Klientrelationen började { $date }
records-relationship-ended = Klientrelationen upphörde { $date }
records-own-worker = Egen kontaktperson
records-worker-name = Namn
records-worker-title = Befattning
records-worker-unit = Enhet
records-worker-phone = Telefon
records-worker-email = E-post
records-table-caption = { $group }, nyaste först
records-col-date = Datum
records-col-title = Handling
records-col-registrar = Personuppgiftsansvarig
records-col-unit = Enhet
records-meta-kind = Typ av handling
records-meta-date = Datum
records-meta-task = Serviceuppgift
records-meta-author = Upprättad av
records-rows-shown = Handlingar { $first }–{ $last } av { $total }
records-notice-text--principal = Visningen av fullmaktsgivarens uppgifter har begränsats eller fördröjts. Begränsningarna kan alltid diskuteras med fullmaktsgivarens egen kontaktperson.
records-attachments = Bilagor
records-attachment-of = Bilaga till handlingen:
records-attachment-count = { $count ->
    [one] (1 bilaga)
   *[other] ({ $count } bilagor)
}
records-newest = De nyaste handlingarna
records-language-note = Handlingen är { $language ->
    [sv] svenskspråkig
   *[fi] finskspråkig
}.
records-print = Skriv ut eller spara som PDF-fil
records-print-instructions = Det här är en utskriftsversion av handlingen. Skriv ut den med webbläsarens funktion Skriv ut (Ctrl+P, på Mac Cmd+P). Om du vill spara den som PDF-fil väljer du Spara som PDF som skrivare.
records-print-person = Person
records-print-born = född { $date }
records-print-version = Version
records-print-versions = uppdaterad { $updated }; tidigare version { $earlier }
records-print-printed = Utskriven { $time } från tjänsten Uppgifter om socialservice: { $from }
records-filter-heading = Avgränsa handlingarna
records-filter-year = År
records-filter-any = Alla
records-filter-button = Visa
records-filter-clear = Rensa valen
records-filter-count = { $count ->
    [0] Inga handlingar hittades med valen
    [one] 1 handling hittades med valen
   *[other] { $count } handlingar hittades med valen
}
records-contact-heading = Fråga om handlingen eller begär rättelse
records-contacts-heading = Fråga om handlingarna eller begär rättelse
records-contact-lead = Fel rättas där uppgifterna har registrerats. Fråga om handlingen eller begär rättelse hos den personuppgiftsansvarige.
records-contact-phone = Telefon
records-contact-email = E-post
records-contact-address = Adress
records-contact-hours = Telefontider
records-contact-url = Webbplats
records-contact-data-protection = Dataskyddsombud
records-contact-none = Den personuppgiftsansvariges kontaktuppgifter finns inte i den här tjänsten. Kontakta enheten som har upprättat handlingen.
records-no-worker = Klientrelationen har ingen utsedd egen kontaktperson. Du kan fråga om klientrelationen hos den personuppgiftsansvarige.
records-notice-workers = Egen kontaktperson: { $names }
records-notice-contacts = Den personuppgiftsansvariges kontaktuppgifter
