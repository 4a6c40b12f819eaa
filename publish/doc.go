// Package publish writes and publishes the public story of an incident:
// the same update, once, to the status page and every social account.
//
// A Draft is written from the incident's data (title, services, start,
// what customers complain about since it started) with text/template
// templates, one per phase (investigating, identified, monitoring,
// resolved, postmortem) and kind of channel (statuspage: long; social:
// short), and fitted to each channel's length limit, counted the way the
// channel counts (graphemes for Bluesky and Mastodon, X's weighted
// characters for X), cut on a word with an ellipsis.
//
// A Channel sends one Message and returns what the channel answered: the
// remote ID and address. The channels live in subpackages (statuspage,
// mastodon, bluesky, x, slack) and register themselves by name; package
// publish/all imports them all. Each embeds an Endpoint (its name, base
// URL, length limit and HTTP client, from NewEndpoint) and resolves its
// credential with RequiredSecret. Later updates answer the first one: a
// Message carries the thread's root and parent on its channel.
//
// A Service ties it together: Publish sends one text to the chosen
// channels (a failing channel does not stop the others; its error is
// kept), or, when approval by a second person is on, keeps each
// publication pending until another person who runs incidents approves
// it. Every publication is stored (earshot.PublicationStore).
package publish
