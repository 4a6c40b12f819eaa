package earshot

// The rules every Store applies when it saves, whatever keeps the data.

// LatestVersions settles the versions of each post within one SavePosts
// call: the latest collected, of equally recent ones the later in posts.
// First appearances keep their order.
func LatestVersions(posts []Post) []Post {
	at := make(map[string]int, len(posts))
	out := make([]Post, 0, len(posts))
	for _, p := range posts {
		i, ok := at[p.ID]
		switch {
		case !ok:
			at[p.ID] = len(out)
			out = append(out, p)
		case !p.CollectedAt.Before(out[i].CollectedAt):
			out[i] = p
		}
	}
	return out
}

// KeepLink is the version stored when p, the winner of one SavePosts
// call, replaces old: p whole, except that a post collected again without
// an incident keeps the one it was linked to (a link is an annotation of
// the post, not part of what a collector sees).
func KeepLink(p, old Post) Post {
	if p.IncidentID == "" {
		p.IncidentID = old.IncidentID
	}
	return p
}

// Stars is a post's rating as stores keep it: 1 to 5, and 0 (none) for
// anything else, which a one-byte column might not hold.
func Stars(rating int) uint8 {
	if rating < 1 || rating > 5 {
		return 0
	}
	return uint8(rating)
}
