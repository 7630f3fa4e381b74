// Package session is cam's application layer: what an analyst does,
// independent of how it is shown. It starts and cancels runs and hands
// their events on, keeps the audit trail (written off the caller's
// goroutine, in order), exports, drafts mail, builds the paste summary and
// decides whether the Kerberos ticket lets a run start. `cam run`,
// `cam check` and the TUI are thin clients of it; it imports no terminal
// library, so every front end gets the same use cases and the same audit
// records.
package session
