package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SaveSettings writes the analyst-editable settings of s into the
// app_settings.yaml at path, whatever is on disk now; see SaveSettingsWith.
func SaveSettings(path string, s Settings) error {
	_, err := SaveSettingsWith(path, s, SaveOptions{})
	return err
}

// SaveOptions guard a save against overwriting someone else's edit.
type SaveOptions struct {
	// Loaded is the file as cam loaded it (Config.SettingsStamp); when the
	// file on disk differs, the save fails with ErrChangedOnDisk unless
	// Overwrite is set. Nil skips the check.
	Loaded *Stamp
	// Overwrite saves even over a file changed since it was loaded: the
	// analyst was asked and said yes.
	Overwrite bool
	// Skip names settings ("user_settings.sid") the save leaves as the
	// file has them: those an environment variable overrides
	// (Config.EnvOverrides), whose value is not the file's to hold.
	Skip map[string]string
}

// SaveSettingsWith writes the analyst-editable settings of s into the
// app_settings.yaml at path and returns the stamp of what it wrote. It
// edits the file's YAML tree in place, so other sections, unknown keys,
// comments and key order survive, and a value equal to what the file
// already means (e.g. /tmp/krb5cc_${UID}) is left as written.
//
// The write is atomic (a temp file, fsync, rename) and happens where the
// file really is: through a symlink, the link's target is replaced in the
// target's directory and the link stays a link, so a settings file shared
// through a link is updated for everyone. A new file gets mode 0600, an
// existing one keeps its mode; a file without write permission (0444) is
// refused rather than replaced. Relative paths in the settings still
// resolve against the directory of path, the configuration directory.
func SaveSettingsWith(path string, s Settings, opts SaveOptions) (Stamp, error) {
	dir := filepath.Dir(path)
	target, err := resolveLinks(path)
	if err != nil {
		return Stamp{}, err
	}
	if err := checkWritable(path, target); err != nil {
		return Stamp{}, err
	}
	data, mode, err := readSettingsFile(target)
	if err != nil {
		return Stamp{}, err
	}
	if now := stampOf(data); opts.Loaded != nil && now != *opts.Loaded && !opts.Overwrite {
		return Stamp{}, &ChangedOnDiskError{Path: path}
	}
	doc, err := parseDoc(path, data)
	if err != nil {
		return Stamp{}, err
	}
	root := doc.Content[0]
	set := func(section, key string, value any, resolved func(string) string) {
		if _, skip := opts.Skip[section+"."+key]; skip {
			return
		}
		sec := mapValue(root, section, true)
		if old := mapValue(sec, key, false); old != nil && resolved != nil && old.Kind == yaml.ScalarNode &&
			resolved(old.Value) == value {
			return
		}
		setValue(sec, key, value)
	}
	asPath := func(v string) string { return resolvePath(v, dir) }
	rel := func(p string) string { return relTo(dir, p) }

	set("user_settings", "sid", s.User.SID, nil)
	set("oracle_client", "krb5_conf", s.OracleClient.Krb5Conf, asPath)
	set("oracle_client", "krb5_cache", s.OracleClient.Krb5Cache, asPath)
	set("oracle_client", "trace_directory", s.OracleClient.TraceDirectory, asPath)
	_, skipReports := opts.Skip["app_settings.report_output_dir"]
	if old := mapValue(mapValue(root, "app_settings", true), "report_output_dir", false); !skipReports && (old == nil ||
		asPath(old.Value) != s.App.ReportOutputDir) {
		setValue(mapValue(root, "app_settings", true), "report_output_dir", rel(s.App.ReportOutputDir))
	}
	if _, skip := opts.Skip["app_settings.email_recipients"]; !skip {
		setValue(mapValue(root, "app_settings", true), "email_recipients", s.App.EmailRecipients)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return Stamp{}, fmt.Errorf("encoding %s: %w", path, err)
	}
	if err := WriteFileAtomic(target, buf.Bytes(), mode); err != nil {
		return Stamp{}, err
	}
	return stampOf(buf.Bytes()), nil
}

// readSettingsFile reads the settings file; a missing one reads as empty
// with mode 0600.
func readSettingsFile(path string) ([]byte, fs.FileMode, error) {
	mode := fs.FileMode(0o600)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("reading %s: %w", path, err)
	}
	if st, statErr := os.Stat(path); statErr == nil {
		mode = st.Mode().Perm()
	}
	return data, mode, nil
}

// parseDoc parses data into a YAML document whose root is a mapping; an
// empty file gives an empty mapping.
func parseDoc(path string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s is not valid YAML, not overwriting it: %w", path, err)
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s does not hold a mapping of sections, not overwriting it", path)
	}
	return &doc, nil
}

// mapValue returns the value node of key in mapping m, creating an empty
// mapping for it when create is set.
func mapValue(m *yaml.Node, key string, create bool) *yaml.Node {
	if m == nil {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if create && v.Kind != yaml.MappingNode {
				*v = yaml.Node{Kind: yaml.MappingNode}
			}
			return v
		}
	}
	if !create {
		return nil
	}
	v := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

// setValue sets key in mapping m to a string or a list of strings, keeping
// the key's comments.
func setValue(m *yaml.Node, key string, value any) {
	var n yaml.Node
	switch v := value.(type) {
	case string:
		n = yaml.Node{Kind: yaml.ScalarNode, Value: v}
		if v == "" || strings.ContainsAny(v, ":#{}[]&*!|>'\"%@`") {
			n.Style = yaml.DoubleQuotedStyle
		}
	case []string:
		n = yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, s := range v {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: s})
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			n.LineComment, n.HeadComment, n.FootComment = old.LineComment, old.HeadComment, old.FootComment
			*old = n
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &n)
}

// WriteFileAtomic writes data to path through a temp file in the same
// directory, fsynced and renamed over path, so a reader never sees a partial
// file and a failed write leaves the old file intact.
func WriteFileAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+settingsTempMarker+"*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // name the file the analyst knows, not our temp file
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	committed = true
	return nil
}
