// Package alerts routes Earshot's alerts to people, in the style of
// Prometheus Alertmanager: a route tree picks each alert's receivers by
// its labels, a Dispatcher groups alerts and decides when each group is
// notified, inhibition rules and silences mute, quiet hours hold or drop,
// and noise controls keep a flood of small spikes from reaching anyone.
// The notifiers that carry notifications out live in alerts/notify and its
// sub-packages.
//
// # Feeding alerts in, getting notifications out
//
// The Dispatcher is a step function: Add takes alerts in (with the spike
// each reports, for the noise controls) and Flush(now) returns the
// notifications due by now. It reads no clock of its own, so the same code
// runs live and in replay:
//
//	d, err := alerts.NewDispatcher(cfg, alerts.Options{Silences: silences})
//	// Live: Run flushes on the wall clock and delivers.
//	receivers, err := cfg.Notifiers(alerts.NotifierOptions{Resolve: resolve, Deliveries: store})
//	go d.Run(ctx, receivers)
//	d.Add(alert, &spike) // whenever linking raises or updates an alert
//
//	// Replay: the data's timestamps drive the clock.
//	for each event at time t, in order {
//		for _, n := range d.Flush(t) { emit(n) }
//		d.Add(alert, &spike)
//	}
//	for _, n := range d.Flush(end) { emit(n) }
//
// Add an alert again whenever it changes (its spike grows, is linked, or
// ends: set EndsAt, or add an alert of kind "resolved" with the same
// SpikeID, as alerts/link builds it); the dispatcher replaces it by ID. A
// resolved alert keeps its kind in notifications, so it stays in its
// group; notify.Resolved(a, n.At) tells it is over (replay prints such an
// alert as kind "resolved"). Feed alerts in time order: Add settles what
// fell due before the alert's time first, so the notifications do not
// depend on how often Flush is called.
//
// # Labels
//
// Alerts are routed by Labels(a): the alert's own Labels plus watch, kind
// (spike, unreported_incident), severity (critical, warning, info), metric
// (volume, negative_share, net_sentiment) and incident (the linked
// incident's ID, absent when none) from its fields. Matchers are written as
// in Alertmanager: name, operator (=, !=, =~, !~) and value, regular
// expressions anchored.
//
// # Timing
//
// A new group waits group_wait for more alerts, then is notified; after
// that it is looked at every group_interval and notified when its alerts
// changed (new, resolved, re-linked, severity changed), or when
// repeat_interval has passed since it was last sent and it still fires.
// Resolved alerts are notified once, then forgotten; an alert that ends
// before anybody heard of it is forgotten silently.
//
// A group's flush runs as a list of stages (flush.go), each narrowing the
// alerts still in the running or acting on what the stages before decided:
// the group's alerts, those quiet hours dropped, ends nobody heard of,
// silences and inhibitions, quiet hours, dedupe against what was last sent,
// the notification, the weekly counts, the cooldown memory, and when the
// group is due next.
//
// # Configuration
//
// The alerting: section of earshot.yaml (all keys; values shown are the
// defaults unless marked example):
//
//	alerting:
//	  # The route tree. The root matches every alert; children are tried in
//	  # order and the first that matches wins, unless it says continue.
//	  # Children inherit what they do not set.
//	  route:
//	    receiver: default
//	    # One notification per distinct set of these labels; ["..."] for one
//	    # per alert, [] for one for everything.
//	    group_by: [watch, kind]
//	    # Wait this long for more alerts before a new group's first message.
//	    group_wait: 30s
//	    # Then send changes (new or resolved alerts) at most this often...
//	    group_interval: 5m
//	    # ...and remind about a group still firing this often.
//	    repeat_interval: 4h
//	    routes:                                   # example
//	      - name: pager
//	        receiver: oncall
//	        matchers: ['severity="critical"', 'kind=~"spike|unreported_incident"']
//	        group_wait: 0s
//	        continue: true                        # comms hears of it too
//	      - name: comms
//	        receiver: comms
//	        matchers: ['watch=~"acme|acme-eu"']
//	        quiet_hours: [nights]
//
//	  # Where notifications go (example). Secrets are written env:NAME or
//	  # file:PATH and never appear in errors or logs.
//	  receivers:
//	    - name: default                           # no integrations: dropped
//	    - name: comms
//	      slack:
//	        - url: env:EARSHOT_SLACK_WEBHOOK_URL  # an incoming webhook
//	          max_alerts: 5                       # alerts detailed per message
//	          timeout: 10s
//	      email:
//	        - smarthost: smtp.example.com:587
//	          from: earshot@example.com
//	          to: [comms@example.com]
//	          username: earshot
//	          password: env:EARSHOT_SMTP_PASSWORD
//	          # opportunistic (STARTTLS when offered), starttls, implicit, none
//	          tls: opportunistic
//	      webhook:
//	        - url: https://hooks.example.com/earshot
//	          # Signs the body: X-Earshot-Signature: sha256=<hex HMAC-SHA256>
//	          secret: env:EARSHOT_WEBHOOK_SECRET
//	    - name: oncall
//	      pagerduty:
//	        - routing_key: env:EARSHOT_PAGERDUTY_ROUTING_KEY
//	          # url: https://events.pagerduty.com/v2/enqueue
//	          source: earshot
//
//	  # While an alert matching source_matchers fires, alerts matching
//	  # target_matchers with the same equal labels are muted. The default
//	  # rule: a spike linked to an incident mutes the "possible unreported
//	  # incident" alert on the same watch.
//	  inhibit_rules:
//	    - source_matchers: ['kind="spike"', 'incident!=""']
//	      target_matchers: ['kind="unreported_incident"']
//	      equal: [watch]
//
//	  # Windows routes name in their quiet_hours (example). During one, only
//	  # let_through severities are sent; the rest is held until the window
//	  # ends (hold) or, if it arose during the window, never sent (drop).
//	  quiet_hours:
//	    - name: nights
//	      time_zone: Europe/Paris
//	      weekdays: [mon, tue, wed, thu, fri, sat, sun]
//	      start: "22:00"
//	      end: "07:00"                            # the next morning
//	      action: hold
//	      let_through: [critical]
//
//	  # Noise controls, applied as spike and unreported-incident alerts
//	  # arrive.
//	  noise:
//	    min_score: 0        # lowest spike score (0..1) that alerts
//	    min_duration: 0s    # how long a spike must last before it alerts
//	    cooldown: 1h        # quiet time per watch and kind after an alert...
//	    new_wave: 50        # ...unless the new spike peaks 50% higher
//	    watches:            # per-watch overrides (example)
//	      acme:
//	        min_score: 0.9
//	        min_duration: 15m
//
//	  # Failed deliveries are retried with exponential backoff (5xx, 429
//	  # honouring Retry-After, timeouts, network errors; never other 4xx).
//	  retry:
//	    attempts: 5
//	    min_backoff: 1s
//	    max_backoff: 1m
//
// # Noise controls and counts
//
// A spike alert below its watch's min_score, or whose spike has not lasted
// min_duration, is turned away (Add says why). After an alert of one kind
// on one watch is sent, another from a different spike waits out the
// cooldown unless its spike's peak (observed minus expected) beats the last
// one sent by new_wave percent. WeeklyCounts tells how many alerts and
// notifications each route sent each receiver about each watch, for tuning.
package alerts
