// Package opsgeniehook receives Opsgenie webhook integration deliveries (alert
// actions) and keeps the incidents they describe: mount the Handler (earshot
// serve does, at /hooks/opsgenie, when webhooks.opsgenie has a token or a
// password) and add a Webhook integration in Opsgenie that posts to it.
//
// Opsgenie does not sign its webhooks, so the endpoint checks a shared
// secret instead: add a custom header to the integration, either
// "Authorization: Bearer <token>" or "X-Earshot-Token: <token>", or put
// basic-auth credentials in its URL (https://opsgenie:<password>@host/hooks/opsgenie)
// and configure username and password. Anything else is 401; a body larger
// than max_bytes is 413; one that is not an alert action is 400, naming the
// field at fault.
//
// Each alert is an incident, "opsgenie:<alertId>", titled with the alert's
// message. Create opens it (investigating, with the description when
// Opsgenie sends it), Acknowledge moves it to identified, UnAcknowledge back
// to investigating, Close and Delete resolve it, and AddNote adds the note
// as an update; other actions (AssignOwnership, AddTags, Escalate, custom
// actions) refresh the title, services and severity only. The priority (P1
// critical, P2 major, P3 minor, P4 and P5 none) is the severity. Services
// come from the alert's tags and entity: a tag or entity found in services
// counts as the service it maps to, and a tag "service:NAME" as NAME.
//
// An update's time is the alert's updatedAt (nanoseconds or milliseconds
// since the epoch; createdAt for Create), so a re-delivered action has the
// same time, status and text as the first and adds nothing. The handler
// loads, merges and saves one delivery at a time.
package opsgeniehook
