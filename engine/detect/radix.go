package detect

// radixBits is the width of a radix sort's digit: its 256 counters, and
// the 256 places a pass writes to, stay in the level 1 cache.
const radixBits = 8

// sortItem is a record's or an alert's number and what it is sorted by: a
// key and a tag, the radix sort's two keys, and an instant.
type sortItem struct {
	key uint64
	at  int64
	i   uint32
	tag int32
}

// radixKey is the item's key, or its tag (in the same order) when byTag.
func (s *sortItem) radixKey(byTag bool) uint64 {
	if byTag {
		return signedKey(int64(s.tag))
	}
	return s.key
}

// radixSort sorts items by key (or by tag, when byTag), least significant
// digit first, stably: items of one key keep their order. Digits in which
// every key agrees are skipped, so a pass is made only per digit the keys
// differ in. buf is scratch of at least len(items); the sorted items are
// returned, in items or in buf, with the other as spare scratch for a
// further sort.
//
// The findings sort a few hundred thousand records and alerts by integer
// keys: a comparison sort made ~18 comparisons of each, through a function
// call and a branch the processor cannot predict; a pass here is two
// sequential reads of each item and a write to its digit's next place.
func radixSort(items, buf []sortItem, byTag bool) (sorted, spare []sortItem) {
	if len(items) < 2 {
		return items, buf
	}
	var diff uint64
	first := items[0].radixKey(byTag)
	for i := range items {
		diff |= items[i].radixKey(byTag) ^ first
	}
	src, dst := items, buf[:len(items)]
	const digits = 1 << radixBits
	for shift := uint(0); shift < 64; shift += radixBits {
		if diff>>shift&(digits-1) == 0 {
			continue
		}
		var at [digits]uint32
		for i := range src {
			at[src[i].radixKey(byTag)>>shift&(digits-1)]++
		}
		sum := uint32(0)
		for d, n := range at {
			at[d] = sum
			sum += n
		}
		for i := range src {
			d := src[i].radixKey(byTag) >> shift & (digits - 1)
			dst[at[d]] = src[i]
			at[d]++
		}
		src, dst = dst, src
	}
	return src, dst
}

// signedKey maps an int64 to a uint64 of the same order.
func signedKey(v int64) uint64 { return uint64(v) ^ 1<<63 }
