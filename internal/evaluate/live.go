package evaluate

// Measure is one of the "五不让" the office's home page keeps live: a count
// of what is wrong now, each item one click away.
type Measure string

const (
	// NoDelay: 不让领导交办的事项在办公室延误 — supervision items from a
	// leader's 批示 that this office registered, not closed, past their deadline.
	NoDelay Measure = "delay"
	// NoBacklog: 不让文件积压 — this organ's documents with a task past its limit.
	NoBacklog Measure = "backlog"
	// NoError: 不让差错出门 — this organ's outgoing documents signed off and
	// on their way out (编号, 复核, 印发, 分发) with a 批注 still unresolved.
	NoError Measure = "error"
	// NoBrokenHandover: 不让交接断档 — this office's duty handovers not
	// acknowledged by the incoming person.
	NoBrokenHandover Measure = "handover"
)

// Measures lists the measures in display order.
func Measures() []Measure { return []Measure{NoDelay, NoBacklog, NoError, NoBrokenHandover} }

var measureText = map[Measure][2]string{
	NoDelay:          {"不让领导交办的事项在办公室延误", "领导批示交办、本办登记的督办事项中，未办结且已超过办理期限的"},
	NoBacklog:        {"不让文件积压", "本机关公文中有环节超过办理时限仍未办理的"},
	NoError:          {"不让差错出门", "已签发、正在编号复核印发分发的发文中，仍有未处理批注的"},
	NoBrokenHandover: {"不让交接断档", "本办值班交接班中，接班人尚未确认的"},
}

// Label is the measure's slogan.
func (m Measure) Label() string { return measureText[m][0] }

// Counts says what the count counts.
func (m Measure) Counts() string { return measureText[m][1] }

// Valid reports whether m is a known measure.
func (m Measure) Valid() bool { _, ok := measureText[m]; return ok }

// Live is the "五不让" of one office now.
type Live struct {
	Office string          `json:"office"`
	Counts map[Measure]int `json:"counts"`
}

// Clear reports whether every measure is at zero.
func (l Live) Clear() bool {
	for _, n := range l.Counts {
		if n > 0 {
			return false
		}
	}
	return true
}
