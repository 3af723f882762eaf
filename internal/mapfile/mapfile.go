// Package mapfile reads the large files a server keeps for its whole life —
// fonts, language models — by mapping them into memory instead of copying
// them onto the heap. Mapped pages are the page cache's: they do not count
// toward the Go heap, so the garbage collector neither scans them nor doubles
// them in its heap goal, and servers on one machine share them.
package mapfile

import (
	"fmt"
	"os"
)

// ReadFile returns the contents of the file at path, mapped where the system
// allows it and read otherwise. The mapping is private: a write to the
// returned bytes changes a copy of the page, never the file, and is never a
// fault. It lives as long as the process: these files are loaded once.
//
// The file must not be truncated while mapped (reading past its new end
// would fault); files are replaced by renaming a new one over them, which
// leaves the mapped one intact.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if !st.Mode().IsRegular() || size == 0 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	b, err := mmap(f, int(size))
	if err != nil {
		// A file system that cannot map (some network mounts) is read.
		b, err = os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return b, nil
}
