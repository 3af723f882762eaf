package route

// NoticeKind is why someone is told of a route operation.
type NoticeKind string

const (
	NoticeTask      NoticeKind = "task"     // a new task (交接 to the assignee)
	NoticeReturned  NoticeKind = "return"   // work sent back (退回) to the assignee
	NoticeForwarded NoticeKind = "forward"  // work passed on (转办) to the assignee
	NoticeUrged     NoticeKind = "urge"     // 催办 of the assignee's open task
	NoticeWithdrawn NoticeKind = "withdraw" // the assignee's task taken back (撤回)
	NoticeDisagreed NoticeKind = "disagree" // an opinion against (不同意), told to the starter
	NoticeClosed    NoticeKind = "close"    // the route is finished (办结), told to the starter
)

// Notice is one thing a route operation must tell someone: the store resolves
// To to people and writes each a message in the same transaction as the
// operation. Actor did it; the store never tells the actor of their own act.
type Notice struct {
	Kind      NoticeKind
	Seq       int // the event it comes from: with the instance and the person, the message's key
	Task      int
	To        Assignee
	Step      string // the step's name
	Actor     string
	Comment   string
	ToStarter bool // To is the instance's starter
}

// Notices says who must be told of the events of one operation (or of a
// start): every task handed over (as a return or a forward when that is what
// opened it), every 催办, every withdrawn task, every disagreement and the
// route's close. Pure: the route state and the events decide it.
func Notices(in Instance, events []Event) []Notice {
	var out []Notice
	var cause *Event // the event that opens the handovers that follow it
	for i := range events {
		e := events[i]
		switch e.Type {
		case EvReturn, EvForward, EvAddReviewer, EvWithdraw, EvApprove, EvDisagree, EvStart:
			cause = &events[i]
		}
		switch e.Type {
		case EvHandover:
			if e.To == nil {
				continue
			}
			if e.To.Kind == Person && e.To.Person == e.Actor {
				continue // handed to oneself: nothing to tell
			}
			n := Notice{Kind: NoticeTask, Seq: e.Seq, Task: e.Task, To: *e.To, Step: e.StepName, Actor: e.Actor}
			if cause != nil {
				switch cause.Type {
				case EvReturn:
					n.Kind, n.Comment = NoticeReturned, cause.Comment
				case EvForward:
					n.Kind, n.Comment = NoticeForwarded, cause.Comment
				case EvAddReviewer, EvApprove, EvDisagree:
					n.Comment = cause.Comment
				}
				if cause.OnBehalfOf != "" && cause.Actor == e.Actor {
					n.Actor = cause.OnBehalfOf
				}
			}
			out = append(out, n)
		case EvUrge:
			if e.To != nil {
				out = append(out, Notice{Kind: NoticeUrged, Seq: e.Seq, Task: e.Task, To: *e.To, Step: e.StepName, Actor: e.Actor, Comment: e.Comment})
			}
		case EvWithdraw:
			for _, t := range in.Tasks {
				if t.Status == Withdrawn && t.CloseTxn == in.Txn {
					out = append(out, Notice{Kind: NoticeWithdrawn, Seq: e.Seq, Task: t.ID, To: t.Assignee,
						Step: in.Template.Steps[t.Step].Name, Actor: e.Actor, Comment: e.Comment})
				}
			}
		case EvDisagree:
			if in.Starter != "" {
				out = append(out, Notice{Kind: NoticeDisagreed, Seq: e.Seq, Task: e.Task, To: Assignee{Kind: Person, Person: in.Starter},
					Step: e.StepName, Actor: actorOf(e), Comment: e.Comment, ToStarter: true})
			}
		case EvComplete:
			if in.Starter != "" {
				out = append(out, Notice{Kind: NoticeClosed, Seq: e.Seq, To: Assignee{Kind: Person, Person: in.Starter},
					Step: e.StepName, Actor: e.Actor, ToStarter: true})
			}
		}
	}
	return out
}

// actorOf is who an event speaks for: the leader acted for under a
// delegation, else the actor.
func actorOf(e Event) string {
	if e.OnBehalfOf != "" {
		return e.OnBehalfOf
	}
	return e.Actor
}
