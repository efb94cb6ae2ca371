## accessibility.html — saavutettavuusseloste (laki 306/2019)
accessibility-title = Saavutettavuusseloste
accessibility-intro = Tämä saavutettavuusseloste koskee Sosiaalipalvelujen tiedot -palvelua. Palveluun sovelletaan lakia digitaalisten palvelujen tarjoamisesta (306/2019), joka edellyttää, että julkiset verkkopalvelut ovat saavutettavia.
accessibility-status-heading = Saavutettavuuden tila
accessibility-status = Palvelu täyttää osittain WCAG 2.2 -ohjeiston A- ja AA-tason vaatimukset. Tiedossa olevat puutteet on lueteltu alla.
accessibility-gaps-heading = Tiedossa olevat puutteet
accessibility-gap-worker = Omatyöntekijän nimikkeen ja yksikön kieli päätellään saman rekisterinpitäjän asiakirjoista. Jos niitä ei näy, kieltä ei merkitä, vaikka se olisi eri kuin sivun kieli (WCAG 3.1.2).
accessibility-gap-back = Luovutuskiellon vaiheissa Takaisin-linkki ei aina palauta aiemmin valittua vastausta (WCAG 3.3.7).
accessibility-gap-documents = Asiakirjojen tekstit näytetään sellaisina kuin ammattilainen on ne kirjannut. Niiden selkeydestä vastaa tiedot kirjannut rekisterinpitäjä.
accessibility-assessed-heading = Miten saavutettavuus on arvioitu
accessibility-assessed = Arvioimme palvelun itse { $date }. Jokainen sivu tarkistettiin automaattisesti axe-core-työkalulla Chromium-selaimessa suomeksi, ruotsiksi ja englanniksi. Palvelun tehtävät käytiin läpi pelkällä näppäimistöllä, 320 pikselin leveydellä, 200 prosentin tekstikoolla ja ruudunlukijalla. Seloste on päivitetty { $date }.
accessibility-feedback-heading = Palaute
accessibility-feedback = Jos huomaat saavutettavuuspuutteen, kerro siitä palautelomakkeella tai sähköpostilla osoitteeseen { $email }. Vastaamme 14 päivän kuluessa. Palvelun ylläpitäjä on { $operator }.
accessibility-feedback-link = Anna saavutettavuuspalautetta
accessibility-authority-heading = Valvontaviranomainen
accessibility-authority = Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon kuluessa, voit tehdä ilmoituksen valvontaviranomaiselle. Saavutettavuutta valvoo { $authority }.
accessibility-authority-link = Valvontaviranomaisen verkkosivut (saavutettavuusvaatimukset.fi)

## help.html — Miksi en näe kaikkia tietojani?
help-title = Miksi en näe kaikkia tietojani?
help-intro = Tässä palvelussa näet Kanta-palveluihin tallennettuja sosiaalihuollon asiakastietojasi. Kaikki tiedot eivät näy täällä.
help-never-heading = Tiedot, joita ei näytetä koskaan
help-never = Täällä eivät näy turvakotipalvelujen eivätkä lähisuhde- ja perheväkivallan ehkäisytyön tiedot, adoptioneuvonnan tiedot, lapsen huolto- ja tapaamisoikeusselvitykset liitteineen, maksusitoumukset eivätkä asiakkuusasiakirjat. Et näe myöskään tietoja, jotka on kirjattu ennen kuin palvelun järjestäjä liittyi Kanta-palveluihin.
help-not-yet-heading = Tiedot, jotka tulevat näkyviin myöhemmin
help-not-yet = Asiakaskertomusmerkinnät, vanhemmuuden selvittämiseen liittyvät asiakirjat ja usean henkilön yhteisen asian asiakirjat tulevat näkyviin myöhemmin. Jokainen palvelun järjestäjä aloittaa tietojen näyttämisen omana päivänään.
help-restricted-heading = Rajoitetut ja viivästetyt tiedot
help-restricted = Ammattilainen voi rajoittaa tiedon näkymistä tai viivästää sitä, jos tieto voisi vaarantaa terveytesi, kehityksesi tai turvallisuutesi. Silloin palvelutehtävän sivulla on ilmoitus rajoituksesta. Voit keskustella asiasta omatyöntekijäsi kanssa.
help-acting-heading = Toisen puolesta asiointi
help-acting = Huoltaja näkee alaikäisen lapsen tiedot, paitsi ne, jotka on rajattu huoltajilta. Jos lapsella on turvakielto tai hänet on otettu huostaan, huoltaja ei näe lapsen tietoja täällä. Toisen aikuisen puolesta voit asioida Suomi.fi-valtuudella.
help-corrections-heading = Jos tiedoissa on virhe
help-corrections = Tässä palvelussa ei voi muuttaa tietoja, lähettää viestejä eikä panna asioita vireille. Virheen korjaa se, joka on kirjannut tiedon: ota yhteyttä omatyöntekijääsi tai asiakirjan laatineeseen yksikköön.

## feedback.html — saavutettavuuspalaute
feedback-title = Saavutettavuuspalaute
feedback-lead = Kerro meille, jos jokin palvelun osa on vaikea käyttää tai huomaat saavutettavuuspuutteen. Vastaamme 14 päivän kuluessa.
feedback-no-codes = Älä kirjoita viestiin henkilötunnusta tai asiakastietojasi.
feedback-message-label = Palautteesi
feedback-contact-label = Yhteystietosi vastausta varten (vapaaehtoinen)
feedback-contact-hint = Sähköpostiosoite tai puhelinnumero.
feedback-attach-identity = Liitä palautteeseen nimeni, jotta ylläpitäjä voi selvittää asiaa
feedback-send = Lähetä palaute
feedback-sent = Kiitos palautteestasi. Jos annoit yhteystietosi, vastaamme viimeistään { $date }.
feedback-error-empty = Kirjoita palautteesi
feedback-error-long = Palaute voi olla enintään { $max } merkkiä pitkä
feedback-error-contact = Yhteystiedot voivat olla enintään { $max } merkkiä pitkät
feedback-error-rate = Olet jo lähettänyt useita palautteita. Yritä uudelleen tunnin kuluttua.
feedback-code-removed = [henkilötunnus poistettu]
nav-label = Päävalikko
nav-choices = Tietojen luovuttaminen
