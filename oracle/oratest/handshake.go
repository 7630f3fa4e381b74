package oratest

import (
	"encoding/binary"
	"fmt"
)

// The listener handshake (CONNECT → ACCEPT or REFUSE) and the protocol
// and data-type negotiation that follow it.

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
