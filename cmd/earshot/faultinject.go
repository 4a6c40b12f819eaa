//go:build faultinject

package main

// Built only with -tags faultinject, for the fault tests
// (cmd/earshot/faulttest): with EARSHOT_FAULT_DIR set, a DuckDB store
// hangs while the file "freeze" exists in that directory and refuses
// while "refuse" does, on every call the pipeline and the collectors make
// (posts, hashes, cursors). Release builds do not contain it.

import (
	"os"

	"github.com/earshot/earshot/internal/app"
	"github.com/earshot/earshot/internal/faultinject"
)

func init() {
	if dir := os.Getenv("EARSHOT_FAULT_DIR"); dir != "" {
		app.OpenStore = faultinject.Wrap(app.OpenStore, dir)
	}
}
