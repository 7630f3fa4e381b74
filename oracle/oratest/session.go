package oratest

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
)

// session is one client connection, served on its own goroutine. A second
// goroutine reads packets into in, so a break marker is seen while a reply
// is being written or a delay is running.
type session struct {
	srv     *Server
	id      int
	conn    *tnsConn
	in      chan *packet
	readErr error
	quit    chan struct{} // closed when the session ends

	service  string
	user     string
	method   string
	o5       *o5logon
	loggedOn bool

	ttcVersion int
	clientCaps []byte // compile-time capabilities from the client
	clientRT   []byte // runtime capabilities from the client
	bigChunks  bool

	cursors    map[int]*cursor
	nextCursor int
	readOnly   bool // inside SET TRANSACTION READ ONLY
}

var serviceNameRE = regexp.MustCompile(`(?i)\(SERVICE_NAME=([^)]*)\)`)

// serve runs one connection from CONNECT to its end.
func (s *Server) serve(nc net.Conn, id int) error {
	c := newTNSConn(nc)
	p, err := c.read()
	if err != nil {
		return err
	}
	if p.kind != packetConnect || len(p.raw) < 34 {
		return errors.New("first packet is not a CONNECT")
	}
	descriptor, err := connectData(c, p)
	if err != nil {
		return err
	}
	service := ""
	if m := serviceNameRE.FindSubmatch(descriptor); m != nil {
		service = strings.ToUpper(strings.TrimSpace(string(m[1])))
	}
	if code := s.faults.refusal(service); code != 0 {
		s.logf("session %d: refused by fault (ORA-%05d)", id, code)
		return refuse(c, code)
	}
	if _, ok := s.services[service]; !ok {
		s.logf("session %d: unknown service %q", id, service)
		return refuse(c, 12514)
	}
	if err := accept(c, s.opts.Kerberos != nil); err != nil {
		return err
	}
	ss := &session{srv: s, id: id, conn: c, in: make(chan *packet, 16), quit: make(chan struct{}),
		service: service, cursors: map[int]*cursor{}, nextCursor: 1}
	go ss.readLoop()
	defer func() {
		close(ss.quit)
		ss.closeCursors()
	}()
	if s.opts.Kerberos != nil {
		if err := ss.negotiateANO(); err != nil {
			return err
		}
	}
	return ss.loop()
}

func (ss *session) readLoop() {
	for {
		p, err := ss.conn.read()
		if err != nil {
			ss.readErr = err
			close(ss.in)
			return
		}
		select {
		case ss.in <- p:
		case <-ss.quit:
			return
		}
	}
}

// next returns the next packet, or nil when the client has gone.
func (ss *session) next() *packet {
	p, ok := <-ss.in
	if !ok {
		return nil
	}
	return p
}

// parse runs f over a message, adding the following DATA packets while
// f reports the message incomplete (requests larger than the SDU are
// split). It returns f's error, or the connection's once the client left.
func (ss *session) parse(first []byte, f func(d *decoder)) error {
	buf := append([]byte(nil), first...)
	for {
		d := &decoder{p: buf, bigChunks: ss.bigChunks}
		f(d)
		if d.err == nil {
			return nil
		}
		if !errors.Is(d.err, errShort) {
			return d.err
		}
		p := ss.next()
		if p == nil {
			return ss.goneErr()
		}
		if p.kind != packetData {
			return fmt.Errorf("packet type %d inside a message", p.kind)
		}
		buf = append(buf, p.body...)
	}
}

func (ss *session) goneErr() error {
	if ss.readErr != nil {
		return ss.readErr
	}
	return errors.New("client went away")
}

func (ss *session) newEncoder() *encoder { return &encoder{bigChunks: ss.bigChunks} }

func (ss *session) send(e *encoder) error { return ss.conn.writeData(e.Bytes()) }

// TTC message codes from the client.
const (
	msgProtocol  = 1
	msgDataTypes = 2
	msgFunction  = 3
	msgPiggyback = 0x11
)

func (ss *session) loop() error {
	for {
		p := ss.next()
		if p == nil {
			return ss.goneErr()
		}
		switch {
		case p.kind == packetMarker: // a break between calls: reset and carry on
			if err := ss.answerBreak(); err != nil {
				return err
			}
			continue
		case p.kind != packetData:
			return fmt.Errorf("unexpected packet type %d", p.kind)
		case p.dataFlags&dataFlagEOF != 0:
			return nil
		case len(p.body) == 0:
			continue
		}
		var err error
		switch p.body[0] {
		case msgProtocol:
			err = ss.negotiateProtocol()
		case msgDataTypes:
			err = ss.negotiateDataTypes(p.body)
		case msgFunction:
			err = ss.function(p.body)
		case msgPiggyback:
			err = ss.piggyback(p.body)
		default:
			err = fmt.Errorf("unknown TTC message %d", p.body[0])
		}
		if err != nil {
			return err
		}
	}
}

// piggyback closes the cursors listed, then runs the call that follows in
// the same packet.
func (ss *session) piggyback(msg []byte) error {
	var rest []byte
	err := ss.parse(msg, func(d *decoder) {
		d.skip(3)
		d.byte()
		n := d.count()
		for range n {
			id := d.count()
			if c := ss.cursors[id]; c != nil && d.err == nil {
				c.close()
				delete(ss.cursors, id)
			}
		}
		rest = d.p[min(d.i, len(d.p)):]
	})
	if err != nil || len(rest) == 0 {
		return err
	}
	return ss.function(rest)
}

func (ss *session) closeCursors() {
	for id, c := range ss.cursors {
		c.close()
		delete(ss.cursors, id)
	}
}
