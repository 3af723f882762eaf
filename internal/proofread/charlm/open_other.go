//go:build !unix

package charlm

import (
	"fmt"
	"os"
)

// Open reads the model file into memory (no mapping on this system).
func Open(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := FromBytes(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
