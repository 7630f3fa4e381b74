package applog

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"cam/internal/inert"
)

// ModuleKey is the attribute that names the part of cam a record comes
// from. It is not written as key=value: it fills the line's module field,
// so logger.With(ModuleKey, "engine") derives the engine's logger.
const ModuleKey = "module"

// Handler is the slog.Handler behind every cam logger. It renders each
// record once into a Record and passes it to every sink. Email addresses
// and '+'-prefixed phone numbers are masked on the way in: the log must
// never hold them, and a bug elsewhere should not be enough to put them
// there. Text from databases reaches the sinks inert. It is safe for
// concurrent use as long as its sinks are.
type Handler struct {
	level  slog.Leveler
	module string
	attrs  []Attr // from WithAttrs, rendered once
	prefix string // key prefix from WithGroup: "group.sub."
	sinks  []Sink // shared by every derived handler
}

// NewHandler returns a handler passing records at or above level to sinks,
// named module unless a ModuleKey attribute says otherwise.
func NewHandler(level slog.Leveler, module string, sinks ...Sink) *Handler {
	return &Handler{level: level, module: cleanModule(module), sinks: sinks}
}

// Enabled reports whether records at l are passed on.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle renders r and hands it to every sink; it returns the sinks'
// errors joined (slog.Logger drops them; a sink that must report a
// failure does so itself).
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	rec := Record{Time: r.Time, Level: r.Level, Module: h.module, Message: clean(r.Message)}
	if rec.Time.IsZero() {
		rec.Time = time.Now()
	}
	rec.Attrs = make([]Attr, 0, len(h.attrs)+r.NumAttrs())
	rec.Attrs = append(rec.Attrs, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		rec.Module, rec.Attrs = appendAttr(rec.Module, rec.Attrs, h.prefix, a)
		return true
	})
	var errs []error
	for _, s := range h.sinks {
		if err := s.Put(rec); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WithAttrs returns a handler that adds attrs to every record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]Attr(nil), h.attrs...)
	for _, a := range attrs {
		c.module, c.attrs = appendAttr(c.module, c.attrs, c.prefix, a)
	}
	return &c
}

// WithGroup returns a handler that qualifies later keys with name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix += name + "."
	return &c
}

// appendAttr renders a, flattening groups into dotted keys; a top-level
// ModuleKey replaces module instead of becoming an attribute.
func appendAttr(module string, attrs []Attr, prefix string, a slog.Attr) (string, []Attr) {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() != slog.KindGroup && v.Any() == nil {
		return module, attrs // slog's empty Attr: ignored
	}
	if v.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range v.Group() {
			module, attrs = appendAttr(module, attrs, p, g)
		}
		return module, attrs
	}
	if prefix == "" && a.Key == ModuleKey {
		return cleanModule(v.String()), attrs
	}
	return module, append(attrs, Attr{Key: cleanKey(prefix + a.Key), Value: clean(valueText(v))})
}

// valueText is a value as the log shows it: times in the line's layout
// (slog's would carry Go's monotonic reading), everything else as slog
// prints it (durations as 1.5s, errors by their message).
func valueText(v slog.Value) string {
	if v.Kind() == slog.KindTime {
		return v.Time().Format(TimeLayout)
	}
	return v.String()
}

// clean masks and makes inert text that came from anywhere.
func clean(s string) string { return inert.Text(Mask(s)) }

// cleanKey keeps a key one token: no space, '=' or '"' (see format.go).
func cleanKey(k string) string {
	if k == "" {
		return "_"
	}
	return keyReplacer.Replace(inert.Text(k))
}

var keyReplacer = strings.NewReplacer(" ", "_", "=", "_", `"`, "_")

// cleanModule keeps a module name one bracketed token.
func cleanModule(m string) string {
	if m == "" {
		return "app"
	}
	return moduleReplacer.Replace(inert.Text(m))
}

var moduleReplacer = strings.NewReplacer(" ", "_", "[", "_", "]", "_")
