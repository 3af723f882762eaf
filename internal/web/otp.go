package web

import (
	"errors"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 动态口令: a person enrols an authenticator app (TOTP) on their own page,
// and from then on their 签发意见, 拟办意见 and 批示 are signed only with a
// current code (srv.act, store.UnlockSigning). Like the password, it is one's
// own and from a browser session only (access.ChangePassword).

func (srv *Server) otpRoutes() {
	m := srv.mux
	m.HandleFunc("GET /otp", srv.requireLogin(srv.otpPage))
	m.HandleFunc("GET /otp/qr.png", srv.requireLogin(srv.otpQR))
	m.HandleFunc("POST /otp/{op}", srv.requireLogin(srv.otpAction))
}

type otpData struct {
	Status    store.OTPStatus
	Secret    string // pending: the secret as typed into an app
	URL       string // pending: the otpauth:// URL the QR code holds
	NoMaster  bool
	Skew      int
	Failures  int
	LockedFor int // minutes
}

func (srv *Server) renderOTP(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	if !srv.authorize(w, r, access.ChangePassword, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	d := otpData{NoMaster: srv.opt.MasterKey == nil, Failures: account.TOTPMaxFailures, LockedFor: int(account.TOTPLockout / time.Minute)}
	st, err := srv.store.OTPStatusOf(ctx, v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Status = st
	if st.Pending && !d.NoMaster {
		secret, err := srv.store.PendingOTPSecret(ctx, v.Person.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		d.Secret = account.TOTPSecretText(secret)
		d.URL = account.TOTPURL(secret, "枢纽办公", v.Person.Login)
	}
	srv.render(w, r, status, "otp", pageData{Title: "动态口令", Data: d, Notice: msg, Error: errMsg})
}

func (srv *Server) otpPage(w http.ResponseWriter, r *http.Request) {
	srv.renderOTP(w, r, http.StatusOK, "", "")
}

// otpQR is the pending secret's otpauth:// URL as a QR code, for its person
// only, never cached.
func (srv *Server) otpQR(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ChangePassword, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	secret, err := srv.store.PendingOTPSecret(ctx, v.Person.ID)
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	png, err := qrcode.Encode(account.TOTPURL(secret, "枢纽办公", v.Person.Login), qrcode.Medium, 256)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

func (srv *Server) otpAction(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ChangePassword, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	var err error
	msg := ""
	switch r.PathValue("op") {
	case "start":
		_, err = srv.store.StartOTP(ctx, v.Person)
		msg = "已生成密钥：请用手机验证器扫描二维码（或输入密钥），再输入它显示的 6 位口令完成启用。"
	case "confirm":
		err = srv.store.ConfirmOTP(ctx, v.Person, r.PostFormValue("code"))
		msg = "动态口令已启用：今后签发、批示时须输入手机验证器上的口令。"
	case "remove":
		err = srv.store.RemoveOTP(ctx, v.Person, r.PostFormValue("code"))
		msg = "动态口令已停用。"
	default:
		srv.notFound(w, r)
		return
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderOTP(w, r, http.StatusUnprocessableEntity, "", userMessage(err))
		return
	}
	srv.renderOTP(w, r, http.StatusOK, msg, "")
}
