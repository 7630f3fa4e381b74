// Command oraserve serves SQLite files over the Oracle wire protocol for
// clients other than go test (node-oracledb in the cross-check, cam by
// hand). It prints "listening on 127.0.0.1:PORT" as its first line on
// stdout and serves until killed.
//
//	oraserve -addr 127.0.0.1:0 -service CLIENT_AUDIT=path/client.db \
//	  -service ACCOUNTS=path/account.db -user cam:secret \
//	  [-schema event_logs] [-keytab FILE -principal oracle/HOST@REALM] \
//	  [-fetch-delay D] [-log]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"cam/oracle/oratest"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	if err := run(os.Args[1:], os.Stdout, os.Stderr, stop); err != nil {
		fmt.Fprintln(os.Stderr, "oraserve:", err)
		os.Exit(2)
	}
}

// pairs collects repeated NAME=VALUE (or NAME:VALUE) flags.
type pairs struct {
	sep string
	m   map[string]string
}

func (p *pairs) String() string { return "" }

func (p *pairs) Set(v string) error {
	k, val, ok := strings.Cut(v, p.sep)
	if !ok || k == "" || val == "" {
		return fmt.Errorf("%q is not NAME%sVALUE", v, p.sep)
	}
	p.m[k] = val
	return nil
}

// run serves until stop receives.
// names collects a repeated flag's values.
type names []string

func (n *names) String() string { return strings.Join(*n, ",") }

func (n *names) Set(v string) error {
	*n = append(*n, v)
	return nil
}

func run(args []string, stdout, stderr io.Writer, stop <-chan os.Signal) error {
	fs := flag.NewFlagSet("oraserve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	services := &pairs{sep: "=", m: map[string]string{}}
	users := &pairs{sep: ":", m: map[string]string{}}
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	fs.Var(services, "service", "NAME=path.db: a service backed by a SQLite file (repeatable)")
	fs.Var(users, "user", "USER:PASSWORD for password logon (repeatable)")
	var schemas names
	fs.Var(&schemas, "schema", "a schema name every service answers to, e.g. event_logs (repeatable)")
	keytabPath := fs.String("keytab", "", "keytab holding the service principal's key (Kerberos logon)")
	principal := fs.String("principal", "", "service principal, oracle/HOST@REALM (with -keytab)")
	fetchDelay := fs.Duration("fetch-delay", 0, "delay every fetch reply by this long")
	verbose := fs.Bool("log", false, "log sessions, logons and faults to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(services.m) == 0 {
		return errors.New("at least one -service NAME=path.db is needed")
	}
	opts := oratest.Options{Services: services.m, Users: users.m, Schemas: schemas, FetchDelay: *fetchDelay}
	if *keytabPath != "" || *principal != "" {
		k, err := kerberos(*keytabPath, *principal)
		if err != nil {
			return err
		}
		opts.Kerberos = k
	}
	if *verbose {
		logger := log.New(stderr, "oraserve: ", log.LstdFlags|log.Lmicroseconds)
		opts.Logf = logger.Printf
	}
	srv, err := oratest.Listen(*addr, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.Addr())
	<-stop
	return srv.Close()
}

func kerberos(path, principal string) (*oratest.Kerberos, error) {
	if path == "" || principal == "" {
		return nil, errors.New("-keytab and -principal go together")
	}
	service, host, err := oratest.ParsePrincipal(principal)
	if err != nil {
		return nil, err
	}
	kt, err := keytab.Load(path)
	if err != nil {
		return nil, fmt.Errorf("keytab %s: %w", path, err)
	}
	return &oratest.Kerberos{Keytab: kt, Service: service, Host: host}, nil
}
