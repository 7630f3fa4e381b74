package detect

// chunkBits sizes the change store's chunks: 65,536 records, 1 MiB each.
// Chunks never move once full, so the store grows without the copy (and
// the momentary double size) of one growing slice.
const chunkBits = 16

const chunkLen = 1 << chunkBits

// changeChunk holds change records as parallel columns: 16 bytes a record.
type changeChunk struct {
	at   []int64  // Unix nanoseconds
	user []uint32 // user id
	meta []uint32 // source id << 2 | change type index
}

// changeStore is every change event of a run, in arrival order.
type changeStore struct {
	chunks []*changeChunk
	n      int
}

func (s *changeStore) add(at int64, user, meta uint32) {
	if s.n>>chunkBits == len(s.chunks) {
		// The first chunk starts small so that a demo run or a unit test
		// does not pay for a megabyte.
		c := chunkLen
		if len(s.chunks) == 0 {
			c = 64
		}
		s.chunks = append(s.chunks, &changeChunk{at: make([]int64, 0, c), user: make([]uint32, 0, c), meta: make([]uint32, 0, c)})
	}
	c := s.chunks[len(s.chunks)-1]
	c.at = append(c.at, at)
	c.user = append(c.user, user)
	c.meta = append(c.meta, meta)
	s.n++
}

func (s *changeStore) get(i uint32) (at int64, meta uint32) {
	c := s.chunks[i>>chunkBits]
	k := i & (chunkLen - 1)
	return c.at[k], c.meta[k]
}

// Activity flags: which rules an activity record feeds.
const (
	flagOffHours uint8 = 1 << iota
	flagGuestWrite
	flagFailedLogin
)

// activityRec is one activity event that some rule can use; the rest are
// dropped on arrival. Strings are interned ids.
type activityRec struct {
	at         int64 // Unix nanoseconds
	user       uint32
	day        int32 // days since 1970-01-01 in the business zone
	src        uint32
	op, status uint32
	ip         uint32
	flags      uint8
}
