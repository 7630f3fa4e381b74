package oratest

import (
	"fmt"
	"time"
)

// fetch answers a fetch call: a batch of up to the requested rows.
func (ss *session) fetch(msg []byte) error {
	var id, n int
	if err := ss.parse(msg, func(d *decoder) { d.skip(3); id = d.count(); n = d.count() }); err != nil {
		return err
	}
	c := ss.cursors[id]
	if c == nil {
		return ss.replyError(oraInvalidCursor, id)
	}
	delay := ss.srv.opts.FetchDelay
	for _, f := range c.faults {
		if f.Kind == SlowFetch {
			delay += f.Delay
		}
	}
	if delay > 0 {
		if done, err := ss.wait(delay); !done {
			return err
		}
	}
	e := ss.newEncoder()
	sent, err := ss.rows(e, c, n)
	ss.srv.record.addFetch(Fetch{Session: ss.id, Cursor: id, Requested: n, Rows: sent})
	return err
}

// rows appends a row header, up to n rows and the end-of-call message
// (ORA-01403 after the last row), and sends the reply, applying the
// cursor's stall and drop faults. It returns how many rows it sent.
func (ss *session) rows(e *encoder, c *cursor, n int) (int, error) {
	for _, f := range c.faults {
		switch f.Kind {
		case StallFetch:
			if c.sent >= f.AfterRows {
				ss.srv.logf("session %d: stalling cursor %d after %d rows", ss.id, c.id, c.sent)
				_, err := ss.wait(24 * time.Hour)
				return 0, err
			}
			n = min(n, f.AfterRows-c.sent)
		case DropFetch:
			if c.sent+n > f.AfterRows {
				rows, _, err := c.batch(f.AfterRows - c.sent)
				if err != nil {
					return 0, err
				}
				rowHeader(e, len(rows))
				for _, row := range rows {
					writeRow(e, row)
				}
				// Half a reply, then the socket closes.
				_ = ss.conn.writeData(e.Bytes()[:e.Len()/2])
				ss.srv.logf("session %d: dropping the connection after %d rows", ss.id, c.sent)
				return 0, ss.conn.nc.Close()
			}
		}
	}
	rows, end, err := c.batch(n)
	if err != nil {
		e.Reset()
		ss.errorMessage(e, errorCode(err), errorText(err), c.id, c.sent)
		return 0, ss.send(e)
	}
	rowHeader(e, len(rows))
	for _, row := range rows {
		writeRow(e, row)
	}
	if end {
		ss.oraError(e, oraNoData, c.id, c.sent)
	} else {
		ss.status(e, c.id, c.sent)
	}
	return len(rows), ss.send(e)
}

func writeRow(e *encoder, row [][]byte) {
	e.raw(msgRowData)
	for _, v := range row {
		e.clr(v)
	}
}

// wait lets d pass unless the client breaks or goes first. It returns
// true when d passed; after a break it has answered ORA-01013.
func (ss *session) wait(d time.Duration) (bool, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true, nil
	case p, ok := <-ss.in:
		if !ok {
			return false, ss.goneErr()
		}
		if p.kind != packetMarker {
			return false, fmt.Errorf("packet type %d during a call", p.kind)
		}
		return false, ss.answerBreak()
	}
}

// answerBreak runs the break exchange: break marker, the client's reset,
// reset marker, then ORA-01013 for the interrupted call.
func (ss *session) answerBreak() error {
	ss.srv.record.addBreak(ss.id)
	ss.srv.logf("session %d: break", ss.id)
	if err := ss.conn.writeMarker(markerBreak); err != nil {
		return err
	}
	for {
		p := ss.next()
		if p == nil {
			return ss.goneErr()
		}
		if p.kind == packetMarker && len(p.body) >= 3 && p.body[2] == markerReset {
			break
		}
	}
	if err := ss.conn.writeMarker(markerReset); err != nil {
		return err
	}
	return ss.replyError(oraCancelled, 0)
}
