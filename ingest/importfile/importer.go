package importfile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/badinput"
)

// Importer reads files into a pipeline, counting and reporting. Reading
// and parsing run in the caller's goroutine while a second one hands the
// batches to Add (scoring, storing), so the two overlap.
type Importer struct {
	// Add takes a batch of posts: the pipeline's Add. An error wrapping
	// earshot.ErrRejected names posts it refused; any other stops the
	// import.
	Add func(context.Context, ...earshot.Post) error
	// Stdin is what the file "-" reads.
	Stdin io.Reader
	// Stderr receives the rejected lines and, with Progress, a progress
	// line redrawn in place (for a terminal).
	Stderr   io.Writer
	Progress bool

	read     int64
	rejected int64
	batch    []earshot.Post
	lastDraw time.Time

	work   chan importBatch
	done   chan error
	failed atomic.Bool
	outMu  sync.Mutex // Stderr: progress and rejected lines
}

type importBatch struct {
	name  string
	posts []earshot.Post
}

// Read is how many records (non-blank lines) were read; Rejected how many
// of them were refused while reading.
func (im *Importer) Read() int64     { return im.read }
func (im *Importer) Rejected() int64 { return im.rejected }

// Import reads files ("-" is Stdin) in order and returns once every post
// read is in the pipeline (Add returned), or at the first error.
func (im *Importer) Import(ctx context.Context, files []string) error {
	im.start(ctx)
	for _, f := range files {
		if err := im.file(ctx, f); err != nil {
			im.finish()
			return err
		}
	}
	return im.finish()
}

func (im *Importer) start(ctx context.Context) {
	im.work = make(chan importBatch, 4)
	im.done = make(chan error, 1)
	go func() {
		var first error
		for b := range im.work {
			if first != nil {
				continue
			}
			err := im.Add(ctx, b.posts...)
			if err != nil && !errors.Is(err, earshot.ErrRejected) {
				first = fmt.Errorf("storing posts: %w", err)
				im.failed.Store(true)
				continue
			}
			if err != nil {
				im.reportRejected(b.name, err)
			}
		}
		im.done <- first
	}()
}

// reportRejected lists the posts the pipeline's own checks refused (an
// implausible time, say): the error names each post; the line is not
// known here.
func (im *Importer) reportRejected(name string, err error) {
	im.outMu.Lock()
	defer im.outMu.Unlock()
	im.ClearProgress()
	for _, line := range strings.Split(err.Error(), "\n") {
		if line != "" && !strings.HasPrefix(line, earshot.ErrRejected.Error()) {
			fmt.Fprintf(im.Stderr, "%s: rejected: %s\n", name, line)
		}
	}
}

// finish waits until every batch read is in the pipeline.
func (im *Importer) finish() error {
	close(im.work)
	return <-im.done
}

func (im *Importer) file(ctx context.Context, name string) error {
	var r io.Reader
	var size int64
	if name == "-" {
		r = im.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return badinput.Errorf("cannot read %s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		r = f
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	format, err := Format(name, br)
	if err != nil {
		return err
	}
	reject := func(line int, reason string) {
		im.read++
		im.rejected++
		im.outMu.Lock()
		im.ClearProgress()
		fmt.Fprintf(im.Stderr, "%s:%d: rejected: %s\n", name, line, reason)
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
		err = ReadJSONLines(br, add, reject)
	case "csv":
		err = ReadCSV(br, add, reject)
	}
	if err != nil {
		return err
	}
	return im.flush(ctx, name, cr.n, size)
}

// flush hands the posts read so far to the pipeline's goroutine and
// redraws progress.
func (im *Importer) flush(ctx context.Context, name string, done, size int64) error {
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
	if im.Progress && time.Since(im.lastDraw) > 100*time.Millisecond {
		im.lastDraw = time.Now()
		pct := ""
		if size > 0 {
			pct = fmt.Sprintf("%3d%% ", min(100, 100*done/size))
		}
		im.outMu.Lock()
		fmt.Fprintf(im.Stderr, "\r\x1b[Kimporting %s %s%d posts", filepath.Base(name), pct, im.read)
		im.outMu.Unlock()
	}
	return nil
}

// ClearProgress erases the progress line, if one is drawn.
func (im *Importer) ClearProgress() {
	if im.Progress {
		fmt.Fprint(im.Stderr, "\r\x1b[K")
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
