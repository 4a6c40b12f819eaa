package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/ingest"
)

// importSummary is what import prints at the end; with --json exactly
// these four fields. Read counts every record (non-blank line) read:
// stored + duplicates + rejected, plus any that matched no watch when the
// configuration drops those.
type importSummary struct {
	Read       int64 `json:"read"`
	Stored     int64 `json:"stored"`
	Duplicates int64 `json:"duplicates"`
	Rejected   int64 `json:"rejected"`
}

func runImport(ctx context.Context, args []string, e env) error {
	fs := newFlags("import", e.stderr)
	cfgPath := fs.String("config", "", "configuration file: its store and watches are used")
	storeDSN := fs.String("store", "", "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)")
	asJSON := fs.Bool("json", false, `print the summary as one JSON object {"read":N,"stored":N,"duplicates":N,"rejected":N}`)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, `Usage: earshot import [flags] FILE...

Imports posts from JSON lines (.jsonl, .ndjson, .json) or CSV (.csv) files;
"-" reads standard input (the format is told from the first line). Each post
needs id, source, text and created_at (RFC 3339); kind, url, lang, parent_id
and the author (id, handle, name, followers; author_id, author_handle, ...
as CSV columns) are optional. Posts go through the same pipeline as collected
ones: normalize, dedupe, match watches, score, store. A post already stored
unchanged counts as a duplicate, so importing a file twice stores nothing new.

Exit status: 0 when the valid lines were stored (rejected lines are listed on
stderr with their line numbers), 2 for unusable input, 1 when the store fails.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flagErrHelp) {
			return nil
		}
		return usageError{err}
	}
	files := fs.Args()
	if len(files) == 0 {
		return usagef("name at least one file to import (or - for standard input)")
	}
	for _, f := range files {
		if f == "-" {
			continue
		}
		if _, err := importFormat(f, nil); err != nil {
			return usageError{err}
		}
		if _, err := os.Stat(f); err != nil {
			return usagef("cannot read %s: %v", f, errors.Unwrap(err))
		}
	}
	cfg, err := loadConfig(*cfgPath, *storeDSN, e)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	scorer, err := newScorer(cfg, nil)
	if err != nil {
		return err
	}
	// Big batches: each costs the store a transaction and a look-up of
	// the stored hashes (a scan in DuckDB). Overlap scores a batch while
	// the one before is stored.
	pipe := ingest.NewPipeline(st, scorer, cfg.Watches, ingest.PipelineOptions{
		BatchSize:     importBatchSize,
		MaxTextBytes:  cfg.Pipeline.MaxTextBytes,
		DropUnmatched: cfg.Pipeline.Unmatched == "drop",
		DedupeWindow:  1 << 20,
		Overlap:       true,
	})
	defer pipe.Wait() // no save under way when the store closes
	if e.getenv("GOGC") == "" {
		// A bulk load allocates fast while holding little: collecting
		// half as often saves about 5% of its time, for more memory.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	imp := &importer{pipe: pipe, e: e, progress: isTerminal(e.stderr)}
	start := time.Now()
	imp.start(ctx)
	for _, f := range files {
		if err := imp.file(ctx, f); err != nil {
			imp.finish()
			return err
		}
	}
	if err := imp.finish(); err != nil {
		return err
	}
	if err := pipe.Flush(ctx); err != nil {
		return fmt.Errorf("storing posts: %w", err)
	}
	imp.clearProgress()
	s := pipe.Stats()
	sum := importSummary{Read: imp.read, Stored: s.Stored, Duplicates: s.Duplicates, Rejected: imp.rejected + s.Rejected}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(sum)
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "read %d, stored %d, duplicates %d, rejected %d", sum.Read, sum.Stored, sum.Duplicates, sum.Rejected)
	if s.Unmatched > 0 {
		fmt.Fprintf(e.stdout, ", matched no watch %d", s.Unmatched)
	}
	fmt.Fprintf(e.stdout, " in %.1fs (%.0f posts/s)\n", secs, float64(sum.Read)/max(secs, 1e-9))
	return nil
}

// importBatchSize is how many posts import scores and stores at once.
const importBatchSize = 20_000

// importer reads files into a pipeline, counting and reporting. Reading
// and parsing run in the caller's goroutine while a second one hands the
// batches to the pipeline (scoring, storing), so the two overlap.
type importer struct {
	pipe     *ingest.Pipeline
	e        env
	progress bool
	read     int64
	rejected int64
	batch    []earshot.Post
	lastDraw time.Time

	work   chan importBatch
	done   chan error
	failed atomic.Bool
	outMu  sync.Mutex // stderr: progress and rejected lines
}

type importBatch struct {
	name  string
	posts []earshot.Post
}

func (im *importer) start(ctx context.Context) {
	im.work = make(chan importBatch, 4)
	im.done = make(chan error, 1)
	go func() {
		var first error
		for b := range im.work {
			if first != nil {
				continue
			}
			err := im.pipe.Add(ctx, b.posts...)
			if err != nil && !errors.Is(err, earshot.ErrRejected) {
				first = fmt.Errorf("storing posts: %w", err)
				im.failed.Store(true)
				continue
			}
			if err != nil {
				// The pipeline's own checks (an implausible time, say) name
				// the post; the line is not known here.
				im.outMu.Lock()
				im.clearProgress()
				for _, line := range strings.Split(err.Error(), "\n") {
					if line != "" && !strings.HasPrefix(line, earshot.ErrRejected.Error()) {
						fmt.Fprintf(im.e.stderr, "%s: rejected: %s\n", b.name, line)
					}
				}
				im.outMu.Unlock()
			}
		}
		im.done <- first
	}()
}

// finish waits until every batch read is in the pipeline.
func (im *importer) finish() error {
	close(im.work)
	return <-im.done
}

func (im *importer) file(ctx context.Context, name string) error {
	var r io.Reader
	var size int64
	if name == "-" {
		r = im.e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return usagef("cannot read %s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		r = f
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	format, err := importFormat(name, br)
	if err != nil {
		return usageError{err}
	}
	reject := func(line int, reason string) {
		im.read++
		im.rejected++
		im.outMu.Lock()
		im.clearProgress()
		fmt.Fprintf(im.e.stderr, "%s:%d: rejected: %s\n", name, line, reason)
		im.outMu.Unlock()
	}
	add := func(p earshot.Post) error {
		im.batch = append(im.batch, p)
		if len(im.batch) < 1000 {
			return nil
		}
		return im.flush(ctx, name, cr.n, size)
	}
	switch format {
	case "jsonl":
		err = readJSONLines(br, add, reject)
	case "csv":
		err = readCSV(br, add, reject)
	}
	if err != nil {
		return err
	}
	return im.flush(ctx, name, cr.n, size)
}

// flush hands the posts read so far to the pipeline's goroutine and
// redraws progress.
func (im *importer) flush(ctx context.Context, name string, done, size int64) error {
	if im.failed.Load() {
		return nil // finish reports the store's error
	}
	im.read += int64(len(im.batch))
	select {
	case im.work <- importBatch{name, im.batch}:
	case <-ctx.Done():
		return ctx.Err()
	}
	im.batch = make([]earshot.Post, 0, cap(im.batch))
	if im.progress && time.Since(im.lastDraw) > 100*time.Millisecond {
		im.lastDraw = time.Now()
		pct := ""
		if size > 0 {
			pct = fmt.Sprintf("%3d%% ", min(100, 100*done/size))
		}
		im.outMu.Lock()
		fmt.Fprintf(im.e.stderr, "\r\x1b[Kimporting %s %s%d posts", filepath.Base(name), pct, im.read)
		im.outMu.Unlock()
	}
	return nil
}

func (im *importer) clearProgress() {
	if im.progress {
		fmt.Fprint(im.e.stderr, "\r\x1b[K")
	}
}

// importFormat tells a file's format from its name, or for "-" from the
// first byte of br.
func importFormat(name string, br *bufio.Reader) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	case ".csv":
		return "csv", nil
	}
	if name != "-" {
		return "", fmt.Errorf("%s: unknown format; name it .jsonl or .csv", name)
	}
	if br == nil {
		return "jsonl", nil
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return "jsonl", nil // empty input: nothing to read either way
		}
		switch {
		case b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t':
			br.ReadByte()
			continue
		case b[0] == '{':
			return "jsonl", nil
		default:
			return "csv", nil
		}
	}
}

func readJSONLines(br *bufio.Reader, add func(earshot.Post) error, reject func(int, string)) error {
	line := 0
	for {
		raw, tooLong, err := readLine(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		line++
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		if tooLong {
			reject(line, fmt.Sprintf("line longer than %d bytes", maxAnalyzeLine))
			continue
		}
		if !utf8.Valid(raw) {
			reject(line, "invalid UTF-8")
			continue
		}
		var rec earshot.PostRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			reject(line, "not a JSON object: "+err.Error())
			continue
		}
		p, err := rec.Post()
		if err != nil {
			reject(line, err.Error())
			continue
		}
		if err := add(p); err != nil {
			return err
		}
	}
}

func readCSV(br *bufio.Reader, add func(earshot.Post) error, reject func(int, string)) error {
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return usagef("reading the CSV header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"id", "source", "text", "created_at"} {
		if _, ok := col[need]; !ok {
			return usagef("the CSV header has no %q column (it needs id, source, text, created_at)", need)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			reject(perr.Line, perr.Err.Error())
			continue
		}
		if err != nil {
			return fmt.Errorf("reading: %w", err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		bad := false
		for _, f := range rec {
			if !utf8.ValidString(f) {
				bad = true
			}
		}
		if bad {
			reject(line, "invalid UTF-8")
			continue
		}
		var ir earshot.PostRecord
		ir.ID, ir.Source, ir.CreatedAt = get("id"), get("source"), get("created_at")
		if i, ok := col["text"]; ok && i < len(rec) {
			t := rec[i]
			ir.Text = &t
		}
		ir.Kind, ir.URL, ir.Lang, ir.ParentID = get("kind"), get("url"), get("lang"), get("parent_id")
		ir.Author.ID, ir.Author.Handle, ir.Author.Name = get("author_id"), get("author_handle"), get("author_name")
		if f := get("author_followers"); f != "" {
			n, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				reject(line, fmt.Sprintf("author_followers %q is not a whole number", f))
				continue
			}
			ir.Author.Followers = n
		}
		p, err := ir.Post()
		if err != nil {
			reject(line, err.Error())
			continue
		}
		if err := add(p); err != nil {
			return err
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// isTerminal reports whether w is a terminal, for progress bars.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
