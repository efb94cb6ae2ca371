## records_overview.html, records_task.html, records_document.html, components/records.html
records-overview-lead = Social welfare documents by service task. Choose a service task to see its documents.
records-empty = No information
records-no-documents = No documents
records-document-count = { $count ->
    [0] No documents to show
    [one] 1 document
   *[other] { $count } documents
}
records-latest = latest { $date }
records-back-to-overview = Back: Social services information
records-back-to-task = Back: { $task }
records-notice-title = Some information is not shown
records-notice-text = The display of some information has been restricted or delayed. You can discuss this with your own worker.
records-relationships-heading = Client relationship
records-relationship-started = Client relationship started { $date }
records-relationship-ended = Client relationship ended { $date }
records-own-worker = Own worker
records-worker-name = Name
records-worker-title = Title
records-worker-unit = Unit
records-worker-phone = Phone
records-worker-email = Email
records-table-caption = { $group }, newest first
records-col-date = Date
records-col-title = Document
records-col-registrar = Registrar
records-col-unit = Unit
records-meta-kind = Kind of document
records-meta-date = Date
records-meta-task = Service task
records-meta-author = Author
records-rows-shown = Documents { $first }–{ $last } of { $total }
records-notice-text--principal = The display of some of the principal's information has been restricted or delayed. Restrictions can always be discussed with the principal's own worker.
records-attachments = Attachments
records-attachment-of = Attachment to the document:
records-attachment-count = { $count ->
    [one] (1 attachment)
   *[other] ({ $count } attachments)
}
records-newest = Newest documents
records-language-note = The document is in { $language ->
    [sv] Swedish
   *[fi] Finnish
}.
records-print = Print or save as a PDF file
records-print-instructions = This is the printable version of the document. Print it with your browser's Print command (Ctrl+P, on a Mac Cmd+P). To save it as a PDF file, choose Save as PDF as the printer.
records-print-person = Person
records-print-born = born { $date }
records-print-version = Version
records-print-versions = updated { $updated }; earlier version { $earlier }
records-print-printed = Printed { $time } from the Social services information service: { $from }
records-filter-heading = Filter the documents
records-filter-year = Year
records-filter-any = All
records-filter-button = Show
records-filter-clear = Clear the choices
records-filter-count = { $count ->
    [0] No documents match the choices
    [one] 1 document matches the choices
   *[other] { $count } documents match the choices
}
records-contact-heading = Ask about the document or request a correction
records-contacts-heading = Ask about the documents or request a correction
records-contact-lead = Errors are corrected where the information was recorded. Ask the registrar about the document or request a correction.
records-contact-phone = Phone
records-contact-email = Email
records-contact-address = Address
records-contact-hours = Telephone hours
records-contact-url = Website
records-contact-data-protection = Data protection officer
records-contact-none = The registrar's contact details are not available in this service. Contact the unit that made the document.
records-no-worker = The client relationship has no named own worker. You can ask the registrar about it.
records-notice-workers = Own worker: { $names }
records-notice-contacts = The registrar's contact details
