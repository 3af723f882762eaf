// Package meeting is 办会: meeting kinds and rooms, booking with its room and
// leader conflicts and the nearest free slots, agenda items (议题) approved
// through the route engine, notices and replies (回执), sign-in by a signed
// short-lived URL or the organizer's click, the seating plan, and the
// minutes (纪要) whose decisions (议定事项) become supervision items. It is
// pure: no database, no HTTP; the store carries out what it decides.
package meeting

// Kind is a kind of meeting.
type Kind string

const (
	Standing   Kind = "standing"   // 常委会
	Executive  Kind = "executive"  // 政府常务会
	Topic      Kind = "topic"      // 专题会
	Work       Kind = "work"       // 工作会
	Dispatch   Kind = "dispatch"   // 调度会
	Video      Kind = "video"      // 视频会
	Plenary    Kind = "plenary"    // 全体会
	Coordinate Kind = "coordinate" // 协调会
)

// KindInfo says what a kind of meeting is: its name, who usually attends,
// who may convene it, and whether its agenda is approved before notices go
// out and its minutes (纪要) are drafted.
type KindInfo struct {
	Kind  Kind   `json:"kind"`
	Label string `json:"label"`
	// Convener is who may convene it (召集), in words; Attendees who usually
	// attend.
	Convener  string `json:"convener"`
	Attendees string `json:"attendees"`
	// Agenda: its 议题 are approved through the route before notices go out.
	Agenda bool `json:"agenda"`
	// Minutes: a 纪要 is usually issued.
	Minutes bool `json:"minutes"`
}

var kinds = []KindInfo{
	{Standing, "常委会", "党委书记", "党委常委；列席：人大、政府、政协主要负责人，相关部门负责人", true, true},
	{Executive, "政府常务会", "区长（或受委托的常务副区长）", "区长、副区长、政府办主任；列席：议题汇报单位主要负责人", true, true},
	{Topic, "专题会", "分管领导", "分管领导，相关部门和镇街负责人", true, true},
	{Work, "工作会", "分管领导或办公室", "相关部门和镇街负责人", false, false},
	{Dispatch, "调度会", "分管领导", "相关部门和镇街负责人", false, true},
	{Video, "视频会", "办公室", "视频分会场各单位负责人", false, false},
	{Plenary, "全体会", "主要领导", "全体班子成员，各部门、镇街主要负责人", true, true},
	{Coordinate, "协调会", "分管领导或办公室", "相关单位负责人", false, true},
}

// Kinds lists the kinds of meeting in their usual order.
func Kinds() []KindInfo { return append([]KindInfo(nil), kinds...) }

// Info returns what the kind is.
func (k Kind) Info() (KindInfo, bool) {
	for _, i := range kinds {
		if i.Kind == k {
			return i, true
		}
	}
	return KindInfo{}, false
}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	if i, ok := k.Info(); ok {
		return i.Label
	}
	return string(k)
}
