package krb5

import (
	"fmt"
	"os"
	"strings"

	krbconfig "github.com/jcmturner/gokrb5/v8/config"
)

// fileCacheHint tells the analyst how to get a cache cam can read.
const fileCacheHint = "export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) and run kinit again"

// ResolveCache returns the path of the credential cache to read: cache if
// set, else KRB5CCNAME, else /tmp/krb5cc_<uid>. Only FILE caches can be
// read; a KEYRING:, KCM:, DIR: or other cache type gives a *TicketError of
// kind TicketUnreadable that says how to switch to a FILE cache.
func ResolveCache(cache string) (string, error) {
	name := cache
	if name == "" {
		name = os.Getenv("KRB5CCNAME")
	}
	if name == "" {
		return fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid()), nil
	}
	typ, rest, ok := strings.Cut(name, ":")
	if !ok || strings.HasPrefix(name, "/") {
		return name, nil // a plain path is a FILE cache
	}
	if strings.EqualFold(typ, "FILE") {
		return rest, nil
	}
	return "", &TicketError{
		Kind:  TicketUnreadable,
		Cache: name,
		Msg: fmt.Sprintf("credential cache %s is a %s cache, which cam cannot read; %s",
			name, strings.ToUpper(typ), fileCacheHint),
	}
}

// resolveConfig returns krb5.conf's path: conf if set, else KRB5_CONFIG,
// else /etc/krb5.conf.
func resolveConfig(conf string) string {
	if conf != "" {
		return conf
	}
	if env := os.Getenv("KRB5_CONFIG"); env != "" {
		// KRB5_CONFIG may list several files; gokrb5 reads one.
		first, _, _ := strings.Cut(env, ":")
		return first
	}
	return "/etc/krb5.conf"
}

// loadConfig loads krb5.conf as resolved by resolveConfig; a file that
// cannot be read or parsed is a *TicketError of kind TicketConfigUnreadable.
func loadConfig(conf string) (*krbconfig.Config, error) {
	path := resolveConfig(conf)
	c, err := krbconfig.Load(path)
	if err != nil {
		return nil, &TicketError{Kind: TicketConfigUnreadable, Err: err,
			Msg: fmt.Sprintf("cannot load Kerberos configuration %s: %v (set krb5_conf in app_settings.yaml or KRB5_CONFIG)", path, err)}
	}
	return c, nil
}
