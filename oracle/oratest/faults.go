package oratest

import (
	"strings"
	"sync"
	"time"
)

// FaultKind is a failure the server can inject.
type FaultKind int

// Fault kinds.
const (
	// SlowExecute delays the execute reply by Delay. A break from the
	// client ends the wait with ORA-01013, as a real server does.
	SlowExecute FaultKind = iota + 1
	// SlowFetch delays every fetch reply of the cursor by Delay.
	SlowFetch
	// StallFetch stops answering once AfterRows rows were sent: the socket
	// stays open and silent until the client goes.
	StallFetch
	// DropFetch closes the socket in the middle of the reply that would
	// carry row AfterRows+1.
	DropFetch
	// FailQuery answers the statement with ORA-Code.
	FailQuery
	// Refuse refuses new connections at the listener with ORA-Code
	// (12519, no appropriate service handler, when Code is 0).
	Refuse
)

// String names the kind.
func (k FaultKind) String() string {
	switch k {
	case SlowExecute:
		return "slow execute"
	case SlowFetch:
		return "slow fetch"
	case StallFetch:
		return "stall fetch"
	case DropFetch:
		return "drop fetch"
	case FailQuery:
		return "fail query"
	case Refuse:
		return "refuse"
	}
	return "unknown fault"
}

// Fault is one injected failure.
type Fault struct {
	Kind FaultKind
	// SQL selects the statements it applies to: a case-insensitive
	// substring of the text as sent; "" matches every statement.
	SQL string
	// Service limits it to one service; "" matches all.
	Service   string
	Delay     time.Duration
	AfterRows int
	Code      int
	// Times is how many statements (or connections, for Refuse) it hits;
	// 0 means all.
	Times int
}

// faultSet hands out faults and counts their uses.
type faultSet struct {
	mu     sync.Mutex
	faults []Fault
	used   []int
}

func newFaultSet(faults []Fault) *faultSet {
	fs := &faultSet{}
	fs.set(faults)
	return fs
}

func (fs *faultSet) set(faults []Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = append([]Fault(nil), faults...)
	fs.used = make([]int, len(faults))
}

// forStatement returns the statement faults that apply to sql on service,
// using up one of each one's Times.
func (fs *faultSet) forStatement(service, sql string) []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []Fault
	for i, f := range fs.faults {
		if f.Kind == Refuse || !fs.matches(i, service) {
			continue
		}
		if f.SQL != "" && !strings.Contains(strings.ToUpper(sql), strings.ToUpper(f.SQL)) {
			continue
		}
		fs.used[i]++
		out = append(out, f)
	}
	return out
}

// refusal returns the code to refuse a new connection with, or 0.
func (fs *faultSet) refusal(service string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.faults {
		if f.Kind != Refuse || !fs.matches(i, service) {
			continue
		}
		fs.used[i]++
		if f.Code == 0 {
			return 12519
		}
		return f.Code
	}
	return 0
}

func (fs *faultSet) matches(i int, service string) bool {
	f := fs.faults[i]
	if f.Times > 0 && fs.used[i] >= f.Times {
		return false
	}
	return f.Service == "" || strings.EqualFold(f.Service, service)
}
