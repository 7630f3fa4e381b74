package oratest

import (
	"encoding/binary"
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

// Server capabilities sent in protocol negotiation. The indices are
// Oracle's; go-ora v2.9.0 and node-oracledb read the ones set here.
var (
	serverCompileCaps = func() []byte {
		c := make([]byte, 40)
		c[4] = 32           // logon: 12c PBKDF2 verifier
		c[7] = 12           // TTC field version 12 (19c)
		c[15] = 0x01        // error messages carry the end-of-call status
		c[16] = 0x01        // and the end-to-end sequence number
		c[27] = 1           // type numbers in type negotiation are 2 bytes
		c[37] = 0x20 | 0x02 // big CLR chunks; time zone file version in type negotiation
		return c
	}()
	// serverRuntimeCaps[1]&1: the database time zone is sent in type
	// negotiation.
	serverRuntimeCaps = []byte{2, 1, 0, 0, 0, 0, 0}
)

func capAt(c []byte, i int) byte {
	if i < len(c) {
		return c[i]
	}
	return 0
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

// connectData returns the connect descriptor: in the CONNECT packet, or,
// when longer than fits there, in the DATA packet that follows.
func connectData(c *tnsConn, p *packet) ([]byte, error) {
	n := int(binary.BigEndian.Uint16(p.raw[24:]))
	off := int(binary.BigEndian.Uint16(p.raw[26:]))
	if n > 0 && off+n <= len(p.raw) {
		return p.raw[off : off+n], nil
	}
	q, err := c.read()
	if err != nil {
		return nil, err
	}
	return q.body, nil
}

// refuse answers a CONNECT with REFUSE carrying an ORA code.
func refuse(c *tnsConn, code int) error {
	msg := fmt.Sprintf("(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=%d)(ERROR_STACK=(ERROR=(CODE=%d)(EMFI=4))))", code, code)
	body := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint16(body[2:], uint16(len(msg)))
	copy(body[4:], msg)
	return c.write(packetRefuse, body)
}

// accept answers a CONNECT with ACCEPT for protocol version 315, after
// which packet lengths are 4 bytes. The layout is 41 bytes: go-ora reads
// up to offset 40, node-oracledb also reads the compression flag at 40.
func accept(c *tnsConn, ano bool) error {
	b := make([]byte, 33)
	binary.BigEndian.PutUint16(b[0:], 315)
	binary.BigEndian.PutUint16(b[4:], uint16(c.sdu))
	binary.BigEndian.PutUint16(b[6:], 0xFFFF)
	binary.BigEndian.PutUint16(b[8:], 1)
	binary.BigEndian.PutUint16(b[12:], 41) // accept data offset; no accept data
	if ano {
		b[14], b[15] = 0x01, 0x01 // ANO required
	} else {
		b[14], b[15] = 0x04, 0x04 // ANO disabled
	}
	binary.BigEndian.PutUint32(b[24:], uint32(c.sdu))
	binary.BigEndian.PutUint32(b[28:], 0x200000)
	if err := c.write(packetAccept, b); err != nil {
		return err
	}
	c.wide = true
	return nil
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

func (ss *session) negotiateProtocol() error {
	e := ss.newEncoder()
	e.raw(1, 6, 0)
	e.WriteString("x86_64/Linux 2.4.xx\x00")
	e.raw(0x69, 0x03) // server character set 873 (AL32UTF8), little endian
	e.raw(0x01)       // server flags
	e.raw(0, 0)       // no character set elements
	national := make([]byte, 11)
	binary.BigEndian.PutUint16(national[9:], 2000) // AL16UTF16
	e.raw(0, byte(len(national)))
	e.Write(national)
	e.raw(byte(len(serverCompileCaps)))
	e.Write(serverCompileCaps)
	e.raw(byte(len(serverRuntimeCaps)))
	e.Write(serverRuntimeCaps)
	return ss.send(e)
}

func (ss *session) negotiateDataTypes(msg []byte) error {
	err := ss.parse(msg, func(d *decoder) {
		d.skip(6) // message code, character sets, flags
		ss.clientCaps = append([]byte(nil), d.bytes(int(d.byte()))...)
		ss.clientRT = append([]byte(nil), d.bytes(int(d.byte()))...)
	})
	if err != nil {
		return err
	}
	ss.ttcVersion = min(int(capAt(ss.clientCaps, 7)), int(serverCompileCaps[7]))
	ss.bigChunks = capAt(ss.clientCaps, 37)&0x20 != 0
	e := ss.newEncoder()
	e.raw(2)
	// The database zone (always +00:00 here) and the zone file version
	// are sent only when both sides asked for them.
	if capAt(ss.clientRT, 1)&1 != 0 {
		e.raw(128, 0, 0, 0, 60, 60, 60, 128, 0, 0, 0)
		if capAt(ss.clientCaps, 37)&2 != 0 {
			e.raw(0, 0, 0, 0x20)
		}
	}
	// An empty type list: its terminator is 2 bytes when type numbers are.
	if capAt(ss.clientCaps, 27) != 0 {
		e.raw(0, 0)
	} else {
		e.raw(0)
	}
	return ss.send(e)
}

func (ss *session) closeCursors() {
	for id, c := range ss.cursors {
		c.close()
		delete(ss.cursors, id)
	}
}
