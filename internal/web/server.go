// Package web turns HTTP into calls on the domain and the store, and results
// into server-rendered pages (html/template + htmx) and JSON (/api/v1).
package web

import (
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
)

//go:embed static
var staticFS embed.FS

// Options configure a server.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks cookies Secure. Turn it on behind HTTPS; the server
	// also sets it on its own when the request arrived over TLS.
	SecureCookies bool
	// Version is shown in the footer and /healthz.
	Version string
	// DemoLogins, when set, are shown on the login page (demo mode only).
	DemoLogins []DemoLogin
	// WorkSources fill the workbench; each module adds its own.
	WorkSources []WorkSource
	// DataDir holds attachments (content-addressed, under files/).
	DataDir string
	// Proofreader is the process's proofreader (loaded once; the
	// deployment's settings are applied per request with Checker.With).
	// Nil switches proofreading off: the pages and the API say so.
	Proofreader *proofread.Checker
	// Renderer typesets documents and forms for printing; nil when the
	// fonts could not be loaded, and RendererErr then says why.
	Renderer    *layout.Renderer
	RendererErr error
	// MasterKey wraps the keys kept in the database (the seals' private
	// keys). It is read from a file outside the database; nil turns seal
	// registration off.
	MasterKey *gmcrypto.MasterKey
	// HashSlots bounds how many password hashes this process runs at once
	// (sign-ins, password changes); 0 means one per core (GOMAXPROCS).
	HashSlots int
}

// DemoLogin is one demo account shown on the login page.
type DemoLogin struct{ Login, Password, Name, Role, Unit string }

// Server is the web application.
type Server struct {
	store    *store.Store
	log      *slog.Logger
	opt      Options
	pages    *pages
	mux      *routeMux
	metrics  *metrics
	reg      *prometheus.Registry
	supFacts store.SupFactCache // the supervision statistics' facts, refreshed from the store
	hasher   *account.Hasher    // bounds concurrent argon2id work in this process
	proof    proofLayer         // what the proofreader learnt from this deployment
}

// New builds a server on an open store.
func New(s *store.Store, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := &Server{store: s, log: opt.Logger, opt: opt, pages: pg, mux: &routeMux{ServeMux: http.NewServeMux()}, metrics: newMetrics(reg), reg: reg}
	slots := opt.HashSlots
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	srv.hasher = account.NewHasher(slots)
	srv.hasher.OnHash = srv.metrics.observeHash
	// Documents and supervision fill the workbench themselves, so callers need not wire them.
	srv.opt.WorkSources = append(slices.Clip(opt.WorkSources), docWork{srv}, supWork{srv}, reqWork{srv}, infoWork{srv})
	srv.routes()
	return srv, nil
}

// MetricsHandler serves the Prometheus metrics. It is not on the public
// handler: the per-route counts tell an outsider what the office does, so
// the command serves them on their own, loopback-only address by default
// (--metrics-addr).
func (srv *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(srv.reg, promhttp.HandlerOpts{}))
	return mux
}

// Handler is the server's root handler with every middleware applied.
func (srv *Server) Handler() http.Handler {
	return srv.withRequestID(srv.withRecover(srv.withSecurityHeaders(srv.withMetrics(srv.withCalendar(srv.withSession(srv.withInput(srv.mux)))))))
}

