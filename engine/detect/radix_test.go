package detect

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// randomKey draws keys that differ in a few low bits, in the top bits, or
// in every bit, so that the radix sort skips some digits and not others.
func randomKey(rng *rand.Rand, spread int) uint64 {
	switch spread {
	case 0:
		return 1<<40 + rng.Uint64N(8)
	case 1:
		return rng.Uint64N(4)<<62 | rng.Uint64N(3)<<30 | rng.Uint64N(2)
	}
	return rng.Uint64()
}

// The radix sort orders by key or by tag and keeps the arrival order of
// equal keys, whichever digits the keys differ in.
func TestRadixSortIsStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, 2, 7, 300, 5000} {
		for spread := range 3 {
			for _, byTag := range []bool{false, true} {
				t.Run(fmt.Sprintf("%d items spread %d byTag %v", n, spread, byTag), func(t *testing.T) {
					items := make([]sortItem, n)
					for i := range items {
						k := randomKey(rng, spread)
						items[i] = sortItem{key: k, tag: int32(k), i: uint32(i)}
					}
					want := slices.Clone(items)
					slices.SortStableFunc(want, func(x, y sortItem) int {
						if byTag {
							return cmp.Compare(x.tag, y.tag)
						}
						return cmp.Compare(x.key, y.key)
					})
					got, spare := radixSort(slices.Clone(items), make([]sortItem, n), byTag)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("radixSort differs from a stable sort:\n got %v\nwant %v", got, want)
					}
					if n > 0 && &spare[0] == &got[0] {
						t.Fatal("the spare scratch is the sorted slice")
					}
				})
			}
		}
	}
}

// sortByUserDay's groups and order are those of a comparison sort by user,
// day, time and arrival, for numeric and textual users, days either side
// of 1970 and instants either side of it.
func TestSortByUserDayMatchesComparisonSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	for run := range 200 {
		n := rng.IntN(400)
		a := &Accumulator{activity: make([]activityRec, n)}
		users := []uint64{5, 6, 1<<32 + 1, textual, textual | 3, 999_999_999_999}
		for i := range a.activity {
			at := rng.Int64N(1e15) - 5e14
			if rng.IntN(4) == 0 {
				at = int64(rng.IntN(3)) // ties in time
			}
			a.activity[i] = activityRec{user: users[rng.IntN(len(users))], at: at, day: int32(rng.IntN(5) - 2)}
		}
		// Some records are left out, as a rule takes a subset.
		var idx []uint32
		for i := range n {
			if rng.IntN(5) != 0 {
				idx = append(idx, uint32(i))
			}
		}
		for _, byDay := range []bool{false, true} {
			t.Run(fmt.Sprintf("run %d byDay %v", run, byDay), func(t *testing.T) {
				day := func(i uint32) int32 {
					if byDay {
						return a.activity[i].day
					}
					return 0
				}
				want := slices.Clone(idx)
				slices.SortFunc(want, func(x, y uint32) int {
					rx, ry := &a.activity[x], &a.activity[y]
					return cmp.Or(cmp.Compare(rx.user, ry.user), cmp.Compare(day(x), day(y)), cmp.Compare(rx.at, ry.at), cmp.Compare(x, y))
				})
				var wantGroups []userGroup
				for k, i := range want {
					if k == 0 || a.activity[i].user != a.activity[want[k-1]].user || day(i) != day(want[k-1]) {
						if k > 0 {
							wantGroups[len(wantGroups)-1].end = uint32(k)
						}
						wantGroups = append(wantGroups, userGroup{first: a.activity[i].at, user: a.activity[i].user})
					}
				}
				if len(want) > 0 {
					wantGroups[len(wantGroups)-1].end = uint32(len(want))
				}
				got := slices.Clone(idx)
				groups := a.sortByUserDay(got, byDay)
				if !slices.Equal(got, want) || !slices.Equal(groups, wantGroups) {
					t.Fatalf("got %v groups %v\nwant %v groups %v", got, groups, want, wantGroups)
				}
			})
		}
	}
}

// alertOrder places alerts as a comparison sort by severity (worst first),
// first seen, user, rule and number does, ties included.
func TestAlertOrderMatchesComparisonSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 8))
	rules := []Rule{RuleTakeover, RuleBruteForce, RuleOffHours, RuleRoleViolation}
	for run := range 200 {
		n := rng.IntN(300)
		keys := make([]alertKey, n)
		users, rulesOf := make([]string, n), make([]Rule, n)
		for i := range keys {
			first := rng.Int64() - 1<<62
			if rng.IntN(2) == 0 {
				first = int64(rng.IntN(4)) - 2
			}
			keys[i] = alertKey{first: first, sev: Severity(1 + rng.IntN(4)), i: int32(i)}
			users[i], rulesOf[i] = fmt.Sprint("u", rng.IntN(3)), rules[rng.IntN(len(rules))]
		}
		user := func(i int32) string { return users[i] }
		rule := func(i int32) Rule { return rulesOf[i] }
		sorted := slices.Clone(keys)
		slices.SortFunc(sorted, func(a, b alertKey) int {
			return cmp.Or(cmp.Compare(b.sev, a.sev), cmp.Compare(a.first, b.first), strings.Compare(user(a.i), user(b.i)),
				strings.Compare(string(rule(a.i)), string(rule(b.i))), cmp.Compare(a.i, b.i))
		})
		want := make([]int32, n)
		for p, k := range sorted {
			want[k.i] = int32(p)
		}
		if got := alertOrder(keys, user, rule); !slices.Equal(got, want) {
			t.Fatalf("run %d: got %v, want %v", run, got, want)
		}
	}
}
