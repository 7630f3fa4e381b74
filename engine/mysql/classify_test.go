package mysql

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"cam/config"
	"cam/engine"
	"cam/internal/integration"
)

// TestClassifyServerAndNetworkErrors: only faults of the link or the
// server's availability are connection-class (retried); a login, grant or
// SQL problem is reported at once with what to fix.
func TestClassifyServerAndNetworkErrors(t *testing.T) {
	db := config.Database{Name: "dam", Host: "db.example.com", Port: 3306, DefaultSchema: "dam",
		Conn: config.Connection{User: "auditor", PasswordEnv: "CAM_DAM_PW"}}
	server := func(n uint16, msg string) error { return &gomysql.MySQLError{Number: n, Message: msg} }
	cases := []struct {
		err   error
		class engine.ErrorClass
		hint  string
	}{
		{server(1045, "Access denied for user 'auditor'@'10.0.0.1' (using password: YES)"), engine.ClassAuth, "password_env"},
		{server(1044, "Access denied for user 'auditor'@'%' to database 'dam'"), engine.ClassPermission, "SELECT"},
		{server(1142, "SELECT command denied to user 'auditor'@'%' for table 'activity_logs'"), engine.ClassPermission, "SELECT"},
		{server(1146, "Table 'dam.activity_log' doesn't exist"), engine.ClassQuery, "default_schema"},
		{server(1064, "You have an error in your SQL syntax"), engine.ClassQuery, "syntax"},
		{server(1049, "Unknown database 'dma'"), engine.ClassQuery, "default_schema"},
		{server(1040, "Too many connections"), engine.ClassConnection, "max_connections"},
		{server(2013, "Lost connection to server during query"), engine.ClassConnection, "db.example.com:3306"},
		{server(2006, "MySQL server has gone away"), engine.ClassConnection, "lost contact"},
		{server(2002, "Can't connect"), engine.ClassConnection, "lost contact"},
		{server(2003, "Can't connect"), engine.ClassConnection, "lost contact"},
		{server(1969, "Query execution was interrupted (max_statement_time exceeded)"), engine.ClassTimeout, "time limit"},
		{gomysql.ErrInvalidConn, engine.ClassConnection, "lost the connection"},
		{fmt.Errorf("reading rows: %w", io.ErrUnexpectedEOF), engine.ClassConnection, "lost the connection"},
		{&ConnectTimeoutError{Addr: "db.example.com:3306", After: 15 * time.Second}, engine.ClassConnection, "connect_timeout"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &timeoutErr{}}, engine.ClassConnection, "did not answer"},
		{context.Canceled, engine.ClassCancelled, "cancelled"},
		{gomysql.ErrNoTLS, engine.ClassConnection, "ssl"},
	}
	for _, c := range cases {
		class, msg := Driver{}.Classify(c.err, db)
		if class != c.class || !strings.Contains(msg, c.hint) {
			t.Errorf("%v: class %s, message %q; want %s mentioning %q", c.err, class, msg, c.class, c.hint)
		}
	}
}

// TestConnectionRefusedIsConnectionClass dials a loopback port where
// nothing listens, as a stopped server leaves it.
func TestConnectionRefusedIsConnectionClass(t *testing.T) {
	port := integration.ClosedPort(t)
	db := config.Database{Name: "down", Host: "127.0.0.1", Port: port, Location: time.UTC,
		Conn: config.Connection{User: "u", ConnectTimeout: 5 * time.Second}}
	c, err := Driver{}.Connector(db, config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Connect(context.Background())
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	class, msg := Driver{}.Classify(err, db)
	if class != engine.ClassConnection || !strings.Contains(msg, fmt.Sprintf("127.0.0.1:%d", port)) {
		t.Errorf("class %s, message %q", class, msg)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
