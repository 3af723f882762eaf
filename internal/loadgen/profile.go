// Package loadgen replays a district's working day against a running Shuniu
// server over HTTP, as `shuniu bench load` does: the 8:30 sign-in burst,
// then the peak hour's mix — drafting, the route's steps (签发, 签收, 批办 and
// the others), progress reports, lists (including those of clerks with
// large backlogs), statistics and searches — at a rate scaled by a factor.
// It reports p50/p95/p99 per operation (pages and writes apart), the errors,
// and the server's resident memory.
//
// It needs only the server's address and a password shared by the accounts
// it signs in as (the demo's Demo@2026ql): it reads the organisation through
// the API and signs in as whoever holds the next task, so it works against
// the demo, against a server on PostgreSQL, and against several servers
// sharing one database (requests are spread over the URLs in turn).
package loadgen

import (
	"fmt"
	"time"
)

// Operations, as the report names them.
const (
	OpSignIn = "sign-in 登录"

	OpWorkbench  = "workbench 工作台"
	OpTodo       = "todo list 待办"
	OpBacklog    = "backlog list 大量待办"
	OpDocPage    = "document page 公文"
	OpSearch     = "search 检索"
	OpSupList    = "supervision list 督办"
	OpSupStats   = "statistics 督办统计"
	OpSignForLst = "sign-for list 待签收"
	OpDocAPI     = "document API 公文接口"

	OpDraft = "draft 起草"
	// OpSetupDraft is a draft of the in-trays made before the steady phase,
	// each by a drafter signing in at that moment: set-up, reported apart so
	// that the sign-ins it runs beside do not count against drafting.
	OpSetupDraft = "setup draft 初始起草"
	// OpSetupSignIn is a sign-in before the steady phase (Config.SignedIn).
	OpSetupSignIn = "setup sign-in 预先登录"
	OpSave        = "save version 修改"
	OpSignOff     = "sign off 签发"
	OpSignFor     = "sign for 签收"
	OpInstruct    = "instruct 批办"
	OpStep        = "other route steps 其他环节"
	OpProgress    = "progress report 进展反馈"
)

// writes are the operations that change something; the rest are pages
// (sign-in is its own group: it is bound by password hashing).
var writes = map[string]bool{OpDraft: true, OpSave: true, OpSignOff: true, OpSignFor: true, OpInstruct: true, OpStep: true, OpProgress: true}

// Group is "sign-in", "write" or "page".
func Group(op string) string {
	switch {
	case op == OpSignIn:
		return "sign-in"
	case op == OpSetupDraft, op == OpSetupSignIn:
		return "setup"
	case writes[op]:
		return "write"
	}
	return "page"
}

// Profile is a district's peak hour: how many of each kind of operation its
// people start in that hour. Factor 1 is one such district; factor 10 is ten
// times the rate.
type Profile struct {
	Staff int // people who sign in at 8:30, once each

	Workbench, Todo, Backlog, DocPage, Search, SupList, Stats int // pages per hour
	Draft, Save, Route, Progress                              int // writes per hour
}

// PeakHour is the busiest hour of a district the size of the demo's 清澜区:
// 307 people (4 leading bodies, 20 offices, 49 departments, 16 towns and
// streets), of whom about 90 are office staff (文秘, 办公室主任, 机要员),
// about 60 leaders and 150 handlers and heads of sections. The hour is
// 9:00–10:00, after everyone has signed in:
//
//   - sign-in: all 307 at 8:30 (the burst, run first and as fast as the
//     server takes it, 50 at a time);
//   - 工作台: each person twice an hour (600); 待办 lists once (300); a
//     document opened twice (600); a search by a third of them (120);
//   - the office staff's lists, which hold large backlogs, twice each (180);
//   - 督办: the list by a third of the people (120), the statistics by the
//     leaders and the 督查室 (60), a progress report by one unit in five of
//     the ~100 items in hand… 60 an hour at the weekly deadline;
//   - drafting: one in six of the 150 handlers starts a draft (25) and saves
//     two more versions of drafts (50);
//   - route steps: 400 — each outgoing document takes ten steps (审核, 核稿,
//     会签, 签发, 编号, 复核, 印发, 分发, 归档) and each copy received eight
//     (签收, 登记, 拟办, 批办, 承办, 传阅, 办结, 归档); 25 new drafts with one
//     receiver each are 450 steps an hour in the steady state, so 400 keeps
//     the in-trays full. 签发, 签收 and 批办 are reported apart.
//
// About 2,900 operations an hour, 0.8 a second; "10× peak hour" is 8 a
// second of this mix after 3,070 sign-ins.
var PeakHour = Profile{
	Staff:     307,
	Workbench: 600, Todo: 300, Backlog: 180, DocPage: 600, Search: 120, SupList: 120, Stats: 60,
	Draft: 25, Save: 50, Route: 400, Progress: 60,
}

// kinds are the steady phase's operation kinds with their hourly counts.
func (p Profile) kinds() []kind {
	return []kind{
		{"workbench", p.Workbench}, {"todo", p.Todo}, {"backlog", p.Backlog}, {"docpage", p.DocPage},
		{"search", p.Search}, {"suplist", p.SupList}, {"stats", p.Stats},
		{"draft", p.Draft}, {"save", p.Save}, {"route", p.Route}, {"progress", p.Progress},
	}
}

type kind struct {
	name    string
	perHour int
}

// PerHour is the number of operations of the steady phase in an hour at
// factor 1.
func (p Profile) PerHour() int {
	n := 0
	for _, k := range p.kinds() {
		n += k.perHour
	}
	return n
}

// Describe says what a factor means, for the report.
func (p Profile) Describe(factor float64, d time.Duration) string {
	rate := factor * float64(p.PerHour()) / 3600
	return fmt.Sprintf("%.3g× 高峰时段：登录 %d 次；随后 %.2f 次/秒（每小时 %.0f 次）持续 %s，约 %.0f 次操作",
		factor, int(factor*float64(p.Staff)+0.5), rate, rate*3600, d, rate*d.Seconds())
}
