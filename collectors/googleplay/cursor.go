package googleplay

import "github.com/earshot/earshot/collectors"

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"package":"com.acme.cloud","newest":1748862000,"ids":["gp:AOqpTOH1"]}
//
// Newest is the latest modification (Unix seconds) of any review or
// developer answer collected, IDs the reviews whose latest modification
// is that second.
type state struct {
	V       int      `json:"v"`
	Package string   `json:"package"`
	Newest  int64    `json:"newest"`
	IDs     []string `json:"ids,omitempty"`
}

func parseCursor(s, pkg string) (state, error) {
	return collectors.DecodeCursorFor(s, cursorVersion, "app", pkg, func(st state) string { return st.Package })
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