func (srv *Server) routes() {
	m := srv.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	m.HandleFunc("GET /healthz", srv.healthz)

	m.HandleFunc("GET /login", srv.loginPage)
	m.HandleFunc("POST /login", srv.loginSubmit)
	m.HandleFunc("POST /logout", srv.logout)
	m.HandleFunc("GET /password", srv.requireLogin(srv.passwordPage))
	m.HandleFunc("POST /password", srv.requireLogin(srv.passwordSubmit))

	m.HandleFunc("GET /{$}", srv.requireLogin(srv.home))
	m.HandleFunc("GET /workbench", srv.requireLogin(srv.workbench))

	m.HandleFunc("GET /org", srv.requireLogin(srv.orgPage))
	m.HandleFunc("GET /org/units/new", srv.requireLogin(srv.unitForm))
	m.HandleFunc("GET /org/units/{id}/edit", srv.requireLogin(srv.unitForm))
	m.HandleFunc("POST /org/units", srv.requireLogin(srv.unitSave))
	m.HandleFunc("POST /org/units/{id}/delete", srv.requireLogin(srv.unitDelete))
	m.HandleFunc("GET /org/units/{id}/routes/{kind}", srv.requireLogin(srv.routesPage))
	m.HandleFunc("POST /org/units/{id}/routes/{kind}", srv.requireLogin(srv.routesSave))
	m.HandleFunc("GET /org/units/{id}/series", srv.requireLogin(srv.seriesPage))
	m.HandleFunc("POST /org/units/{id}/series", srv.requireLogin(srv.seriesSave))
	m.HandleFunc("GET /api/v1/units/{id}/series", srv.requireLogin(srv.apiSeries))
	m.HandleFunc("GET /people/new", srv.requireLogin(srv.personNew))
	m.HandleFunc("POST /people", srv.requireLogin(srv.personCreate))
	m.HandleFunc("GET /people/{id}", srv.requireLogin(srv.personPage))
	m.HandleFunc("POST /people/{id}", srv.requireLogin(srv.personUpdate))
	m.HandleFunc("POST /people/{id}/positions", srv.requireLogin(srv.personPositions))
	m.HandleFunc("POST /people/{id}/roles", srv.requireLogin(srv.personRoles))
	m.HandleFunc("POST /people/{id}/clearance", srv.requireLogin(srv.personClearance))
	m.HandleFunc("POST /people/{id}/account", srv.requireLogin(srv.personAccount))
	m.HandleFunc("POST /people/{id}/oversight", srv.requireLogin(srv.personOversight))
	m.HandleFunc("POST /people/{id}/delegations", srv.requireLogin(srv.personDelegation))

	m.HandleFunc("GET /security/policy", srv.requireLogin(srv.policyPage))
	m.HandleFunc("POST /security/policy", srv.requireLogin(srv.policySave))
	m.HandleFunc("GET /security/grants", srv.requireLogin(srv.grantsPage))
	m.HandleFunc("POST /security/grants", srv.requireLogin(srv.grantAdd))
	m.HandleFunc("POST /security/grants/{id}/revoke", srv.requireLogin(srv.grantRevoke))

	m.HandleFunc("GET /audit", srv.requireLogin(srv.auditPage))
	m.HandleFunc("POST /audit/verify", srv.requireLogin(srv.auditVerify))

	m.HandleFunc("GET /tokens", srv.requireLogin(srv.tokensPage))
	m.HandleFunc("POST /tokens", srv.requireLogin(srv.tokenCreate))
	m.HandleFunc("POST /tokens/{id}/revoke", srv.requireLogin(srv.tokenRevoke))

	srv.proofreadRoutes()
	srv.printRoutes()
	srv.sendRoutes()
	srv.docRoutes()
	srv.archiveRoutes()
	srv.supRoutes()
	srv.calendarRoutes()
	srv.sealRoutes()
	srv.dutyRoutes()
	srv.requestRoutes()
	srv.reqESealRoutes()
	srv.evalRoutes()
	srv.plannerRoutes()
	srv.apiRoutes()
	// New areas register last: the fuzz corpus names routes by their index.
	srv.meetingRoutes()
	srv.meetingStatsRoutes()
	srv.infoRoutes()
	srv.searchRoutes()
	srv.researchRoutes()
	srv.studyRoutes()
	srv.otpRoutes()
	srv.precedentRoutes()
}

// routeMux is the server's ServeMux, remembering every pattern registered:
// http.ServeMux cannot list them, and the authorization matrix test walks
// them all, so that a route added without an entry there fails it.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := srv.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","store":%q}`, srv.store.Dialect().String())
		return
	}
	fmt.Fprintf(w, `{"status":"ok","store":%q,"version":%q}`, srv.store.Dialect().String(), srv.opt.Version)
}

// Serve runs the server on addr until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	return serve(ctx, addr, nil, h, log, ready)
}

// ServeTLS is Serve over TLS with the certificate and key in the PEM files
// given (TLS 1.2 at least). A 国密 TLCP (GB/T 38636) endpoint is not served
// here: a 国密 gateway or a 国密 build of nginx/Tengine terminates TLCP in
// front (docs/security.md).
func ServeTLS(ctx context.Context, addr, certFile, keyFile string, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("TLS 证书或私钥无法读取：%w", err)
	}
	return serve(ctx, addr, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, h, log, ready)
}

func serve(ctx context.Context, addr string, tlsConfig *tls.Config, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	return serveOn(ctx, ln, tlsConfig, h, log)
}

// Listen opens a listener on addr ("host:0" picks a free port).
func Listen(addr string) (net.Listener, error) { return listen(addr) }

// ServeOn serves h (plain HTTP) on an open listener until ctx is cancelled,
// then shuts down gracefully.
func ServeOn(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return serveOn(ctx, ln, nil, h, log)
}

func serveOn(ctx context.Context, ln net.Listener, tlsConfig *tls.Config, h http.Handler, log *slog.Logger) error {
	hs := &http.Server{
		Addr:              ln.Addr().String(),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		TLSConfig:         tlsConfig,
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- hs.ServeTLS(ln, "", "")
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
