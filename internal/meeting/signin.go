package meeting

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// TokenLife is how long a sign-in URL stays good: the QR code on the screen
// at the door is redrawn well within it, so a photo of it is soon useless.
const TokenLife = 10 * time.Minute

// SignInOpens is how long before the start sign-in opens.
const SignInOpens = time.Hour

// SignInToken is the signed part of a meeting's sign-in URL, good until
// exp: the expiry and an HMAC-SHA256 over the meeting and the expiry under
// the meeting's own secret.
func SignInToken(secret []byte, meetingID string, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 36)
	return e + "." + base64.RawURLEncoding.EncodeToString(signMAC(secret, meetingID, e))
}

func signMAC(secret []byte, meetingID, exp string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("shuniu-meeting-signin\x00" + meetingID + "\x00" + exp))
	return h.Sum(nil)[:18]
}

// ParseSignInToken splits a token into its expiry and MAC; it says nothing
// of whether they are good.
func ParseSignInToken(tok string) (exp time.Time, mac []byte, err error) {
	e, m, ok := strings.Cut(tok, ".")
	if !ok || len(e) == 0 || len(e) > 13 || len(m) != 24 {
		return time.Time{}, nil, refuse("签到二维码无效，请重新扫码")
	}
	sec, err := strconv.ParseInt(e, 36, 64)
	if err != nil || sec <= 0 || sec > 1<<40 {
		return time.Time{}, nil, refuse("签到二维码无效，请重新扫码")
	}
	// The decoder skips line breaks; a token has none.
	if strings.ContainsFunc(m, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_')
	}) {
		return time.Time{}, nil, refuse("签到二维码无效，请重新扫码")
	}
	mac, err = base64.RawURLEncoding.DecodeString(m)
	if err != nil || len(mac) != 18 {
		return time.Time{}, nil, refuse("签到二维码无效，请重新扫码")
	}
	return time.Unix(sec, 0), mac, nil
}

// CheckSignInToken reports whether tok is a good sign-in token of the
// meeting at now: made with its secret, not expired, and not dated further
// ahead than TokenLife (a token is never made for longer).
func CheckSignInToken(secret []byte, meetingID, tok string, now time.Time) error {
	exp, mac, err := ParseSignInToken(tok)
	if err != nil {
		return err
	}
	e, _, _ := strings.Cut(tok, ".")
	if !hmac.Equal(mac, signMAC(secret, meetingID, e)) {
		return refuse("签到二维码无效，请重新扫码")
	}
	if !now.Before(exp) {
		return refuse("签到二维码已过期，请扫描现场最新的二维码")
	}
	if exp.Sub(now) > TokenLife+time.Minute {
		return refuse("签到二维码无效，请重新扫码")
	}
	return nil
}

// SignInOpen reports whether sign-in is open at now: from SignInOpens
// before the start to the end.
func (m *Meeting) SignInOpen(now time.Time) error {
	switch {
	case m.Status == Cancelled:
		return refuse("会议已取消")
	case m.Status != Noticed:
		return refuse("会议通知尚未发出，不能签到")
	case now.Before(m.Start.Add(-SignInOpens)):
		return refuse("签到在会议开始前 %d 分钟开放", int(SignInOpens/time.Minute))
	case !now.Before(m.End):
		return refuse("会议已经结束，不能签到")
	}
	return nil
}

// SignIn records that the person is here: by the QR URL on their own phone
// (via "qr", by themselves) or by the organizer's click (via "click").
func (m *Meeting) SignIn(a route.Actor, personID, via string, now time.Time) error {
	if err := m.SignInOpen(now); err != nil {
		return err
	}
	iv, ok := m.Invitee(personID)
	if !ok {
		return refuse("您不在本次会议的参会名单中")
	}
	switch via {
	case "qr":
		if a.ID != personID {
			return refuse("扫码签到只能为本人签到")
		}
	case "click":
		if !m.Organizes(a) {
			return refuse("只有办会单位可以代为签到")
		}
	default:
		return refuse("未知的签到方式")
	}
	if !iv.SignedIn.IsZero() {
		return refuse("已经签到（%s）", iv.SignedIn.In(calendar.Shanghai()).Format("15:04"))
	}
	iv.SignedIn, iv.SignedBy, iv.SignedVia = now, a.ID, via
	m.UpdatedAt = now
	return nil
}

// Figures are a meeting's answers and attendance.
type Figures struct {
	Invited    int `json:"invited"`
	Answered   int `json:"answered"`
	Attend     int `json:"attend"`
	Substitute int `json:"substitute"`
	Absent     int `json:"absent"`
	Unanswered int `json:"unanswered"`
	SignedIn   int `json:"signed_in"`
	Late       int `json:"late"`    // signed in after the start
	Missing    int `json:"missing"` // expected (attends or sends someone) and not signed in, once it has started
}

// Figures counts the replies and sign-ins at now.
func (m *Meeting) Figures(now time.Time) Figures {
	f := Figures{Invited: len(m.Invitees)}
	for _, iv := range m.Invitees {
		if iv.Reply == nil {
			f.Unanswered++
		} else {
			f.Answered++
			switch iv.Reply.Answer {
			case Attend:
				f.Attend++
			case Substitute:
				f.Substitute++
			case Absent:
				f.Absent++
			}
		}
		switch {
		case !iv.SignedIn.IsZero():
			f.SignedIn++
			if iv.SignedIn.After(m.Start) {
				f.Late++
			}
		case now.After(m.Start) && (iv.Reply == nil || iv.Reply.Answer != Absent):
			f.Missing++
		}
	}
	return f
}
