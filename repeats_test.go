package earshot

import "testing"

func TestDistinctTexts(t *testing.T) {
	posts := []Post{
		{ID: "1", Text: "The app is DOWN again!"},
		{ID: "2", Text: "RT @acme: the app is down again https://t.co/x"},
		{ID: "3", Text: "love the new release"},
		{ID: "4", Text: "checkout fails"},
		{ID: "5", Text: "Checkout fails."},
		{ID: "6", Text: "the app is down, again"},
	}
	got := DistinctTexts(posts, 2)
	if len(got) != 2 || got[0].Post.ID != "1" || got[1].Post.ID != "3" {
		t.Fatalf("kept %+v, want posts 1 and 3", got)
	}
	if got[0].Repeats != 2 || got[1].Repeats != 0 {
		t.Errorf("repeats %d, %d; want 2 (posts 2 and 6), 0 (4 and 5 are not kept)", got[0].Repeats, got[1].Repeats)
	}
	if DistinctTexts(nil, 3) != nil {
		t.Error("no posts should give nil")
	}
	if k := TextKey("@acme Hello, WORLD! http://x.y"); k != "hello world " {
		t.Errorf("TextKey = %q", k)
	}
}
