package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"cam/sqltext"
)

// DriverRules is what the loader needs of a driver to read the
// databases.yaml entries that name it. config knows no driver by name:
// each driver package registers its rules with RegisterDriver, and
// engine.Driver includes this interface.
type DriverRules interface {
	// Dialect is how the driver's database reads SQL text; the entry's
	// query files and allow_functions are checked in it.
	Dialect() sqltext.Dialect
	// Auths lists the auth kinds the driver logs in with, its default
	// first. None means it logs in to nothing (a file): its entries may
	// then set no connection key at all.
	Auths() []string
	// OwnKeys lists the connection keys only this driver reads (a socket,
	// a CA file); another driver's entry that sets one is told whose key
	// it is.
	OwnKeys() []string
	// Validate checks what only the driver knows of db (which address
	// keys it needs, a file it reads): one Problem per key, naming it in
	// Field and saying what to fix in Message; the loader adds the file
	// and the entry. db holds the entry's keys as read, its connection
	// checked and its paths resolved against the configuration directory;
	// Written holds the keys as the admin wrote them.
	Validate(db Database) []Problem
}

// registry holds the drivers this build knows, by their databases.yaml
// name. Drivers register from init, so it is only read afterwards.
var registry = struct {
	sync.RWMutex
	rules map[string]DriverRules
}{rules: map[string]DriverRules{}}

// RegisterDriver makes the driver named name known to the loader. It
// panics when name is registered twice: two packages claiming one driver
// name is a build mistake, not a configuration problem.
func RegisterDriver(name string, r DriverRules) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.rules[name]; dup || r == nil || name == "" {
		panic(fmt.Sprintf("config: driver %q registered twice or without rules", name))
	}
	registry.rules[name] = r
}

// rulesOf returns the registered rules of driver.
func rulesOf(driver string) (DriverRules, bool) {
	registry.RLock()
	defer registry.RUnlock()
	r, ok := registry.rules[driver]
	return r, ok
}

// DriverNames lists the registered drivers: the default driver first,
// then the others alphabetically.
func DriverNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.rules))
	for n := range registry.rules {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == DriverOracle) != (names[j] == DriverOracle) {
			return names[i] == DriverOracle
		}
		return names[i] < names[j]
	})
	return names
}

// driversWhere lists, as DriverNames orders them, the drivers for which
// keep holds.
func driversWhere(keep func(DriverRules) bool) []string {
	var out []string
	for _, n := range DriverNames() {
		if r, ok := rulesOf(n); ok && keep(r) {
			out = append(out, n)
		}
	}
	return out
}

// orList joins names as prose: "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// owners lists the drivers whose own key key is.
func owners(key string) []string {
	return driversWhere(func(r DriverRules) bool { return slices.Contains(r.OwnKeys(), key) })
}

// RequireAddress is the check of a driver that reaches its database over
// the network: host and port are required.
func RequireAddress(db Database) []Problem {
	var out []Problem
	if db.Host == "" {
		out = append(out, Problem{Field: "host", Message: fmt.Sprintf("is required for a %s database", db.Driver)})
	}
	if db.Port < 1 || db.Port > 65535 {
		out = append(out, Problem{Field: "port", Message: fmt.Sprintf("must be a port number 1-65535 for a %s database", db.Driver)})
	}
	return out
}

// IsSet reports whether db's entry sets key (to anything but null).
func (db Database) IsSet(key string) bool {
	_, ok := db.Written[key]
	return ok
}
