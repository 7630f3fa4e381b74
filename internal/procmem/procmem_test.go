package procmem

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// Memory the process writes counts as anonymous, a file it maps and reads
// as file pages, each where the process's own accounting puts it.
func TestResidentSplitsAnonymousMemoryFromFilePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/statm is Linux's")
	}
	const size = 32 << 20
	anon0, file0 := Resident()
	if anon0 <= 0 || file0 <= 0 {
		t.Fatalf("Resident() = %d, %d before anything: the program's own heap and text are resident", anon0, file0)
	}

	heap := make([]byte, size)
	for i := 0; i < size; i += os.Getpagesize() {
		heap[i] = 1
	}
	anon1, _ := Resident()
	if grew := anon1 - anon0; grew < size/2 {
		t.Errorf("writing %d MB grew anonymous memory by %d MB", size>>20, grew>>20)
	}
	runtime.KeepAlive(heap)

	path := filepath.Join(t.TempDir(), "mapped")
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m) //nolint:errcheck // the test's map, gone with the process
	_, file1 := Resident()
	sum := 0
	for i := 0; i < size; i += os.Getpagesize() {
		sum += int(m[i])
	}
	_, file2 := Resident()
	if grew := file2 - file1; grew < size/2 || sum != 0 {
		t.Errorf("reading a %d MB map grew file pages by %d MB", size>>20, grew>>20)
	}
}
