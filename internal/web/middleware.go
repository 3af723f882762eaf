package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyViewer
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (srv *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-ID", id)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(sw, r.WithContext(ctx))
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" || len(r.URL.Path) > 7 && r.URL.Path[:8] == "/static/" {
			level = slog.LevelDebug
		}
		srv.log.Log(ctx, level, "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration_ms", time.Since(start).Milliseconds(), "ip", clientIP(r))
	})
}

func (srv *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				srv.log.Error("panic", "request_id", requestID(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, "服务器内部错误，请稍后重试", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (srv *Server) withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	hashes   prometheus.Counter
	hashWait prometheus.Histogram
	hashRun  prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shuniu_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "shuniu_http_request_duration_seconds", Help: "HTTP request duration by route.", Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5}}, []string{"route"}),
	}
	m.hashes = prometheus.NewCounter(prometheus.CounterOpts{Name: "shuniu_password_hashes_total", Help: "Password hashes and verifications run (argon2id), including those for unknown logins."})
	m.hashWait = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "shuniu_password_hash_wait_seconds", Help: "Time a password hash waited for a free slot.", Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5}})
	m.hashRun = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "shuniu_password_hash_seconds", Help: "Time a password hash ran.", Buckets: []float64{.005, .01, .02, .05, .1, .25, .5}})
	reg.MustRegister(m.requests, m.duration, m.hashes, m.hashWait, m.hashRun)
	return m
}

func (m *metrics) observeHash(wait, run time.Duration) {
	m.hashes.Inc()
	m.hashWait.Observe(wait.Seconds())
	m.hashRun.Observe(run.Seconds())
}

func (srv *Server) withMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		start := time.Now()
		next.ServeHTTP(sw, r)
		// Ask the mux which pattern matched: a label per route, not per URL.
		_, route := srv.mux.Handler(r)
		if route == "" {
			route = "unmatched"
		}
		srv.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		srv.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// clientIP is the peer address. X-Forwarded-For is not trusted: a deployment
// behind a proxy should set the proxy to overwrite X-Real-IP, which is honoured
// only from loopback.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if real := r.Header.Get("X-Real-IP"); real != "" && net.ParseIP(real) != nil {
			return real
		}
	}
	return host
}
