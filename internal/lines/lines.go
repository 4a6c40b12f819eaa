package lines

import (
	"bufio"
	"bytes"
	"io"
)

// MaxBytes is the longest line Read returns; a longer one is reported as
// too long.
const MaxBytes = 1 << 20

// Read reads one line without its newline. A line longer than MaxBytes
// is consumed and reported as too long. At the end of the input it
// returns io.EOF.
func Read(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) <= MaxBytes+1 {
			buf = append(buf, chunk...)
		} else {
			tooLong = true
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return bytes.TrimRight(buf, "\r\n"), tooLong, nil
		case nil:
			return bytes.TrimRight(buf, "\r\n"), tooLong, nil
		default:
			return nil, false, err
		}
	}
}
