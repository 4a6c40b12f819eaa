package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/earshot/earshot"
)

// Posts returns ps as an earshot.PostLister: ps itself when it is one,
// else an approximation through PostStore.TopNegative, for stores that do
// not list posts yet. The approximation returns every scored post of a
// window that holds at most q.Limit posts, newest first, as Posts would;
// of a larger window it returns the q.Limit most negative scored posts
// (newest first), which over-weighs negative posts in the evidence a link
// reads. Unscored posts are never returned by it.
func Posts(ps earshot.PostStore) earshot.PostLister {
	if pl, ok := ps.(earshot.PostLister); ok {
		return pl
	}
	return topNegativeLister{ps}
}

type topNegativeLister struct{ ps earshot.PostStore }

func (l topNegativeLister) Posts(ctx context.Context, q earshot.PostQuery) ([]earshot.Post, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	posts, err := l.ps.TopNegative(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing posts: %w", err)
	}
	slices.SortFunc(posts, func(a, b earshot.Post) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return posts, nil
}
