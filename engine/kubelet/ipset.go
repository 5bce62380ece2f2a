package kubelet

import "math/bits"

// ipSet is the set of the node's pod CIDR offsets in use, a bit per offset: the lowest free
// one is found a word at a time (a node of 110 pods looks at two words, where a map looked
// up every offset below the free one), and it keeps 8 bytes per 64 addresses.
type ipSet struct {
	words []uint64
	// free: no offset below it is free (the search starts there).
	free uint32
}

func (s *ipSet) has(off uint32) bool {
	w := off / 64
	return int(w) < len(s.words) && s.words[w]&(1<<(off%64)) != 0
}

func (s *ipSet) add(off uint32) {
	w := int(off / 64)
	for len(s.words) <= w {
		s.words = append(s.words, 0)
	}
	s.words[w] |= 1 << (off % 64)
}

func (s *ipSet) remove(off uint32) {
	if w := int(off / 64); w < len(s.words) {
		s.words[w] &^= 1 << (off % 64)
	}
	s.free = min(s.free, off)
}

// take marks the lowest free offset in [lo, last] used and returns it; false when none is.
func (s *ipSet) take(lo, last uint32) (uint32, bool) {
	off := s.lowestFree(lo)
	if off > last {
		return 0, false
	}
	s.add(off)
	s.free = off + 1
	return off, true
}

// lowestFree is the lowest offset from lo that is not in use (beyond the words: free).
func (s *ipSet) lowestFree(lo uint32) uint32 {
	off := max(lo, s.free)
	for w := int(off / 64); w < len(s.words); w++ {
		// The bits below off in its word count as used.
		used := s.words[w]
		if w == int(off/64) {
			used |= 1<<(off%64) - 1
		}
		if used != ^uint64(0) {
			return uint32(w)*64 + uint32(bits.TrailingZeros64(^used))
		}
	}
	return max(off, uint32(len(s.words))*64)
}
