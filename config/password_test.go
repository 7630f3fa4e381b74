package config

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordFromEnvReadsTheVariable(t *testing.T) {
	t.Setenv("CAM_TEST_PW", "s3cret-value")
	pw, err := PasswordFromEnv("audit", "CAM_TEST_PW")
	if err != nil || pw != "s3cret-value" {
		t.Fatalf("got %q, %v", pw, err)
	}
}

// An empty variable is as unusable as a missing one: a login with an
// empty password would only fail later, as a confusing server refusal.
func TestPasswordFromEnvRefusesUnsetAndEmptyVariables(t *testing.T) {
	t.Setenv("CAM_TEST_EMPTY_PW", "")
	for _, name := range []string{"CAM_TEST_EMPTY_PW", "CAM_TEST_NEVER_SET_PW"} {
		_, err := PasswordFromEnv("audit", name)
		var pe *PasswordEnvError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: err = %v, want a PasswordEnvError", name, err)
		}
		for _, want := range []string{`"audit"`, name, "password_env", "export"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: message %q lacks %q", name, err, want)
			}
		}
	}
}
