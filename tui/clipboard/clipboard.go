// Package clipboard copies text to the analyst's clipboard in a way that
// works over SSH: OSC 52 to the terminal, tmux's paste buffer inside tmux,
// and the local clipboard tool when there is one.
package clipboard

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/atotto/clipboard"
	tea "github.com/charmbracelet/bubbletea"
)

// CopiedMsg reports a copy: Summary ("Copied 12 user IDs") on success, or
// Err.
type CopiedMsg struct {
	Summary string
	Via     []string // osc52, tmux, system
	Err     error
	// What and Count say what was copied (user_ids, summary, mailto) and
	// how many items, for the audit trail, which never holds the values.
	What  string
	Count int
}

// osc52Limit is where many terminals start to truncate OSC 52 payloads.
const osc52Limit = 74 * 1024

// Backend holds the ways to reach a clipboard; tests replace them.
type Backend struct {
	Terminal func() (io.WriteCloser, error) // the controlling terminal
	InTmux   func() bool
	Tmux     func(text string) error // tmux load-buffer
	System   func(text string) error // atotto/clipboard
}

// Default reaches the real terminal, tmux and system clipboard.
func Default() Backend {
	return Backend{
		Terminal: func() (io.WriteCloser, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) },
		InTmux:   func() bool { return os.Getenv("TMUX") != "" },
		Tmux:     tmuxLoadBuffer,
		System: func(text string) error {
			if clipboard.Unsupported {
				return errors.New("no clipboard tool")
			}
			return clipboard.WriteAll(text)
		},
	}
}

// tmuxLoadBuffer hands text to tmux; -w also forwards it to the outer
// terminal's clipboard. Older tmux lacks -w, so retry without it.
func tmuxLoadBuffer(text string) error {
	run := func(args ...string) error {
		cmd := exec.CommandContext(context.Background(), "tmux", args...)
		cmd.Stdin = strings.NewReader(text)
		return cmd.Run()
	}
	if err := run("load-buffer", "-w", "-"); err != nil {
		return run("load-buffer", "-")
	}
	return nil
}

// OSC52 is the escape sequence that sets the terminal's clipboard.
func OSC52(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
}

// CopyCounted returns a command that copies text according to mode
// (auto, osc52, system, off) and reports summary with count items of one
// kind (see CopiedMsg.What), which the session records.
func CopyCounted(mode, text, summary, what string, count int) tea.Cmd {
	b := Default()
	return func() tea.Msg {
		msg := b.copy(mode, text, summary)
		msg.What, msg.Count = what, count
		return msg
	}
}

// CopyWith copies over a given backend (tests use a fake one).
func CopyWith(b Backend, mode, text, summary string) tea.Cmd {
	return func() tea.Msg { return b.copy(mode, text, summary) }
}

func (b Backend) copy(mode, text, summary string) CopiedMsg {
	if text == "" {
		return CopiedMsg{Err: errors.New("nothing to copy")}
	}
	var via []string
	var errs []error
	useTerminal := mode == "auto" || mode == "osc52" || mode == ""
	useSystem := mode == "auto" || mode == "system" || mode == ""
	switch mode {
	case "off":
		return CopiedMsg{Err: errors.New("clipboard is off (app_settings.clipboard)")}
	case "", "auto", "osc52", "system":
	default:
		return CopiedMsg{Err: fmt.Errorf("unknown clipboard mode %q", mode)}
	}
	if useTerminal {
		seq := OSC52(text)
		if w, err := b.Terminal(); err == nil {
			_, err = io.WriteString(w, seq) // one write, so it cannot interleave with a frame
			w.Close()
			if err == nil {
				via = append(via, "osc52")
			} else {
				errs = append(errs, err)
			}
		} else {
			errs = append(errs, err)
		}
		// tmux drops OSC 52 from programs unless allow-passthrough is on:
		// give the text to tmux itself too.
		if b.InTmux() {
			if err := b.Tmux(text); err == nil {
				via = append(via, "tmux")
			} else {
				errs = append(errs, fmt.Errorf("tmux: %w", err))
			}
		}
		if len(seq) > osc52Limit {
			summary += " (large: your terminal may truncate it)"
		}
	}
	if useSystem {
		if err := b.System(text); err == nil {
			via = append(via, "system")
		} else if mode == "system" {
			errs = append(errs, err)
		}
	}
	if len(via) == 0 {
		return CopiedMsg{Err: fmt.Errorf("could not copy: %w", errors.Join(errs...))}
	}
	return CopiedMsg{Summary: summary, Via: via}
}
