package clipboard

import (
	"bytes"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"cam/internal/integration"
)

type buffer struct{ bytes.Buffer }

func (*buffer) Close() error { return nil }

func fake(inTmux bool) (Backend, *buffer, *[]string) {
	term := &buffer{}
	var tmux []string
	return Backend{
		Terminal: func() (io.WriteCloser, error) { return term, nil },
		InTmux:   func() bool { return inTmux },
		Tmux:     func(s string) error { tmux = append(tmux, s); return nil },
		System:   func(string) error { return errors.New("no clipboard tool") },
	}, term, &tmux
}

func TestOSC52Bytes(t *testing.T) {
	b, term, tmux := fake(false)
	msg := CopyWith(b, "auto", "100042\n104242", "Copied 2 user IDs")().(CopiedMsg)
	if msg.Err != nil || msg.Summary != "Copied 2 user IDs" {
		t.Fatalf("%+v", msg)
	}
	if got := term.String(); got != "\x1b]52;c;MTAwMDQyCjEwNDI0Mg==\a" {
		t.Errorf("terminal got %q", got)
	}
	if len(*tmux) != 0 {
		t.Error("tmux used outside tmux")
	}
}

func TestInsideTmuxAlsoLoadsTheBuffer(t *testing.T) {
	b, _, tmux := fake(true)
	msg := CopyWith(b, "osc52", "42", "Copied 1 user ID")().(CopiedMsg)
	if msg.Err != nil || strings.Join(msg.Via, ",") != "osc52,tmux" || (*tmux)[0] != "42" {
		t.Errorf("%+v %v", msg, *tmux)
	}
}

func TestModes(t *testing.T) {
	b, term, _ := fake(false)
	if msg := CopyWith(b, "off", "42", "x")().(CopiedMsg); msg.Err == nil || !strings.Contains(msg.Err.Error(), "app_settings.clipboard") {
		t.Errorf("off: %+v", msg)
	}
	if msg := CopyWith(b, "system", "42", "x")().(CopiedMsg); msg.Err == nil || term.Len() != 0 {
		t.Errorf("system without a tool: %+v, terminal %q", msg, term.String())
	}
	if msg := CopyWith(b, "auto", "", "x")().(CopiedMsg); msg.Err == nil {
		t.Error("empty text copied")
	}
}

// TestRealTmuxBuffer proves the text lands in a real tmux server's buffer.
func TestRealTmuxBuffer(t *testing.T) {
	integration.RequireTools(t, "apt-get install tmux", "tmux")
	socket := "cam-clip-" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	tmux := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command("tmux", append([]string{"-L", socket}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := tmux("", "new-session", "-d", "-x", "80", "-y", "24"); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	defer func() { _, _ = tmux("", "kill-server") }()
	b, _, _ := fake(true)
	b.Tmux = func(text string) error { _, err := tmux(text, "load-buffer", "-"); return err }
	if msg := CopyWith(b, "auto", "100042\n104242", "x")().(CopiedMsg); msg.Err != nil {
		t.Fatal(msg.Err)
	}
	got, err := tmux("", "show-buffer")
	if err != nil || got != "100042\n104242" {
		t.Errorf("tmux buffer %q, %v", got, err)
	}
}
