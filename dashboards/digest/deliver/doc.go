// Package deliver sends scheduled digests: each configured digest has a
// cron schedule, a period, the watches it covers, a format and its
// recipients by email and Slack. Scheduler fires them on time (on an
// injected clock), Sender builds, renders and sends one with retries and
// keeps what it sent in an earshot.DigestStore for /digests.
package deliver
