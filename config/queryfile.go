package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// readQueryFile reads a query file: a regular file of at most
// MaxQueryFileSize bytes. Anything else is refused before it is read, so
// /dev/zero cannot exhaust memory and a FIFO cannot hang the load. Errors
// never quote the file's content or the resolved path (it may hold an
// expanded environment value); the caller names the file as written.
func readQueryFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", statError(err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("is not a regular file (%s)", fileKind(st.Mode()))
	}
	// O_NONBLOCK: should the path become a FIFO after the check above,
	// opening it still returns at once.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", statError(err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		return "", errors.New("is not a regular file")
	}
	text, err := io.ReadAll(io.LimitReader(f, MaxQueryFileSize+1))
	if err != nil {
		return "", errors.New("cannot be read")
	}
	if len(text) > MaxQueryFileSize {
		return "", fmt.Errorf("is larger than %d KiB; a query file holds one statement", MaxQueryFileSize>>10)
	}
	return string(text), nil
}

func statError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("does not exist")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("cannot be read: permission denied")
	}
	return errors.New("cannot be read")
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}
