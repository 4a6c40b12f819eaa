package earshot

import "strconv"

// ContentHash summarizes the parts of a normalized post that make a new
// version worth storing: text, URL, author, kind, language, parent,
// incident and creation time. Stores keep it (see PostHashStore).
func ContentHash(p Post) uint64 {
	// FNV-1a, 64 bits, over each string and a zero byte, then
	// "followers|created ns|rating|brand": as hash/fnv with fmt.Fprintf
	// would write it, without their allocations.
	h := uint64(fnvOffset64)
	for _, s := range [...]string{p.Text, p.URL, p.Author.ID, p.Author.Handle, p.Author.Name, string(p.Kind), p.Lang, p.IncidentID, p.ParentID, p.AppVersion} {
		h = fnvString(h, s)
		h = (h ^ 0) * fnvPrime64
	}
	var buf [80]byte
	b := strconv.AppendInt(buf[:0], p.Author.Followers, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, p.CreatedAt.UnixNano(), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(p.Rating), 10)
	b = append(b, '|')
	b = strconv.AppendBool(b, p.FromBrand)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime64
	}
	return h
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime64
	}
	return h
}
