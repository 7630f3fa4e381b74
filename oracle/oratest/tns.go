package oratest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// TNS packet types the server reads or writes.
const (
	packetConnect = 1
	packetAccept  = 2
	packetRefuse  = 4
	packetData    = 6
	packetMarker  = 12
)

// Marker kinds inside a MARKER packet.
const (
	markerBreak = 1
	markerReset = 2
)

// dataFlagEOF in a DATA packet's flags means the client is leaving.
const dataFlagEOF = 0x40

// maxPacket bounds a packet's declared length: a client cannot make the
// server allocate more than this.
const maxPacket = 1 << 22

// packet is one TNS packet.
type packet struct {
	kind      byte
	dataFlags uint16
	raw       []byte // the whole packet, header included
	body      []byte // DATA: after the two flag bytes; others: after the header
}

// tnsConn reads and writes TNS packets on one socket. Writes are
// serialised because a break reply and a row batch may race.
type tnsConn struct {
	nc net.Conn
	br *bufio.Reader
	// wide: packet lengths are 4 bytes (protocol version 315 and later,
	// after ACCEPT).
	wide bool
	sdu  int
	wmu  sync.Mutex
}

func newTNSConn(nc net.Conn) *tnsConn {
	return &tnsConn{nc: nc, br: bufio.NewReaderSize(nc, 1<<16), sdu: 8192}
}

func (c *tnsConn) read() (*packet, error) {
	h := make([]byte, 8)
	if _, err := io.ReadFull(c.br, h); err != nil {
		return nil, err
	}
	var n int
	if c.wide {
		n = int(binary.BigEndian.Uint32(h))
	} else {
		n = int(binary.BigEndian.Uint16(h))
	}
	if n < 8 || n > maxPacket {
		return nil, fmt.Errorf("oratest: packet length %d out of range", n)
	}
	raw := make([]byte, n)
	copy(raw, h)
	if _, err := io.ReadFull(c.br, raw[8:]); err != nil {
		return nil, err
	}
	p := &packet{kind: raw[4], raw: raw, body: raw[8:]}
	if p.kind == packetData {
		if n < 10 {
			return nil, errors.New("oratest: DATA packet without flags")
		}
		p.dataFlags = binary.BigEndian.Uint16(raw[8:])
		p.body = raw[10:]
	}
	return p, nil
}

func (c *tnsConn) write(kind byte, body []byte) error {
	out := make([]byte, 8+len(body))
	if c.wide {
		binary.BigEndian.PutUint32(out, uint32(len(out)))
	} else {
		binary.BigEndian.PutUint16(out, uint16(len(out)))
	}
	out[4] = kind
	copy(out[8:], body)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(out)
	return err
}

// writeData sends one TTC message in DATA packets of at most SDU bytes.
func (c *tnsConn) writeData(msg []byte) error {
	limit := c.sdu - 10
	for first := true; first || len(msg) > 0; first = false {
		n := min(len(msg), limit)
		body := append([]byte{0, 0}, msg[:n]...)
		if err := c.write(packetData, body); err != nil {
			return err
		}
		msg = msg[n:]
	}
	return nil
}

func (c *tnsConn) writeMarker(kind byte) error {
	return c.write(packetMarker, []byte{1, 0, kind})
}
