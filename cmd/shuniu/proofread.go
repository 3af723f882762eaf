package main

import (
	"context"
	"fmt"
)

// runProofread is the `shuniu proofread` subcommand (issue 5). Placeholder until
// internal/proofread lands.
func runProofread(_ context.Context, c *cli) int {
	fmt.Fprintln(c.stderr, "shuniu proofread: 尚未实现")
	return 2
}
