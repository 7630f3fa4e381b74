// Package krb5test runs a throwaway MIT KDC on a loopback port for tests
// that need real tickets (krb5, oracle). It is never linked into cam.
package krb5test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/internal/integration"
)

// Realm is the realm of the throwaway KDC.
const Realm = "CAM.TEST"

// kdcTools are the MIT Kerberos programs the KDC tests need (Debian
// packages krb5-kdc, krb5-admin-server, krb5-user).
var kdcTools = []string{"krb5kdc", "kdb5_util", "kadmin.local", "kinit"}

// KDC is a real MIT KDC on a loopback port, in a temp dir.
type KDC struct {
	// Krb5Conf is the krb5.conf that points at this KDC.
	Krb5Conf string
	t        *testing.T
	dir      string
	env      []string
}

// freePort returns a loopback port free for TCP and UDP at the moment.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if err == nil {
			u.Close()
			return port
		}
	}
	t.Fatal("no free port for the KDC")
	return 0
}

// Start creates a realm database, the given principals (name:password,
// or name with no password for a random key) and starts krb5kdc; Cleanup
// stops it.
func Start(t *testing.T, principals ...string) *KDC {
	t.Helper()
	integration.RequireTools(t, "apt-get install krb5-kdc krb5-admin-server krb5-user", kdcTools...)
	dir := t.TempDir()
	port := freePort(t)
	k := &KDC{t: t, dir: dir, Krb5Conf: filepath.Join(dir, "krb5.conf")}
	kdcConf := filepath.Join(dir, "kdc.conf")
	WriteFile(t, k.Krb5Conf, fmt.Sprintf(`[libdefaults]
	default_realm = %[1]s
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	udp_preference_limit = 1
	default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
	default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
	permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
[realms]
	%[1]s = {
		kdc = 127.0.0.1:%[2]d
	}
`, Realm, port))
	WriteFile(t, kdcConf, fmt.Sprintf(`[kdcdefaults]
	kdc_ports = %[2]d
	kdc_tcp_ports = %[2]d
[realms]
	%[1]s = {
		database_name = %[3]s/principal
		key_stash_file = %[3]s/stash
		acl_file = %[3]s/kadm5.acl
		kdc_ports = %[2]d
		kdc_tcp_ports = %[2]d
		max_life = 10h 0m 0s
		max_renewable_life = 7d 0h 0m 0s
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
	}
[logging]
	kdc = FILE:%[3]s/kdc.log
`, Realm, port, dir))
	WriteFile(t, filepath.Join(dir, "kadm5.acl"), "")
	k.env = append(os.Environ(), "KRB5_CONFIG="+k.Krb5Conf, "KRB5_KDC_PROFILE="+kdcConf)

	k.Run("", "kdb5_util", "-r", Realm, "create", "-s", "-P", "master-test-pw")
	for _, p := range principals {
		name, pw, hasPW := strings.Cut(p, ":")
		if hasPW {
			k.Run("", "kadmin.local", "-r", Realm, "-q", fmt.Sprintf("addprinc -pw %s -maxrenewlife 7d %s", pw, name))
		} else {
			k.Run("", "kadmin.local", "-r", Realm, "-q", "addprinc -randkey "+name)
		}
	}
	kdcPath, _ := integration.FindTool("krb5kdc")
	cmd := exec.Command(kdcPath, "-n", "-r", Realm, "-P", filepath.Join(dir, "kdc.pid"))
	cmd.Env = k.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start krb5kdc: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("krb5kdc did not listen on %d: %v\n%s", port, err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return k
}

// Run runs one MIT tool with the realm's environment.
func (k *KDC) Run(stdin, tool string, args ...string) string {
	k.t.Helper()
	path, _ := integration.FindTool(tool)
	cmd := exec.Command(path, args...)
	cmd.Env = k.env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		k.t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Kinit gets a ticket for principal into a new FILE cache and returns the
// cache path; extra are kinit flags such as -l 1m.
func (k *KDC) Kinit(principal, password string, extra ...string) string {
	k.t.Helper()
	cache := filepath.Join(k.t.TempDir(), "cc")
	args := append([]string{"-c", "FILE:" + cache}, extra...)
	k.Run(password+"\n", "kinit", append(args, principal)...)
	return cache
}

// Keytab exports principal's keys into a keytab file.
func (k *KDC) Keytab(principal string) string {
	k.t.Helper()
	kt := filepath.Join(k.dir, "service.keytab")
	k.Run("", "kadmin.local", "-r", Realm, "-q", fmt.Sprintf("ktadd -k %s -norandkey %s", kt, principal))
	return kt
}

// WriteFile writes text to path (0600) or fails the test.
func WriteFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
