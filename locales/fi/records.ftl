## records_overview.html, records_task.html, records_document.html, components/records.html
records-overview-lead = Sosiaalihuollon asiakirjat palvelutehtävittäin. Valitse palvelutehtävä nähdäksesi sen asiakirjat.
records-empty = Tietoja ei ole
records-no-documents = Asiakirjoja ei ole
records-document-count = { $count ->
    [0] Ei näytettäviä asiakirjoja
    [one] 1 asiakirja
   *[other] { $count } asiakirjaa
}
records-latest = uusin { $date }
records-back-to-overview = Takaisin: Sosiaalipalvelujen tiedot
records-back-to-task = Takaisin: { $task }
records-notice-title = Osaa tiedoista ei näytetä
records-notice-text = Tietojen näyttämistä on rajoitettu tai viivästetty. Rajauksista voi aina keskustella omatyöntekijän kanssa.
records-relationships-heading = Asiakkuus
records-relationship-started = Asiakkuus alkanut { $date }
records-relationship-ended = Asiakkuus päättynyt { $date }
records-own-worker = Omatyöntekijä
records-worker-name = Nimi
records-worker-title = Tehtävänimike
records-worker-unit = Yksikkö
records-worker-phone = Puhelin
records-worker-email = Sähköposti
records-table-caption = { $group }, uusin ensin
records-col-date = Päivämäärä
records-col-title = Asiakirja
records-col-registrar = Rekisterinpitäjä
records-col-unit = Yksikkö
records-meta-kind = Asiakirjan laji
records-meta-date = Päivämäärä
records-meta-task = Palvelutehtävä
records-meta-author = Laatija
records-rows-shown = Asiakirjat { $first }–{ $last } / { $total }
records-notice-text--principal = Valtuuttajan tietojen näyttämistä on rajoitettu tai viivästetty. Rajauksista voi aina keskustella valtuuttajan omatyöntekijän kanssa.
records-attachments = Liitteet
records-attachment-of = Liite asiakirjaan:
records-attachment-count = { $count ->
    [one] (1 liite)
   *[other] ({ $count } liitettä)
}
records-newest = Uusimmat asiakirjat
records-language-note = Asiakirja on { $language ->
    [sv] ruotsinkielinen
   *[fi] suomenkielinen
}.
records-print = Tulosta tai tallenna PDF-tiedostoksi
records-print-instructions = Tämä on asiakirjan tulostettava versio. Tulosta se selaimen Tulosta-toiminnolla (Ctrl+P, Macissa Cmd+P). Tallentaaksesi sen PDF-tiedostoksi valitse tulostimeksi Tallenna PDF-muodossa.
records-print-person = Henkilö
records-print-born = syntynyt { $date }
records-print-version = Versio
records-print-versions = päivitetty { $updated }; aiempi versio { $earlier }
records-print-printed = Tulostettu { $time } palvelusta Sosiaalipalvelujen tiedot: { $from }
records-filter-heading = Rajaa asiakirjoja
records-filter-year = Vuosi
records-filter-any = Kaikki
records-filter-button = Näytä
records-filter-clear = Tyhjennä valinnat
records-filter-count = { $count ->
    [0] Valinnoilla ei löytynyt asiakirjoja
    [one] Valinnoilla löytyi 1 asiakirja
   *[other] Valinnoilla löytyi { $count } asiakirjaa
}
records-contact-heading = Kysy asiakirjasta tai pyydä korjausta
records-contacts-heading = Kysy asiakirjoista tai pyydä korjausta
records-contact-lead = Virheet korjataan siellä, missä tiedot on kirjattu. Kysy asiakirjasta tai pyydä korjausta rekisterinpitäjältä.
records-contact-phone = Puhelin
records-contact-email = Sähköposti
records-contact-address = Osoite
records-contact-hours = Puhelinajat
records-contact-url = Verkkosivut
records-contact-data-protection = Tietosuojavastaava
records-contact-none = Rekisterinpitäjän yhteystietoja ei ole saatavilla tässä palvelussa. Ota yhteyttä asiakirjan laatineeseen yksikköön.
records-no-worker = Asiakkuudessa ei ole nimettyä omatyöntekijää. Voit kysyä asiakkuudesta rekisterinpitäjältä.
records-notice-workers = Omatyöntekijä: { $names }
records-notice-contacts = Rekisterinpitäjän yhteystiedot
