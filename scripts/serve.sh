#!/usr/bin/env bash
# Try the production stack locally: gunicorn (2 gthread workers x 4 threads, as docs/deployment.md
# recommends for 2 cores) + WhiteNoise + one task worker, against PostgreSQL.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/msoic make serve        # or: bash scripts/serve.sh
#   ... make serve SERVE_ARGS=--demo-users                                  # also create the demo accounts
#
# Production settings, with safe values for a plain-HTTP trial on loopback filled in for anything unset
# (a fresh secret key each run, loopback hosts and links, no HTTPS redirect, non-Secure cookies, email
# to files).
# A real server sets every variable itself: see docs/deployment.md. Ctrl+C stops both processes.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${VENV_BIN:-.venv/bin}"
PORT="${PORT:-8001}"
# Loopback unless told otherwise: gunicorn must be reachable only through the proxy (docs/deployment.md).
BIND_ADDRESS="${BIND_ADDRESS:-127.0.0.1}"
demo_users=false
for arg in "$@"; do
  case "$arg" in
    --demo-users) demo_users=true ;;
    *) echo "serve.sh: unknown option $arg (the only option is --demo-users)" >&2; exit 2 ;;
  esac
done

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  "") echo "serve.sh: set DATABASE_URL to a PostgreSQL database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/msoic" >&2; exit 2 ;;
  *) echo "serve.sh: DATABASE_URL must be a postgres:// URL (the production stack runs on PostgreSQL only)" >&2; exit 2 ;;
esac

export DJANGO_SETTINGS_MODULE=msoic.settings.production
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DJANGO_SERVICE_BASE_URL="${DJANGO_SERVICE_BASE_URL:-http://127.0.0.1:$PORT}"
export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-false}"
export DJANGO_SECURE_COOKIES="${DJANGO_SECURE_COOKIES:-false}"
export DJANGO_EMAIL_BACKEND="${DJANGO_EMAIL_BACKEND:-file}"
export DJANGO_EMAIL_FILE_PATH="${DJANGO_EMAIL_FILE_PATH:-$PWD/var/mail}"
export DJANGO_LOG_LEVEL="${DJANGO_LOG_LEVEL:-INFO}"

manage() { "$BIN/python" manage.py "$@"; }

echo "== Database, static files and reference data"
manage migrate --noinput
manage collectstatic --noinput --verbosity 0
manage load_action_plan --verbosity 0
manage load_forces --verbosity 0
if [[ "$demo_users" == true ]]; then
  manage create_demo_users --allow-without-debug
fi

web_pid=""
worker_pid=""
stop() {
  trap - INT TERM EXIT
  echo "== Stopping"
  for pid in $web_pid $worker_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $web_pid $worker_pid; do wait "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

"$BIN/gunicorn" msoic.wsgi --worker-class gthread --workers 2 --threads 4 \
  --bind "$BIND_ADDRESS:$PORT" --no-control-socket &
web_pid=$!
manage db_worker &
worker_pid=$!

echo "== Serving on http://127.0.0.1:$PORT (health: /health/; emails written to $DJANGO_EMAIL_FILE_PATH). Ctrl+C stops."
# Return when either process ends, so a crashed worker does not go unnoticed.
wait -n "$web_pid" "$worker_pid"
