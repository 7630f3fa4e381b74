package detect

import (
	"time"

	"cam/config"
)

// ParamsFrom builds rule parameters from the detection settings and the
// analyst's optional last event time.
func ParamsFrom(d config.Detection, anchor *time.Time) Params {
	return Params{
		TakeoverWindow:      d.TakeoverWindow,
		Anchor:              anchor,
		BruteForceThreshold: d.BruteForceThreshold,
		BruteForceWindow:    d.BruteForceWindow,
		BusinessLocation:    d.BusinessLocation,
		BusinessStart:       d.BusinessStart,
		BusinessEnd:         d.BusinessEnd,
		GuestRoles:          d.GuestRoles,
	}
}

// Accumulator collects events from many queries at once and evaluates the
// rules when asked. It is safe for concurrent use.
// TODO(detect): the rules are being implemented; this placeholder keeps
// nothing.
type Accumulator struct{ p Params }

// NewAccumulator returns an empty accumulator for one run.
func NewAccumulator(p Params) *Accumulator { return &Accumulator{p: p} }

// AddChange records one change event.
func (a *Accumulator) AddChange(e ChangeEvent) {}

// AddActivity records one activity event.
func (a *Accumulator) AddActivity(e ActivityEvent) {}

// Findings evaluates every rule over what was added. failed lists the
// change types whose queries failed, for incomplete candidates.
func (a *Accumulator) Findings(failed []config.ChangeType) Findings { return Findings{} }
