package deliver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrNoChromium: format pdf needs a Chromium (or Chrome) on PATH.
var ErrNoChromium = errors.New("format pdf needs Chromium to print the digest: install it (Debian: apt-get install chromium) or pick format html or md")

// Chromium finds a Chromium or Chrome binary on PATH, "" when none is.
func Chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// ChromiumPDF prints html to PDF with headless Chromium (--print-to-pdf).
// The page loads nothing from elsewhere: the digest's charts are data: URLs.
func ChromiumPDF(ctx context.Context, html []byte) ([]byte, error) {
	bin := Chromium()
	if bin == "" {
		return nil, ErrNoChromium
	}
	dir, err := os.MkdirTemp("", "earshot-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "digest.html"), filepath.Join(dir, "digest.pdf")
	if err := os.WriteFile(in, html, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions",
		"--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer",
		"--print-to-pdf="+out, "file://"+in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: %v: %s", filepath.Base(bin), err, lastLine(msg))
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("%s wrote no PDF: %w", filepath.Base(bin), err)
	}
	return pdf, nil
}

func lastLine(b []byte) string {
	s := string(b)
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}
