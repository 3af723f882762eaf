package main

import (
	"context"
	"fmt"
)

func notYet(name string) func(context.Context, *cli) int {
	return func(_ context.Context, c *cli) int {
		fmt.Fprintf(c.stderr, "shuniu %s: 尚未实现\n", name)
		return 2
	}
}

var (
	runServe   = notYet("serve")
	runDemo    = notYet("demo")
	runMigrate = notYet("migrate")
	runUser    = notYet("user")
	runBackup  = notYet("backup")
	runRestore = notYet("restore")
	runAudit   = notYet("audit")
)
