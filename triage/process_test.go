package triage

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The helper process: the test binary re-executed with CAM_TRIAGE_HELPER
// set runs one of these instead of the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("CAM_TRIAGE_HELPER"); mode != "" {
		os.Exit(helper(mode, os.Getenv("CAM_TRIAGE_DIR"), os.Getenv("CAM_TRIAGE_ID")))
	}
	os.Exit(m.Run())
}

// helper changes the alert id over and over: "notes N" adds N notes and
// exits; "forever" adds notes until killed, printing each confirmed one.
func helper(mode, dir, id string) int {
	s, err := Open(dir, Options{SID: "H" + strconv.Itoa(os.Getpid()), OSUser: "helper"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	n := 1 << 30
	if m, ok := strings.CutPrefix(mode, "notes "); ok {
		n, _ = strconv.Atoi(m)
	}
	statuses := []Status{StatusAcknowledged, StatusEscalated, StatusNew}
	for i := range n {
		note := fmt.Sprintf("%d-%d", os.Getpid(), i)
		c := Change{Note: note}
		if i%2 == 0 {
			c.Status = statuses[(i/2)%len(statuses)]
		}
		if _, _, err := s.Set(context.Background(), id, c); err != nil && !strings.Contains(err.Error(), "already") {
			fmt.Fprintln(os.Stderr, err)
			return 1
		} else if err != nil {
			// Another process got there first: the note alone still counts.
			if _, _, err := s.Set(context.Background(), id, Change{Note: note}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		fmt.Println("confirmed", note)
	}
	return 0
}

func helperCmd(mode, dir, id string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CAM_TRIAGE_HELPER="+mode, "CAM_TRIAGE_DIR="+dir, "CAM_TRIAGE_ID="+id)
	cmd.Stderr = os.Stderr
	return cmd
}

// notesOf returns the set of notes in the alert's history.
func notesOf(t *testing.T, s *Store, id string) map[string]bool {
	t.Helper()
	h, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range h {
		out[r.Note] = true
	}
	return out
}

func TestTwoProcessesChangingOneAlertLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	id := oneAlert(t, s)
	v0, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const each = 40
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for range 2 {
		cmd := helperCmd(fmt.Sprintf("notes %d", each), dir, id)
		var out strings.Builder
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	notes := notesOf(t, s, id)
	for i, cmd := range cmds {
		confirmed := strings.Count(outs[i].String(), "confirmed")
		if confirmed != each {
			t.Errorf("helper %d confirmed %d changes, want %d", i, confirmed, each)
		}
		for k := range each {
			if note := fmt.Sprintf("%d-%d", cmd.Process.Pid, k); !notes[note] {
				t.Errorf("change %s was confirmed but is not in the history", note)
			}
		}
	}
	if v1, _ := s.DataVersion(context.Background()); v1 == v0 {
		t.Errorf("data_version stayed %d while two other processes changed the state", v0)
	}
}

func TestKilledMidTransactionLeavesTheFileSound(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	id := oneAlert(t, s)
	s.Close()
	for round := range 3 {
		cmd := helperCmd("forever", dir, id)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var confirmed []string
		lines := bufio.NewScanner(stdout)
		// Kill it at a different point of its write loop each round.
		for len(confirmed) < 20+round*7 && lines.Scan() {
			confirmed = append(confirmed, strings.TrimPrefix(lines.Text(), "confirmed "))
		}
		time.Sleep(time.Duration(round) * 3 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for lines.Scan() {
			confirmed = append(confirmed, strings.TrimPrefix(lines.Text(), "confirmed "))
		}
		_ = cmd.Wait() // killed on purpose: the exit status is the signal

		s2, err := Open(dir, Options{SID: "A1"})
		if err != nil {
			t.Fatalf("round %d: reopening after kill -9: %v", round, err)
		}
		if v, err := s2.IntegrityCheck(context.Background()); err != nil || v != "ok" {
			t.Fatalf("round %d: integrity_check %q, %v", round, v, err)
		}
		notes := notesOf(t, s2, id)
		for _, n := range confirmed {
			if !notes[n] {
				t.Errorf("round %d: change %s was confirmed before the kill but is lost", round, n)
			}
		}
		s2.Close()
	}
}
