// Package mariadbtest starts throwaway MariaDB servers for cam's
// integration tests: Debian's mariadb-server binaries, a data directory in
// a temp dir, a loopback port, real password logins, no system service.
// Tests of any package use it; it is never linked into cam.
package mariadbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"cam/config"
	"cam/internal/integration"
)

// Binaries are the programs a server needs (Debian package mariadb-server).
var Binaries = []string{"mariadb-install-db", "mariadbd"}

// Accounts every server has. Both log in with Server.Password.
const (
	// User may SELECT everything in Schema.
	User = "cam"
	// LimitedUser may read nothing until LoadDAM grants it SELECT on
	// Schema.users only, for permission errors.
	LimitedUser = "cam_limited"
	// Schema is the database created for the tests.
	Schema = "dam"
)

// Require skips the test when MariaDB is not installed, unless
// CAM_REQUIRE_INTEGRATION=1 (CI), where it fails.
func Require(t testing.TB) {
	t.Helper()
	integration.RequireTools(t, "apt-get install mariadb-server", Binaries...)
}

// Server is one running (or stopped) MariaDB server.
type Server struct {
	Dir      string // everything of the server lives here
	Socket   string
	Port     int
	Password string // of User and LimitedUser
	// PasswordEnv names the environment variable holding Password, set
	// while the server exists, for databases.yaml's password_env.
	PasswordEnv string

	extra []string // more mariadbd options, such as TLS files

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been waited for
	root   *sql.DB
}

