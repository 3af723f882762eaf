//go:build unix

package charlm

import (
	"fmt"
	"os"
	"syscall"
)

// Open maps the model file into memory read-only: start-up reads only the
// headers, and the pages a check touches are read from disk on demand.
func Open(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() < 16 || fi.Size() > 1<<40 {
		return nil, fmt.Errorf("%s: %w", path, errFormat)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, err := FromBytes(data)
	if err != nil {
		_ = syscall.Munmap(data)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.closer = func() error { return syscall.Munmap(data) }
	return m, nil
}
