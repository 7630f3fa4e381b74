package config

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodDatabases), []byte("user_settings:\n  sid: A12345\n"))
	f.Add([]byte("databases: 3"), []byte("detection: [1, 2]"))
	f.Add([]byte("databases:\n  - sql_queries: {a: 1}\n"), []byte("app_settings:\n  email_recipients: 5\n"))
	f.Fuzz(func(t *testing.T, databases, settings []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "databases.yaml"), databases, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "app_settings.yaml"), settings, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(dir)
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}
