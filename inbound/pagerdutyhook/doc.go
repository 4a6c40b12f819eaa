// Package pagerdutyhook receives PagerDuty v3 webhooks and keeps the incidents
// they describe: mount the Handler (earshot serve does, at /hooks/pagerduty,
// when webhooks.pagerduty.secret is set) and point a PagerDuty webhook
// subscription at it.
//
// Every delivery must carry X-PagerDuty-Signature: one or more
// comma-separated "v1=<hex HMAC-SHA256 of the body>" signatures (several
// while PagerDuty rotates secrets); one must match the configured secret,
// or the answer is 401. A body larger than max_bytes is 413; one that is not
// a v3 webhook is 400, naming the field at fault.
//
// Incident events (event.event_type incident.*) upsert the incident
// "pagerduty:<incident id>": triggered, acknowledged, unacknowledged,
// reopened and resolved add an update with the status they bring
// (investigating, identified, investigating, investigating, resolved);
// annotated (a note) and status_update_published add an update with their
// text and the status in force; the others (escalated, reassigned,
// priority_updated, ...) refresh the title, link, service and severity
// only. The PagerDuty service, mapped through services, is the incident's
// service; the priority (P1 critical, P2 major, P3 minor, P4 and P5 none),
// else the urgency (high major, low minor), its severity. pagey.ping and
// events on other resources are answered 200 and ignored.
//
// Deliveries are idempotent: an update is the event's time, status and text,
// and one already on the incident is not added again, so a re-delivered
// webhook changes nothing; events arriving out of order still leave the
// incident in the state of its latest event. The handler loads, merges and
// saves one event at a time.
package pagerdutyhook
