## base.html — the page shell
site-name = Social services information
site-name-home = , front page
skip-to-content = Skip to content
language-nav-label = Language
sign-out = Sign out
footer-text = The information comes from the Client Data Archive for Social Welfare of the Kanta Services. If something is wrong, contact your own worker: errors are always corrected where the information was recorded.
error-prefix = Error:{" "}
demo-banner-label = DEMO
demo-banner-text = This is a demonstration version. All people and records are fictional.

## home.html — the front page
home-title = Social services information
home-lead = Here you can see your social welfare client information stored in the Kanta Services.
home-what-you-see = You can see, for example, decisions, service need assessments, client plans and implementation plans for social services, when your client relationship began, and the contact details of your own worker.
home-what-you-cannot-do = Here you can view the information and make choices about its disclosure. You cannot send or receive messages, start matters, send documents or change information in this service: contact your own worker for those.
home-sign-in = Sign in
home-greeting = Hello, { $name }!
home-signed-in-lead = What would you like to do?
home-records-description = Decisions, service need assessments, client plans and other social welfare documents by service task.
records-title = Social services information
records-overview-title = Information by service task

## sign_in.html — demo sign-in
sign-in-title = Sign in as a test person
sign-in-lead = Choose who to sign in as. Each test person shows a different situation.
sign-in-no-people = There are no people in the database yet. Import data with the command sosiaalitiedot import.
sign-in-age = { $age } years
sign-in-button = Sign in: { $name }

## error.html — error pages
error-title-400 = The request is not valid
error-text-400 = The service did not understand the request. Go back to the previous page and try again.
error-title-403 = The action could not be completed
error-text-403 = The form may have expired, or you are not allowed to do this. Reload the page and try again.
error-title-404 = Page not found
error-text-404 = The page or information you are looking for was not found. Check the address or go back to the front page.
error-title-405 = The action could not be completed
error-text-405 = This page cannot be used this way. Go back to the front page.
error-title-413 = The request is too large
error-text-413 = The information you sent is too large.
error-title-500 = Something went wrong
error-text-500 = We are sorry. Please try again in a moment.
error-title-503 = The service is not available right now
error-text-503 = We cannot reach the information right now. Please try again in a moment.
error-back-home = Back to the front page
error-request-id = Error reference (please quote it if you contact support):
error-title-409 = The person has changed
error-text-409 = You switched to another person in another window. The change was not made. Check whose information you are viewing and make the change again.

## sign_in_failed.html, signed_out.html — production sign-in
auth-failed-title = Identification failed
auth-failed-text = Your identification could not be confirmed, so you were not signed in. Please try again. If the problem persists, give support the code below.
auth-failed-cancelled = The identification was cancelled or not accepted by the identification service, so you were not signed in. You can try again.
auth-failed-unavailable = The identification service cannot be reached right now. Please try again in a moment.
auth-try-again = Try again
signing-out-title = Signing out
signing-out-text = You have signed out of this service. Next, the sign-in also ends at the identification service, so that the next user of this browser cannot reach the information.
signing-out-continue = Sign out of the identification service
signed-out-title = You have signed out
signed-out-text = You have signed out of the service. Close the browser if you are using a shared computer.
signed-out-idle = Your session has ended because you did not use the service for { $minutes } minutes or the sign-in was ended in another browser or device. Sign in again to continue.
signed-out-absolute = Your session reached its maximum length of { $hours } { $hours ->
    [one] hour
   *[other] hours
}. Sign in again to continue.

## sessions.html — Sign-ins
sessions-title = Sign-ins
sessions-link = Sign-ins
sessions-lead = These are your active sign-ins to this service. If you do not recognise one, end it and contact support.
sessions-caption = Active sign-ins
sessions-col-browser = Browser
sessions-col-started = Signed in
sessions-col-last-used = Last used
sessions-col-actions = Actions
sessions-this = This sign-in
sessions-this-hint = End this sign-in by signing out.
sessions-browser-other = Other browser
sessions-end-one = End the sign-in ({ $browser }, { $started })
sessions-end-others = End all other sign-ins
sessions-ended-one = The sign-in has been ended.
sessions-ended-others = All other sign-ins have been ended.
session-ends = Your session ends at { $time } if you do not use the service.
session-warning = Your session will end soon because you have not used the service. You can continue it with the button or the Esc key.
session-continue = Continue the session
error-title-valtuudet-unavailable = The person's data cannot be shown right now
error-text-valtuudet-unavailable = Your right to act for the person could not be checked because Suomi.fi e-Authorizations is not answering just now. Please try again in a moment. You see your own data when you choose yourself on the page Act on behalf of someone.
home-page-title = Front page
footer-text--child = The information comes from the Client Data Archive for Social Welfare of the Kanta Services. If something in the child's information is wrong, contact the child's own worker: errors are always corrected where the information was recorded.
footer-text--principal = The information comes from the Client Data Archive for Social Welfare of the Kanta Services. If something in the principal's information is wrong, contact the principal's own worker: errors are always corrected where the information was recorded.
nav-records = Documents and client relationships
session-continued = The session continues.
session-ended = Your session ended because you did not use the service. Sign in again to continue.
session-sign-in-again = Sign in again
home-what-you-cannot-do--own-minor = In this service you can view your information. Choices about disclosing a minor's information are made with a guardian or a social welfare professional. Messages cannot be sent or received, matters started, documents sent or information changed in this service: contact your own worker for those.
home-what-you-cannot-do--guardian = In this service you can view the child's information, acknowledge the Kanta information notice and give or revoke the child's consent to disclosure. Disclosure prohibitions on a child's information are made with a social welfare professional. Messages cannot be sent or received, matters started, documents sent or information changed in this service: contact the child's own worker for those.
home-what-you-cannot-do--information-right = In this service you can view the child's information. With a right to information you cannot make choices about its disclosure. Messages cannot be sent or received, matters started, documents sent or information changed in this service: contact the child's own worker for those.
home-what-you-cannot-do--principal = In this service you can view the principal's information and make choices about its disclosure on their behalf. Messages cannot be sent or received, matters started, documents sent or information changed in this service: contact the principal's own worker for those.
