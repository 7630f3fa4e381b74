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
// app_settings.yaml at path. It edits the file's YAML tree in place, so other
// sections, unknown keys, comments and key order survive, and a value equal
// to what the file already means (e.g. /tmp/krb5cc_${UID}) is left as
// written. The write is atomic: a temp file in the same directory, fsync,
// rename; a new file gets mode 0600, an existing one keeps its mode.
func SaveSettings(path string, s Settings) error {
	dir := filepath.Dir(path)
	doc, mode, err := readDoc(path)
	if err != nil {
		return err
	}
	root := doc.Content[0]
	set := func(section, key string, value any, resolved func(string) string) {
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
	if old := mapValue(mapValue(root, "app_settings", true), "report_output_dir", false); old == nil ||
		asPath(old.Value) != s.App.ReportOutputDir {
		setValue(mapValue(root, "app_settings", true), "report_output_dir", rel(s.App.ReportOutputDir))
	}
	setValue(mapValue(root, "app_settings", true), "email_recipients", s.App.EmailRecipients)

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return WriteFileAtomic(path, buf.Bytes(), mode)
}

// readDoc parses path into a YAML document whose root is a mapping; a
// missing or empty file gives an empty mapping and mode 0600.
func readDoc(path string) (*yaml.Node, fs.FileMode, error) {
	mode := fs.FileMode(0o600)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("reading %s: %w", path, err)
	}
	if st, statErr := os.Stat(path); statErr == nil {
		mode = st.Mode().Perm()
	}
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, 0, fmt.Errorf("%s is not valid YAML, not overwriting it: %w", path, err)
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, 0, fmt.Errorf("%s does not hold a mapping of sections, not overwriting it", path)
	}
	return &doc, mode, nil
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
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
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
