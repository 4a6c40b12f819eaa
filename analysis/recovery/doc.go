// Package recovery recommends a quiet period after an incident: how long
// promotional posts (launches, offers, cheerful campaigns) should wait so
// they do not land on customers still upset.
//
// The quiet period lasts while the incident is open, then until the
// negative share of what people post about the incident's watches is back
// near its usual level (the share in the days before the incident) and
// stays there, and the incident's open follow-ups have fallen under a
// threshold, and then a settling time more. Every recommendation carries
// the numbers it was made from.
package recovery
