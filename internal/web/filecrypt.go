package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Encryption at rest of the files of 秘密 and 机密 documents. New files of
// such a document are written encrypted (uploads, issuedText); a change of
// 密级 queues the document in its transaction (store.FileCryptQueue) and its
// files are converted after the commit: at once by the request that made
// the change (classify), and by ReconcileFiles, which every server runs
// periodically, for whatever that did not finish. A file stays encrypted
// while any 秘密 or 机密 document names it, and is decrypted when none does.

// fileCryptBatch is how many queued documents one ReconcileFiles converts.
const fileCryptBatch = 50

// ReconcileFiles converts the files of up to fileCryptBatch queued
// documents and returns how many it finished. A server without a master key
// does nothing: the queue waits for one that has it.
func (srv *Server) ReconcileFiles(ctx context.Context) (int, error) {
	if srv.opt.MasterKey == nil {
		return 0, nil
	}
	jobs, err := srv.store.FileCryptQueue(ctx, fileCryptBatch)
	if err != nil {
		return 0, err
	}
	done := 0
	var errs []error
	for _, j := range jobs {
		if err := srv.reconcileJob(ctx, j); err != nil {
			errs = append(errs, err)
			continue
		}
		done++
	}
	return done, errors.Join(errs...)
}

// reconcileDoc converts one document's files now, if it is queued.
func (srv *Server) reconcileDoc(ctx context.Context, docID string) {
	if srv.opt.MasterKey == nil {
		return
	}
	j, ok, err := srv.store.FileCryptJobOf(ctx, docID)
	if err == nil && ok {
		err = srv.reconcileJob(ctx, j)
	}
	if err != nil {
		// The document stays queued: ReconcileFiles tries again.
		srv.log.Warn("file encryption", "doc", docID, "err", err)
	}
}

func (srv *Server) reconcileJob(ctx context.Context, j store.FileCryptJob) error {
	bs, err := srv.blobs()
	if err != nil {
		return err
	}
	sums, err := srv.store.DocFileSums(ctx, j.DocID)
	if err != nil {
		return err
	}
	for _, sum := range sums {
		if err := srv.reconcileFile(ctx, bs, sum); err != nil {
			return fmt.Errorf("file %s of %s: %w", sum, j.DocID, err)
		}
	}
	return srv.store.FileCryptDone(ctx, j)
}

// reconcileFile brings one file to the form its documents ask for. It asks
// again after converting: a raise committed while a file was being
// decrypted for a lowering is then caught here, not left in clear.
func (srv *Server) reconcileFile(ctx context.Context, bs *blob.Store, sum string) error {
	for range 3 {
		want, err := srv.store.FileClassified(ctx, sum)
		if err != nil {
			return err
		}
		enc, err := bs.IsEncrypted(sum)
		if errors.Is(err, blob.ErrNotFound) {
			return nil // named but never stored (or collected): nothing to keep
		}
		if err != nil {
			return err
		}
		switch {
		case want == enc:
			return nil
		case want:
			err = bs.Encrypt(sum)
		default:
			err = bs.Decrypt(sum)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fileUnreadable answers a file that is kept encrypted and cannot be opened
// here — no master key, another master key, or changed on disk — with what
// happened, in Chinese, instead of a bare server error. It reports whether
// err was such a failure.
func (srv *Server) fileUnreadable(w http.ResponseWriter, r *http.Request, err error) bool {
	var wrong *gmcrypto.WrongKeyError
	if !errors.Is(err, gmcrypto.ErrNoMasterKey) && !errors.Is(err, gmcrypto.ErrEnvelope) && !errors.As(err, &wrong) {
		return false
	}
	srv.log.Error("encrypted file", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
	msg := "该文件加密保存，无法打开：" + err.Error() + "。请联系系统管理员。"
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusInternalServerError, msg)
		return true
	}
	srv.render(w, r, http.StatusInternalServerError, "error", pageData{Title: "文件无法打开", Error: msg})
	return true
}
