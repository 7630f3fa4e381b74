package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Stamp identifies the content of a settings file, so a save can tell that
// another cam or an editor changed the file after cam loaded it. The zero
// Stamp is a missing (or empty) file.
type Stamp struct{ sum [sha256.Size]byte }

func stampOf(data []byte) Stamp {
	if len(data) == 0 {
		return Stamp{}
	}
	return Stamp{sha256.Sum256(data)}
}

// StampFile returns the stamp of the file at path as it is now; a missing
// file has the zero Stamp.
func StampFile(path string) (Stamp, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Stamp{}, err
	}
	return stampOf(data), nil
}

// ChangedOnDiskError is a save refused because the file changed on disk
// since cam loaded it; saving again with SaveOptions.Overwrite replaces it.
type ChangedOnDiskError struct{ Path string }

func (e *ChangedOnDiskError) Error() string {
	return fmt.Sprintf("%s changed on disk since cam loaded it (another cam or an editor); not saved", e.Path)
}

// resolveLinks follows path through any chain of symlinks to the file it
// names, which may not exist yet (a dangling link is saved through, as an
// editor would).
func resolveLinks(path string) (string, error) {
	cur := path
	for range 40 { // the kernel's own limit on link chains
		st, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return cur, nil
		}
		if err != nil {
			return "", fmt.Errorf("cannot save %s: %w", path, err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return cur, nil
		}
		link, err := os.Readlink(cur)
		if err != nil {
			return "", fmt.Errorf("cannot save %s: %w", path, err)
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(cur), link)
		}
		cur = link
	}
	return "", fmt.Errorf("cannot save %s: too many symbolic links", path)
}

// checkWritable refuses a target the analyst has marked read-only or may
// not write: replacing it by rename would succeed (the directory is
// writable) and silently defeat the protection.
func checkWritable(path, target string) error {
	st, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot save %s: %w", path, err)
	}
	name := path
	if target != path {
		name = fmt.Sprintf("%s (link to %s)", path, target)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("cannot save %s: not a regular file", name)
	}
	// The owner's write bit, checked even for root, who may write anything.
	if st.Mode().Perm()&0o200 == 0 || syscall.Access(target, 2 /* W_OK */) != nil {
		return fmt.Errorf("%s is read-only (mode %04o): not saved; make it writable (chmod u+w) to save from cam", name, st.Mode().Perm())
	}
	return nil
}

// settingsTempMarker sits between a configuration file's name and the
// random digits of WriteFileAtomic's temporary file.
const settingsTempMarker = ".tmp-"

// RemoveStaleTemps deletes temporary files that an interrupted save left
// in dir: only cam's own (.app_settings.yaml.tmp-123, .databases.yaml.tmp-123)
// last modified before olderThan ago, so a save in progress in another
// cam is left alone. It returns the files removed.
func RemoveStaleTemps(dir string, olderThan time.Duration, now time.Time) []string {
	var removed []string
	for _, base := range []string{SettingsFileName, DatabasesFileName} {
		matches, _ := filepath.Glob(filepath.Join(dir, "."+base+settingsTempMarker+"*"))
		for _, p := range matches {
			digits := strings.TrimPrefix(filepath.Base(p), "."+base+settingsTempMarker)
			if strings.Trim(digits, "0123456789") != "" || digits == "" {
				continue
			}
			st, err := os.Lstat(p)
			if err != nil || !st.Mode().IsRegular() || now.Sub(st.ModTime()) < olderThan {
				continue
			}
			if os.Remove(p) == nil {
				removed = append(removed, p)
			}
		}
	}
	return removed
}