// Start starts a server for t and stops it when t ends; it skips or fails
// t as Require does when MariaDB is missing. options are passed to
// mariadbd (e.g. "--ssl-cert=...").
func Start(t testing.TB, options ...string) *Server {
	t.Helper()
	Require(t)
	s, err := New(options...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// New initialises a data directory, starts the server on a free loopback
// port with the given extra mariadbd options, and creates the accounts and
// Schema. Close removes everything.
func New(options ...string) (*Server, error) {
	if b := integration.Missing(Binaries...); b != "" {
		return nil, fmt.Errorf("%s not installed (apt-get install mariadb-server)", b)
	}
	// A short directory: a unix socket path must stay under 108 bytes.
	dir, err := os.MkdirTemp("", "cam-mariadb-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, Socket: filepath.Join(dir, "mariadb.sock"), Password: randomHex(12), extra: options}
	s.PasswordEnv = "CAM_TEST_MARIADB_PW_" + strings.ToUpper(randomHex(4))
	if err := s.install(); err != nil {
		s.Close()
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		s.Port, err = integration.FreePort()
		if err == nil {
			err = s.launch()
		}
		if err == nil || attempt == 3 {
			break
		}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := s.createAccounts(); err != nil {
		s.Close()
		return nil, err
	}
	os.Setenv(s.PasswordEnv, s.Password)
	return s, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) dataDir() string  { return filepath.Join(s.Dir, "data") }
func (s *Server) errorLog() string { return filepath.Join(s.Dir, "error.log") }

// asRoot is --user=root when running as root: mariadbd refuses root
// otherwise, and ignores --user as anyone else.
func asRoot() []string {
	if os.Geteuid() == 0 {
		return []string{"--user=root"}
	}
	return nil
}

// smallInnoDB keeps each server's files near 20 MB instead of 110 MB.
var smallInnoDB = []string{"--innodb-log-file-size=4M", "--innodb-buffer-pool-size=16M"}

func (s *Server) install() error {
	bin, _ := integration.FindTool("mariadb-install-db")
	args := append([]string{"--no-defaults", "--datadir=" + s.dataDir(), "--auth-root-authentication-method=normal",
		"--skip-test-db", "--skip-name-resolve"}, asRoot()...)
	args = append(args, smallInnoDB...)
	out, err := exec.CommandContext(context.Background(), bin, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("mariadb-install-db: %v\n%s", err, tail(string(out), 2000))
	}
	return nil
}

// launch starts mariadbd on s.Port and waits until root can log in.
func (s *Server) launch() error {
	bin, _ := integration.FindTool("mariadbd")
	args := append([]string{"--no-defaults", "--datadir=" + s.dataDir(), "--socket=" + s.Socket,
		"--port=" + strconv.Itoa(s.Port), "--bind-address=127.0.0.1", "--skip-name-resolve",
		"--pid-file=" + filepath.Join(s.Dir, "mariadbd.pid"), "--log-error=" + s.errorLog(),
		"--tmpdir=" + s.Dir, "--max-connections=100"}, asRoot()...)
	args = append(args, smallInnoDB...)
	args = append(args, s.extra...)
	// Not tied to a context: the server lives until Stop or Kill, across
	// the calls that start it.
	cmd := exec.CommandContext(context.Background(), bin, args...)
	// Its own process group, so a Ctrl-C of `go test` does not race the
	// test's own shutdown of the server.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("mariadbd: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // how it ended is the caller's business (Stop, Kill, a crash in the error log)
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()

	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-exited:
			return fmt.Errorf("mariadbd exited while starting:\n%s", s.logTail())
		default:
		}
		if err := s.pingRoot(); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			s.Kill()
			return fmt.Errorf("mariadbd not ready after 60s (%v):\n%s", err, s.logTail())
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (s *Server) pingRoot() error {
	db, err := s.Root()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// Root returns a pool logged in as root over the socket, in Schema, that
// accepts scripts of several statements. Close closes it.
func (s *Server) Root() (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root != nil {
		return s.root, nil
	}
	cfg := gomysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "unix", s.Socket
	cfg.MultiStatements = true
	cfg.ParseTime = true
	cfg.Logger = &gomysql.NopLogger{}
	conn, err := gomysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	s.root = sql.OpenDB(conn)
	return s.root, nil
}

// Exec runs a script of statements as root in Schema.
func (s *Server) Exec(script string) error {
	db, err := s.Root()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "USE "+Schema); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, script)
	return err
}

func (s *Server) createAccounts() error {
	db, err := s.Root()
	if err != nil {
		return err
	}
	pw := strings.ReplaceAll(s.Password, "'", "''")
	_, err = db.ExecContext(context.Background(), fmt.Sprintf(`CREATE DATABASE %[1]s;
CREATE USER '%[2]s'@'%%' IDENTIFIED BY '%[4]s';
GRANT SELECT ON %[1]s.* TO '%[2]s'@'%%';
CREATE USER '%[3]s'@'%%' IDENTIFIED BY '%[4]s';`, Schema, User, LimitedUser, pw))
	if err != nil {
		return fmt.Errorf("creating test accounts: %w", err)
	}
	return nil
}

// Database returns a databases.yaml entry for this server that logs in as
// user over TCP with password_env, reading DATETIME values in loc.
func (s *Server) Database(name, user string, loc *time.Location) config.Database {
	return config.Database{
		Name: name, Driver: config.DriverMySQL, Host: "127.0.0.1", Port: s.Port, DefaultSchema: Schema,
		Timezone: loc.String(), Location: loc, MaxConnections: 2,
		Conn: config.Connection{ConnectTimeout: 5 * time.Second, Auth: config.AuthPassword, User: user,
			PasswordEnv: s.PasswordEnv, SSLVerify: true},
	}
}

// RunningQueries returns the text of the statements user is running now,
// as the server's processlist shows them.
func (s *Server) RunningQueries(user string) ([]string, error) {
	db, err := s.Root()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(context.Background(), `SELECT COALESCE(INFO, COMMAND) FROM information_schema.PROCESSLIST
WHERE USER = ? AND COMMAND NOT IN ('Sleep', 'Daemon') AND ID <> CONNECTION_ID()`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// Kill ends the server with SIGKILL, as a crash would, and waits for it.
func (s *Server) Kill() { s.signal(syscall.SIGKILL) }

// Stop shuts the server down cleanly and waits for it.
func (s *Server) Stop() { s.signal(syscall.SIGTERM) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd, exited, root := s.cmd, s.exited, s.root
	s.cmd, s.root = nil, nil
	s.mu.Unlock()
	if root != nil {
		root.Close()
	}
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig) // it may have exited already; exited says so
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// Restart starts a stopped or killed server again on the same port.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return errors.New("mariadbtest: Restart of a running server")
	}
	return s.launch()
}

// Close stops the server and removes its files.
func (s *Server) Close() {
	s.Kill()
	if s.PasswordEnv != "" {
		os.Unsetenv(s.PasswordEnv)
	}
	os.RemoveAll(s.Dir)
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.errorLog())
	return tail(string(b), 3000)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
