// Package deliver sends scheduled digests: each configured digest has a
// cron schedule, a period, the watches it covers, a format and its
// recipients by email and Slack. Scheduler fires them on time (on an
// injected clock), Sender builds, renders and sends one with retries and
// keeps what it sent in an earshot.DigestStore for /digests.
//
// From the configuration: ResolvedJobs validates the digests and resolves
// their secrets, Named finds one by name (`earshot digest send --now`),
// NewSender sends from any store (keeping digests and delivery attempts
// when it can), NewScheduler fires the jobs on the wall clock and Routes
// serves /digests.
package deliver
