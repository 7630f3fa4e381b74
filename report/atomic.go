package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
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
