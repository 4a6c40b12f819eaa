package main

import (
	"context"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/app"
)

// openStore opens the store a DSN names (app.OpenStore, which the fault
// tests wrap).
func openStore(ctx context.Context, dsn string) (earshot.Store, error) {
	return app.OpenStore(ctx, dsn)
}
