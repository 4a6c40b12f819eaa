// Package notify holds what every Earshot notifier shares: the Retrier
// stage that retries a notifier with exponential backoff and records each
// attempt as an earshot.Delivery, the Fanout stage that sends one
// notification through several notifiers, and the plumbing the HTTP
// notifiers use to classify responses (5xx, 429 and timeouts may be retried,
// other 4xx may not) and to keep secrets out of errors and logs.
//
// The notifiers themselves live in the sub-packages slack, webhook, email
// and pagerduty; each implements earshot.Notifier and is built from a
// Config holding already-resolved secrets (see the ResolveSecrets method of
// each Config). Stages compose as plain values:
//
//	n := notify.Fanout{
//		&notify.Retrier{Name: "slack", Notifier: slackNotifier, Deliveries: store},
//		&notify.Retrier{Name: "email", Notifier: emailNotifier, Deliveries: store},
//	}
//	retry, err := n.Notify(ctx, notification)
package notify
