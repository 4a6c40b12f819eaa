package storetest

import "time"

// intervalSpans are the intervals the window cases of spikes and gaps are
// written for, by index: a query keeps those that began before its end
// and had not ended by its start, an open one (zero end) going on for
// ever. 0 begins with 3 and sorts before it (by ID); 2 and 5 are open.
var intervalSpans = [6]struct{ start, end time.Time }{
	{Base, Base.Add(time.Minute)},
	{Base.Add(-2 * time.Hour), Base.Add(-time.Hour)},
	{Base.Add(-30 * time.Minute), time.Time{}},
	{Base, Base.Add(time.Hour)},
	{Base.Add(time.Hour), Base.Add(2 * time.Hour)},
	{Base.Add(3 * time.Hour), time.Time{}},
}

// intervalWindow is a query window and the indexes of intervalSpans it
// holds, in the order a store returns them (by start, then ID), written
// out by hand.
type intervalWindow struct {
	from, to time.Time
	want     []int
}

// intervalWindows cut the intervals of intervalSpans at each of their
// edges, to the millisecond.
func intervalWindows() []intervalWindow {
	ms := time.Millisecond
	return []intervalWindow{
		{Base.Add(-time.Hour), Base, []int{2}},                       // 1 ends at from, 3 begins at to
		{Base.Add(-time.Hour - ms), Base, []int{1, 2}},               // 1's last millisecond
		{Base.Add(-time.Hour), Base.Add(ms), []int{2, 0, 3}},         // 0 and 3's first millisecond
		{Base, Base.Add(time.Hour), []int{2, 0, 3}},                  // 4 begins at to
		{Base.Add(time.Minute), Base.Add(time.Hour), []int{2, 3}},    // 0 ends at from
		{Base, Base.Add(time.Hour + ms), []int{2, 0, 3, 4}},          // 4's first millisecond
		{Base.Add(time.Hour), Base.Add(2 * time.Hour), []int{2, 4}},  // 3 ends at from
		{Base.Add(2 * time.Hour), Base.Add(3 * time.Hour), []int{2}}, // between 4 and 5: only the open one
		{Base.Add(2 * time.Hour), Base.Add(3*time.Hour + ms), []int{2, 5}},
		{Base.Add(-3 * time.Hour), Base.Add(4 * time.Hour), []int{1, 2, 0, 3, 4, 5}},
		{Base.Add(-5 * time.Hour), Base.Add(-2 * time.Hour), nil}, // ends at 1's start
		{Base.Add(-5 * time.Hour), Base.Add(-2*time.Hour + ms), []int{1}},
		{Base.Add(-time.Hour + ms), Base.Add(-30 * time.Minute), nil},   // 2 begins at to
		{Base.Add(10 * day), Base.Add(11 * day), []int{2, 5}},           // open intervals go on
		{Base.Add(-40 * time.Minute), Base.Add(-35 * time.Minute), nil}, // before 2 began
	}
}

// pick returns the items at indexes, in their order; nil for none.
func pick[T any](items [6]T, indexes []int) []T {
	var out []T
	for _, i := range indexes {
		out = append(out, items[i])
	}
	return out
}
