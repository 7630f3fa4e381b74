package engine

import "sync"

// emitter queues a run's events without bound and forwards them to a
// channel from its own goroutine, so workers never wait for a slow
// consumer. The channel closes after the last event.
type emitter struct {
	mu     sync.Mutex
	queue  []Event
	closed bool
	wake   chan struct{}
	out    chan Event
}

func newEmitter() *emitter {
	e := &emitter{wake: make(chan struct{}, 1), out: make(chan Event)}
	go e.forward()
	return e
}

// emit queues ev; it never blocks on the consumer.
func (e *emitter) emit(ev Event) {
	e.mu.Lock()
	e.queue = append(e.queue, ev)
	e.mu.Unlock()
	e.signal()
}

// close marks the end of the stream: queued events are still delivered.
func (e *emitter) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.signal()
}

func (e *emitter) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *emitter) forward() {
	for {
		e.mu.Lock()
		batch, closed := e.queue, e.closed
		e.queue = nil
		e.mu.Unlock()
		for _, ev := range batch {
			e.out <- ev
		}
		if closed && len(batch) == 0 {
			close(e.out)
			return
		}
		if len(batch) == 0 {
			<-e.wake
		}
	}
}
