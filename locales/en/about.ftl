## accessibility.html — accessibility statement (Act 306/2019)
accessibility-title = Accessibility statement
accessibility-intro = This accessibility statement applies to the Social services information service. The service is subject to the Act on the Provision of Digital Services (306/2019), which requires public online services to be accessible.
accessibility-status-heading = Compliance status
accessibility-status = The service partially meets the level A and AA requirements of WCAG 2.2. The known shortcomings are listed below.
accessibility-gaps-heading = Known shortcomings
accessibility-gap-worker = The language of the own worker's title and unit is taken from the same registrar's documents. When none is shown, the language is not marked even if it differs from the page's (WCAG 3.1.2).
accessibility-gap-back = In the steps of a disclosure prohibition, the Back link does not always restore the answer chosen earlier (WCAG 3.3.7).
accessibility-gap-documents = The texts of documents are shown as the professional recorded them. The registrar who recorded them is responsible for their clarity.
accessibility-assessed-heading = How accessibility was assessed
accessibility-assessed = We assessed the service ourselves on { $date }. Every page was checked automatically with axe-core in the Chromium browser in Finnish, Swedish and English. The service's tasks were gone through with the keyboard alone, at 320 pixels wide, at 200 % text size and with a screen reader. The statement was updated on { $date }.
accessibility-feedback-heading = Feedback
accessibility-feedback = If you notice an accessibility shortcoming, tell us with the feedback form or by email to { $email }. We answer within 14 days. The service is run by { $operator }.
accessibility-feedback-link = Give accessibility feedback
accessibility-authority-heading = Supervisory authority
accessibility-authority = If you are not satisfied with the answer or get no answer within two weeks, you can notify the supervisory authority. Accessibility is monitored by { $authority }.
accessibility-authority-link = The supervisory authority's website (webaccessibility.fi)

## help.html — Why can't I see all my information?
help-title = Why can't I see all my information?
help-intro = In this service you see your social welfare client information stored in the Kanta Services. Not all information is shown here.
help-never-heading = Information that is never shown
help-never = Information of shelter services and of work preventing domestic and family violence, adoption counselling, investigations of child custody and right of access with their attachments, payment commitments and client relationship documents are not shown here. Nor is information recorded before the service organiser joined the Kanta Services.
help-not-yet-heading = Information shown later
help-not-yet = Client record entries, documents on establishing parenthood and documents of matters concerning several people will be shown later. Each service organiser starts showing information on its own date.
help-restricted-heading = Restricted and delayed information
help-restricted = A professional can restrict or delay showing information that could endanger your health, development or safety. The service task's page then has a notice of the restriction. You can discuss it with your own worker.
help-acting-heading = Acting on behalf of others
help-acting = A guardian sees a minor child's information except what is hidden from guardians. If the child has a non-disclosure marking or has been taken into care, the guardian does not see the child's information here. You can act for another adult with a Suomi.fi mandate.
help-corrections-heading = If the information is wrong
help-corrections = In this service you cannot change information, send messages or start matters. An error is corrected by whoever recorded the information: contact your own worker or the unit that made the document.

## feedback.html — accessibility feedback
feedback-title = Accessibility feedback
feedback-lead = Tell us if any part of the service is hard to use or you notice an accessibility shortcoming. We answer within 14 days.
feedback-no-codes = Do not write your personal identity code or client information in the message.
feedback-message-label = Your feedback
feedback-contact-label = Your contact details for the answer (optional)
feedback-contact-hint = Email address or phone number.
feedback-attach-identity = Attach my name so that the service can look into the matter
feedback-send = Send feedback
feedback-sent = Thank you for your feedback. If you gave your contact details, we will answer by { $date }.
feedback-error-empty = Write your feedback
feedback-error-long = Feedback can be at most { $max } characters long
feedback-error-contact = Contact details can be at most { $max } characters long
feedback-error-rate = You have already sent several messages. Try again in an hour.
feedback-code-removed = [identity code removed]
nav-label = Main menu
nav-choices = Disclosure of information
