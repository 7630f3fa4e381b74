package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cam/demo"
)

// detailOf finds the user of the results' detail view.
var detailOf = regexp.MustCompile(`Other alerts for (\S+):`)

// TestDemoInTmux drives the real binary as an analyst would: start `cam
// demo` in tmux, press r, and read the planted takeovers off the screen.
func TestDemoInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildCamForTmux(t, dir)
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTmux(t, fmt.Sprintf("e2e-%d", size[0]))
			tmux := tm.run
			env := fmt.Sprintf("env XDG_CACHE_HOME=%s XDG_STATE_HOME=%s XDG_CONFIG_HOME=%s TERM=xterm-256color", filepath.Join(dir, "cache"), filepath.Join(dir, "state", fmt.Sprint(size[0])), filepath.Join(dir, "config"))
			tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]), env+" "+bin+" demo")
			waitFor := tm.waitFor
			waitFor("Press r to run", 60*time.Second)
			tmux("send-keys", "-t", "e2e", "r")
			s := waitFor("suspicious ·", 90*time.Second)
			for _, line := range strings.Split(s, "\n") {
				if len([]rune(line)) > size[0] {
					t.Errorf("line wider than the terminal: %q", line)
				}
			}
			for _, id := range demo.PlantedCases().Takeovers {
				if !strings.Contains(s, id) {
					t.Errorf("planted takeover %s not on screen:\n%s", id, s)
				}
			}
			for _, id := range demo.PlantedCases().TakeoverNearMisses {
				if strings.Contains(s, id) {
					t.Errorf("near miss %s on screen", id)
				}
			}
			// Keys that arrive in one read are that many presses (#20):
			// "jjjj" in one write selects the row four single j presses
			// select, not the first row.
			key := func(keys ...string) {
				tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
				time.Sleep(150 * time.Millisecond)
			}
			detailUser := func() string {
				m := detailOf.FindStringSubmatch(waitFor("Other alerts for ", 10*time.Second))
				key("Escape")
				return m[1]
			}
			key("Enter")
			top := detailUser()
			key("-l", "jjjj")
			key("Enter")
			oneWrite := detailUser()
			key("g")
			for i := 0; i < 4; i++ {
				key("j")
			}
			key("Enter")
			fourPresses := detailUser()
			if oneWrite != fourPresses || oneWrite == top {
				t.Errorf("jjjj in one write selects %s, four presses select %s (top row %s)", oneWrite, fourPresses, top)
			}
			key("g")
			// Filter to one user and open its detail view.
			id := demo.PlantedCases().Takeovers[0]
			tmux("send-keys", "-t", "e2e", "/")
			time.Sleep(300 * time.Millisecond)
			tmux("send-keys", "-t", "e2e", id, "Enter")
			time.Sleep(300 * time.Millisecond)
			tmux("send-keys", "-t", "e2e", "Enter")
			s = waitFor("Other alerts for "+id, 10*time.Second)
			for _, want := range []string{"password", "email", "phone", "token"} {
				if !strings.Contains(s, want) {
					t.Errorf("detail lacks %s:\n%s", want, s)
				}
			}
			// Hand it off: export the filtered view, copy the summary.
			tmux("send-keys", "-t", "e2e", "Escape")
			time.Sleep(300 * time.Millisecond)
			tmux("send-keys", "-t", "e2e", "e")
			waitFor("Exported 1 of 10 alerts, filter: 100042", 10*time.Second)
			tmux("send-keys", "-t", "e2e", "o")
			waitFor("Copied summary of 1 of 10 alerts", 10*time.Second)
			tmux("send-keys", "-t", "e2e", "q")
			workbooks, _ := filepath.Glob(filepath.Join(dir, "cache", "cam", "demo", "*", "reports", "client_activity_*.xlsx"))
			if len(workbooks) == 0 {
				t.Error("e wrote no workbook into the demo's report directory")
			}
			trails, _ := filepath.Glob(filepath.Join(dir, "cache", "cam", "demo", "*", "logs", "audit.jsonl"))
			if len(trails) != 1 {
				t.Fatalf("audit trails: %v", trails)
			}
			// The trail is written off the UI goroutine: give it until cam
			// has exited to catch up.
			deadline := time.Now().Add(10 * time.Second)
			for _, action := range []string{`"run_finished"`, `"export"`, `"summary_copy"`} {
				trail, _ := os.ReadFile(trails[0])
				for !strings.Contains(string(trail), action) && time.Now().Before(deadline) {
					time.Sleep(100 * time.Millisecond)
					trail, _ = os.ReadFile(trails[0])
				}
				if !strings.Contains(string(trail), action) {
					t.Errorf("audit trail lacks %s:\n%s", action, trail)
				}
			}
		})
	}
}
