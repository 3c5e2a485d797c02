;;; eglot-session.el --- Emacs 28 + eglot driving plx-lsp, headless (emacs --batch)  -*- lexical-binding: t; -*-
;;
;; Environment: PLX_LSP_CMD (JSON array, default ["plx-lsp"]), PLX_EMACS_OUT (results JSON),
;; PLX_EMACS_FILE (the polyaxonfile to open).
;; Usage: emacs --batch -l eglot-session.el

(require 'package)
(package-initialize)
(require 'json)
(require 'eglot)
(require 'flymake)

;; Emacs 28 has no YAML mode built in: a minimal one is enough for eglot.
(define-derived-mode plx-yaml-mode prog-mode "PlxYAML")
(add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . plx-yaml-mode))

(defvar plx-command
  (let ((cmd (getenv "PLX_LSP_CMD")))
    (if (and cmd (not (string-empty-p cmd))) (append (json-read-from-string cmd) nil) '("plx-lsp"))))
(add-to-list 'eglot-server-programs `(plx-yaml-mode . ,plx-command))
(setq project-find-functions (list (lambda (dir) (cons 'transient dir))))
(setq eglot-sync-connect 20 eglot-connect-timeout 30 eglot-autoshutdown t)

(defvar plx-results (list))
(defun plx-put (key value) (setq plx-results (cons (cons key value) plx-results)))

(defun plx-wait (predicate &optional seconds)
  "Process events until PREDICATE is true or SECONDS pass; return its value."
  (let ((deadline (+ (float-time) (or seconds 20))) (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun plx-position (line character)
  (list :textDocument (eglot--TextDocumentIdentifier) :position (list :line line :character character)))

(condition-case err
    (progn
      (find-file (getenv "PLX_EMACS_FILE"))
      (apply #'eglot (eglot--guess-contact))
      (plx-put 'connected (if (eglot-current-server) t :json-false))
      (plx-wait (lambda () (flymake-diagnostics)))
      (plx-put 'diagnostics
               (vconcat (mapcar (lambda (d)
                                  (list (cons 'message (flymake-diagnostic-text d))
                                        (cons 'line (1- (line-number-at-pos (flymake-diagnostic-beg d))))))
                                (flymake-diagnostics))))
      (let* ((server (eglot-current-server))
             (hover (jsonrpc-request server :textDocument/hover (plx-position 6 7)))
             (completion (jsonrpc-request server :textDocument/completion (plx-position 9 6))))
        (plx-put 'hover (plist-get (plist-get hover :contents) :value))
        (plx-put 'completion (vconcat (mapcar (lambda (item) (plist-get item :label))
                                              (plist-get completion :items))))
        ;; flow style: the empty entry (line 9) becomes `- {git: {url: x, }}`, sent as a change
        (goto-char (point-min))
        (forward-line 9)
        (end-of-line)
        (insert "{git: {url: x, }}")
        (eglot--signal-textDocument/didChange)
        (let ((flow-completion (jsonrpc-request server :textDocument/completion (plx-position 9 21)))
              (flow-hover (jsonrpc-request server :textDocument/hover (plx-position 9 14))))
          (plx-put 'flow_completion (vconcat (mapcar (lambda (item) (plist-get item :label))
                                                     (plist-get flow-completion :items))))
          (plx-put 'flow_hover (plist-get (plist-get flow-hover :contents) :value)))))
  (error (plx-put 'error (format "%S" err))))

(with-temp-file (getenv "PLX_EMACS_OUT") (insert (json-encode plx-results)))
(ignore-errors (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
