package oratest

import (
	"errors"
	"reflect"
	"testing"
)

func TestTranslation(t *testing.T) {
	for _, tc := range []struct {
		name, in, sqlite string
		params           []string
	}{
		{"DATE cast and bind", "SELECT a FROM t WHERE d >= CAST(:start_date AS DATE)", "SELECT a FROM t WHERE d >= ?1", []string{"start_date"}},
		{"FROM DUAL", "SELECT 1 FROM DUAL", "SELECT 1", nil},
		{"bind in a comment or string stays", "SELECT ':x' -- :y\nFROM t WHERE a = :a", "SELECT ':x' -- :y\nFROM t WHERE a = ?1", []string{"a"}},
		{"repeated name", "SELECT 1 FROM t WHERE a > :d AND b > :d", "SELECT 1 FROM t WHERE a > ?1 AND b > ?2", []string{"d", "d"}},
		{"trailing semicolon", "SELECT 1 FROM t;", "SELECT 1 FROM t", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := translate(tc.in)
			if got.sqlite != tc.sqlite || !reflect.DeepEqual(got.params, tc.params) || got.noop {
				t.Errorf("translate(%q) = %q %v, want %q %v", tc.in, got.sqlite, got.params, tc.sqlite, tc.params)
			}
		})
	}
	if !translate("alter session set current_schema = X").noop {
		t.Error("ALTER SESSION should succeed without running")
	}
}

func TestBindsAreMatchedByPositionOrByName(t *testing.T) {
	tr := translate("SELECT 1 FROM t WHERE a > :d AND b = :e AND c > :d")
	if got, err := tr.arguments([]any{1, 2, 3}); err != nil || !reflect.DeepEqual(got, []any{1, 2, 3}) {
		t.Errorf("one value per placeholder: %v, %v", got, err)
	}
	if got, err := tr.arguments([]any{1, 2}); err != nil || !reflect.DeepEqual(got, []any{1, 2, 1}) {
		t.Errorf("one value per name: %v, %v", got, err)
	}
	var oe *oraError
	if _, err := tr.arguments([]any{1}); !errors.As(err, &oe) || oe.code != oraNotAllBound {
		t.Errorf("too few values: %v, want ORA-01008", err)
	}
}
