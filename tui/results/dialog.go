package results

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/triage"
)

// dialogStep is one question of a triage dialog.
type dialogStep int

const (
	stepReason dialogStep = iota // resolve: the closing reason (a choice)
	stepNote                     // resolve or n: the note (text, optional for resolve)
	stepScope                    // suppress: this rule or every rule (a choice)
	stepWhy                      // suppress: the reason (text, required)
	stepExpiry                   // suppress: how long (text, default 30d)
)

// dialog asks what a resolve, note or suppression needs, one step at a
// time; esc drops it whole.
type dialog struct {
	kind   string // "resolve", "note", "suppress"
	step   dialogStep
	choice int
	input  textinput.Model
	err    string // why the last answer was refused

	id     string // resolve and note: the alert
	reason triage.Reason
	user   string // suppress: the alert's user and rule
	rule   detect.Rule
	why    string
}

// suppressScopes are the suppress dialog's choices, in order.
var suppressScopes = []string{"this rule for this user", "all rules for this user"}

func newInput(placeholder, value string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = placeholder
	ti.CharLimit = 4000
	ti.SetValue(value)
	return ti
}

func newResolveDialog(id string) *dialog {
	return &dialog{kind: "resolve", step: stepReason, id: id}
}

func newNoteDialog(id string) *dialog {
	return &dialog{kind: "note", step: stepNote, id: id, input: newInput("the note", "")}
}

func newSuppressDialog(user string, rule detect.Rule) *dialog {
	return &dialog{kind: "suppress", step: stepScope, user: user, rule: rule}
}

// texting reports whether the step takes text (the root then sends every
// key, multi-rune pastes whole, to the input).
func (d *dialog) texting() bool {
	return d.step == stepNote || d.step == stepWhy || d.step == stepExpiry
}

func (d *dialog) choices() []string {
	if d.step == stepScope {
		return suppressScopes
	}
	out := make([]string, len(triage.Reasons))
	for i, r := range triage.Reasons {
		out[i] = string(r)
	}
	return out
}

// updateDialog feeds a key to the open dialog. Outside a text step runes
// that arrived together are pressed one by one, so "2" then enter typed
// fast picks the second choice.
func (m Model) updateDialog(k tea.KeyMsg) (Model, tea.Cmd) {
	d := m.dlg
	if d.texting() {
		return m.dialogText(k)
	}
	if k.Type == tea.KeyRunes && len(k.Runes) > 1 {
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			var cmd tea.Cmd
			m, cmd = m.updateDialog(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			cmds = append(cmds, cmd)
			if m.dlg == nil {
				break
			}
		}
		return m, tea.Batch(cmds...)
	}
	keys, n := m.c.Keys, len(d.choices())
	switch {
	case key.Matches(k, keys.Discard):
		m.dlg = nil
		return m, nil
	case key.Matches(k, keys.Up):
		d.choice = (d.choice + n - 1) % n
	case key.Matches(k, keys.Down):
		d.choice = (d.choice + 1) % n
	case key.Matches(k, keys.Submit):
		return m.dialogChose()
	case k.Type == tea.KeyRunes && len(k.Runes) == 1 && k.Runes[0] >= '1' && int(k.Runes[0]-'0') <= n:
		d.choice = int(k.Runes[0] - '1')
		return m.dialogChose()
	}
	return m, nil
}

// dialogChose moves on from a choice step.
func (m Model) dialogChose() (Model, tea.Cmd) {
	d := m.dlg
	switch d.step {
	case stepReason:
		d.reason = triage.Reasons[d.choice]
		d.step, d.input = stepNote, newInput("an optional note; enter resolves", "")
	case stepScope:
		if d.choice == 1 {
			d.rule = ""
		}
		d.step, d.input = stepWhy, newInput("why (required)", "")
	}
	return m, d.input.Focus()
}

// dialogText handles a text step: enter keeps the answer, esc drops the
// dialog, anything else edits.
func (m Model) dialogText(k tea.KeyMsg) (Model, tea.Cmd) {
	d, keys := m.dlg, m.c.Keys
	switch {
	case key.Matches(k, keys.Discard):
		m.dlg = nil
		return m, nil
	case key.Matches(k, keys.Submit):
		return m.dialogSubmit()
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(k)
	return m, cmd
}

// dialogSubmit takes a text answer: the last one makes the change.
func (m Model) dialogSubmit() (Model, tea.Cmd) {
	d := m.dlg
	text := strings.TrimSpace(d.input.Value())
	switch d.step {
	case stepNote:
		if d.kind == "note" {
			if text == "" {
				d.err = "a note needs some text (esc cancels)"
				return m, nil
			}
			m.dlg = nil
			return m, m.change("Noted", d.id, triage.Change{Note: text})
		}
		m.dlg = nil
		return m, m.change("Resolved", d.id, triage.Change{Status: triage.StatusResolved, Reason: d.reason, Note: text})
	case stepWhy:
		if text == "" {
			d.err = "a suppression needs a reason (esc cancels)"
			return m, nil
		}
		d.why, d.err = text, ""
		d.step, d.input = stepExpiry, newInput("how long: 30d, at most 365d", "30d")
		d.input.CursorEnd()
		return m, d.input.Focus()
	case stepExpiry:
		dur, err := parseExpiry(text)
		if err != nil {
			d.err = err.Error()
			return m, nil
		}
		m.dlg = nil
		return m, m.suppress(d.user, d.rule, d.why, dur)
	}
	return m, nil
}

// parseExpiry reads a suppression's length: days ("30d"), weeks ("2w")
// or hours ("12h"); "" is the default, 30 days; at most 365 days.
func parseExpiry(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return triage.DefaultSuppression, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'h': time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a length: write it as 30d, 2w or 12h", inert.Text(s))
	}
	d := time.Duration(n) * unit
	if d > triage.MaxSuppression {
		return 0, fmt.Errorf("%s is longer than the 365 days a suppression may last", s)
	}
	return d, nil
}

// dialogLines render the open dialog.
func (m Model) dialogLines() []string {
	d, st := m.dlg, m.c.Styles
	var title string
	switch d.kind {
	case "resolve":
		title = "Resolve " + d.id
		if d.step == stepNote {
			title += " as " + string(d.reason)
		}
	case "note":
		title = "Add a note to " + d.id
	case "suppress":
		rule := "every rule"
		if d.rule != "" {
			rule = display.Rule(d.rule)
		}
		title = fmt.Sprintf("Suppress %s for user %s", rule, inert.Text(d.user))
	}
	lines := []string{st.TitleFocused.Render(title)}
	if d.texting() {
		lines = append(lines, d.input.View())
		lines = append(lines, st.Muted.Render("enter done · esc cancel"))
	} else {
		for i, c := range d.choices() {
			line := fmt.Sprintf("  %d %s", i+1, c)
			if i == d.choice {
				line = st.Selected.Render(st.Mark(fmt.Sprintf("%d %s", i+1, c), true))
			}
			lines = append(lines, line)
		}
		lines = append(lines, st.Muted.Render("1–"+strconv.Itoa(len(d.choices()))+" or ↑/↓ enter choose · esc cancel"))
	}
	if d.err != "" {
		lines = append(lines, st.WarnText.Render(d.err))
	}
	return lines
}
