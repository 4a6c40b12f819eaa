package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/model"
)

// testSeriesEraseRepeated: a post erased and then collected again exactly
// as before counts again, each time, however often it goes round: a store
// that keeps counts apart from its posts must not take the second, equal
// write of the same counts for a duplicate of the first (a replicated
// ClickHouse table drops an insert equal to one it had).
func testSeriesEraseRepeated(t *testing.T, st earshot.Store) {
	ctx := t.Context()
	p := NewPost("twitter", "again", Base.Add(10*time.Second)).Author("gone", 5).Watches("acme").Score(-0.6).Post()
	other := NewPost("twitter", "stays", Base.Add(20*time.Second)).Watches("acme").Score(0.4).Post()
	save(t, st, other)
	for _, q := range []earshot.SeriesQuery{
		{From: Base.Add(-time.Hour), To: Base.Add(time.Hour), Bucket: time.Hour},
		{From: Base.Add(-time.Hour), To: Base.Add(time.Hour), Bucket: time.Minute, GroupBy: earshot.GroupWatch},
	} {
		for round := range 3 {
			save(t, st, p)
			step := fmt.Sprintf("round %d, saved: Series(%s)", round+1, describeSeries(q))
			checkBuckets(t, step, series(t, st, q), model.Series([]earshot.Post{p, other}, q))
			if _, err := st.EraseAuthor(ctx, p.Source, p.Author.ID); err != nil {
				t.Fatalf("EraseAuthor: %v", err)
			}
			step = fmt.Sprintf("round %d, erased: Series(%s)", round+1, describeSeries(q))
			checkBuckets(t, step, series(t, st, q), model.Series([]earshot.Post{other}, q))
		}
	}
}
