package sqlite

import "testing"

// fakeFile stands for the process's file-backed resident memory while
// scans read rows: each row maps perRow more bytes, up to everything the
// files hold; a drop leaves only the program's own text.
type fakeFile struct {
	text, files, perRow, resident, peak int64
	drops                               int
}

func (f *fakeFile) read(rows int64) {
	f.resident = min(f.resident+rows*f.perRow, f.text+f.files)
	f.peak = max(f.peak, f.resident)
}

func (f *fakeFile) governor() *mapGovernor {
	f.resident = f.text
	return &mapGovernor{budget: baseMapBudget,
		resident: func() int64 { return f.resident },
		drop:     func() int { f.drops++; f.resident = f.text; return 1 }}
}

// scan reads rows as a scan does, looking every checkEvery rows.
func (f *fakeFile) scan(g *mapGovernor, rows int64) {
	g.begin()
	for read := int64(0); read < rows; read += checkEvery {
		f.read(checkEvery)
		g.look(checkEvery)
	}
	g.end()
}

func TestMappedPagesAreDroppedOnlyWhenTheScanReadsInOrder(t *testing.T) {
	const text, files = 15 << 20, 400 << 20
	t.Run("in stored order: dropped whenever the budget fills, the peak within a look of it", func(t *testing.T) {
		f := &fakeFile{text: text, files: files, perRow: 200}
		g := f.governor()
		f.scan(g, 2_500_000)
		if f.drops < 5 {
			t.Errorf("%d drops while 2.5M rows mapped %d MB; want one per budget", f.drops, 2_500_000*200>>20)
		}
		if limit := int64(baseMapBudget + checkEvery*200); f.peak > limit {
			t.Errorf("peak %d MB, want at most %d MB", f.peak>>20, limit>>20)
		}
	})
	t.Run("out of order: never dropped, which would make every row fault again", func(t *testing.T) {
		f := &fakeFile{text: text, files: files, perRow: 64 << 10}
		g := f.governor()
		f.scan(g, 2_500_000)
		if f.drops != 0 {
			t.Errorf("%d drops of pages that the next rows map again", f.drops)
		}
		if f.peak != text+files {
			t.Errorf("peak %d MB, want the whole files mapped (%d MB)", f.peak>>20, (text+files)>>20)
		}
	})
	t.Run("the next run starts from the budget again, after one out of order", func(t *testing.T) {
		f := &fakeFile{text: text, files: files, perRow: 64 << 10}
		g := f.governor()
		g.begin() // a scan out of order, still reading
		for range 25 {
			f.read(checkEvery)
			g.look(checkEvery)
		}
		if g.budget <= baseMapBudget {
			t.Fatalf("budget %d MB during a scan out of order; want it raised", g.budget>>20)
		}
		g.end()
		f.resident, f.peak, f.perRow = text, 0, 200 // its connection closed; the next run reads in order
		f.scan(g, 2_500_000)
		if limit := int64(baseMapBudget + checkEvery*200); f.peak > limit || f.drops == 0 {
			t.Errorf("next run: peak %d MB after %d drops, want at most %d MB", f.peak>>20, f.drops, limit>>20)
		}
	})
}
