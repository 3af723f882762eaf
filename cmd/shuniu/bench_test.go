package main

import (
	"strings"
	"testing"
)

func TestBenchUsage(t *testing.T) {
	if code, _, errs := run(t, nil, "bench"); code != 2 || !strings.Contains(errs, "bench load") {
		t.Errorf("bench: %d %q", code, errs)
	}
	if code, _, errs := run(t, nil, "bench", "load", "--factor", "0", "--url", "http://127.0.0.1:1"); code != 1 || !strings.Contains(errs, "--factor") {
		t.Errorf("bench load --factor 0: %d %q", code, errs)
	}
}
