package appstore

import "github.com/earshot/earshot/collectors"

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"app":"1500000001","countries":{
//	  "us":{"newest":1748862000,"ids":["11900000001"]},
//	  "gb":{"newest":1748790000,"ids":["11900000017"]}}}
type state struct {
	V int `json:"v"`
	// App is the app the cursor was made for: a cursor of another app is
	// ignored.
	App       string                   `json:"app"`
	Countries map[string]*countryState `json:"countries"`
}

// countryState is one country's position: the newest update time
// collected (Unix seconds) and the reviews collected at that second.
type countryState struct {
	Newest int64    `json:"newest"`
	IDs    []string `json:"ids,omitempty"`
}

func parseCursor(s, app string) (state, error) {
	return collectors.DecodeCursorFor(s, cursorVersion, "app", app, func(st state) string { return st.App })
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
