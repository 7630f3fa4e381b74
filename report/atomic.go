package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// errExists reports that a target name was taken between choosing it and
// publishing the file.
var errExists = errors.New("file already exists")

// writeAtomic writes a new file at path through fill, 0600, never
// replacing an existing file and never leaving a partial one: the data goes
// to a temporary file in the same directory, is synced, and is then
// hard-linked to path, which fails if path exists (a rename would
// overwrite). The temporary file is removed whatever happens.
func writeAtomic(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempMarker+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriter(tmp)
	if err := fill(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write %s: %w", path, errExists)
		}
		// No hard links here (some network or FAT volumes): rename,
		// after checking the name is still free.
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("write %s: %w", path, errExists)
		}
		if rerr := os.Rename(tmp.Name(), path); rerr != nil {
			return fmt.Errorf("write %s: %w", path, rerr)
		}
	}
	return nil
}

// tempMarker sits between a report's name and the random digits of its
// temporary file: .client_activity_20261122_140307.xlsx.tmp123456.
const tempMarker = ".tmp"

// IsStaleTemp reports whether name is a temporary file of cam's own
// export (a dot, a report name, tempMarker and digits).
func IsStaleTemp(name string) bool {
	if !strings.HasPrefix(name, "."+FilePrefix) {
		return false
	}
	i := strings.LastIndex(name, tempMarker)
	if i < 0 || i+len(tempMarker) == len(name) {
		return false
	}
	digits := name[i+len(tempMarker):]
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RemoveStaleTemps deletes the temporary files that interrupted exports
// (a kill -9, a crash, a power cut) left in dir: only cam's own, by name,
// and only those last modified before olderThan ago, so an export another
// cam is writing right now is left alone. It returns the files removed;
// a missing dir is not an error.
func RemoveStaleTemps(dir string, olderThan time.Duration, now time.Time) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report directory %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsStaleTemp(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < olderThan {
			continue
		}
		p := filepath.Join(dir, e.Name())
		// Another cam may clean the same directory at the same moment.
		if err := os.Remove(p); err == nil {
			removed = append(removed, p)
		}
	}
	return removed, nil
}
