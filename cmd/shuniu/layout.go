package main

import (
	"context"
	"fmt"
)

// runLayout is the `shuniu layout` subcommand (issue 6). Placeholder until
// internal/layout lands.
func runLayout(_ context.Context, c *cli) int {
	fmt.Fprintln(c.stderr, "shuniu layout: 尚未实现")
	return 2
}
