#!/usr/bin/env bash
# Installs (when missing) and starts the real services the integration tests use, on loopback only:
#   RabbitMQ, configured like Pulse (vhost, a namespace user and a "taskcluster" user that owns the exchanges),
#     with its management HTTP API on 127.0.0.1:15672 and two users of it (with and without the monitoring tag)
#   PostgreSQL 15, with a role and database for the history tests.
# Idempotent: safe to run when they are already up. Prints the environment the tests read.
set -euo pipefail

PULSE_VHOST=tc-canary-test
PULSE_USER=canary
PULSE_PASSWORD=canary-secret-pw
TC_USER=taskcluster
TC_PASSWORD=taskcluster-secret-pw
MGMT_PORT=15672
MONITORING_USER=canary-monitoring
MONITORING_PASSWORD=canary-monitoring-secret-pw
MANAGEMENT_USER=canary-management
MANAGEMENT_PASSWORD=canary-management-secret-pw
PG_USER=tc_canary
PG_PASSWORD=tc_canary_pw
PG_DB=tc_canary_test

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { echo "services: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
ensure_package() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  log "installing $pkg"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
}

start_rabbitmq() {
  ensure_package rabbitmq-server rabbitmq-server
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    log "starting RabbitMQ"
    # Loopback only: the node listens for AMQP on 127.0.0.1:5672.
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    # The management listener too, from boot on (the plugin may already be enabled from an earlier start).
    export RABBITMQ_ADVANCED_CONFIG_FILE="$SCRIPTS_DIR/rabbitmq-advanced.config"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
    rabbitmq-diagnostics -q ping >/dev/null 2>&1 || { log "RabbitMQ did not start"; exit 1; }
  fi
  # ping answers before the rabbit app has booted; await_startup waits for that once the node is up.
  for _ in $(seq 1 30); do rabbitmqctl -q await_startup --timeout 30 >/dev/null 2>&1 && break; sleep 1; done
  rabbitmqctl -q add_vhost "$PULSE_VHOST" >/dev/null 2>&1 || true
  for pair in "$PULSE_USER:$PULSE_PASSWORD" "$TC_USER:$TC_PASSWORD"; do
    user=${pair%%:*}; pw=${pair#*:}
    rabbitmqctl -q add_user "$user" "$pw" >/dev/null 2>&1 || rabbitmqctl -q change_password "$user" "$pw" >/dev/null
  done
  # Pulse's own permission pattern: configure/write only your namespace, read any exchange.
  rabbitmqctl -q set_permissions -p "$PULSE_VHOST" "$PULSE_USER" \
    "^(queue/$PULSE_USER/.*|exchange/$PULSE_USER/.*)" "^(queue/$PULSE_USER/.*|exchange/$PULSE_USER/.*)" \
    "^(queue/$PULSE_USER/.*|exchange/.*)" >/dev/null
  # The user playing the Taskcluster services declares and publishes to exchange/taskcluster-*.
  rabbitmqctl -q set_permissions -p "$PULSE_VHOST" "$TC_USER" ".*" ".*" ".*" >/dev/null
  enable_management
}

# The management HTTP API, loopback only. Enabling a plugin works on a running node; the listener is put in the
# node's environment first, so a node started before this script knew about it listens on 127.0.0.1 as well.
enable_management() {
  rabbitmqctl -q eval "application:set_env(rabbitmq_management, tcp_config, [{ip, \"127.0.0.1\"}, {port, $MGMT_PORT}])." >/dev/null
  rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/api/overview" && break; sleep 1; done
  curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/api/overview" || { log "the RabbitMQ management API did not start"; exit 1; }
  for pair in "$MONITORING_USER:$MONITORING_PASSWORD" "$MANAGEMENT_USER:$MANAGEMENT_PASSWORD"; do
    user=${pair%%:*}; pw=${pair#*:}
    rabbitmqctl -q add_user "$user" "$pw" >/dev/null 2>&1 || rabbitmqctl -q change_password "$user" "$pw" >/dev/null
  done
  # What tc-canary's broker and queue checks need: the monitoring tag, and a permission entry on the vhost
  # (one that grants nothing over AMQP is enough for the management API to show the vhost's queues).
  rabbitmqctl -q set_user_tags "$MONITORING_USER" monitoring >/dev/null
  rabbitmqctl -q set_permissions -p "$PULSE_VHOST" "$MONITORING_USER" '^$' '^$' '^$' >/dev/null
  # The refused case: the management tag only, and no permission on the vhost.
  rabbitmqctl -q set_user_tags "$MANAGEMENT_USER" management >/dev/null
}

start_postgres() {
  ensure_package pg_ctlcluster postgresql
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] || { log "no PostgreSQL cluster found"; exit 1; }
  if ! pg_isready -q -h 127.0.0.1; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 || { log "PostgreSQL did not start"; exit 1; }
  fi
  as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB;
  END IF;
END \$\$;
SQL
  if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"" | grep -q 1; then
    as_root su postgres -c "createdb -O $PG_USER $PG_DB"
  fi
}

# Stdout is eval'd by the caller, so only the environment block below may reach it: the tools' chatter
# (pg_ctlcluster prints "Removed stale pid file." on a machine whose image kept one) goes to stderr. Not
# `exec 3>&1`: the daemons started here would inherit that descriptor and the caller's $(...) would never end.
{ start_rabbitmq; start_postgres; } 1>&2

cat <<ENV
export TC_CANARY_TEST_AMQP_URL=amqp://$PULSE_USER:$PULSE_PASSWORD@127.0.0.1:5672/$PULSE_VHOST
export TC_CANARY_TEST_AMQP_ADMIN_URL=amqp://$TC_USER:$TC_PASSWORD@127.0.0.1:5672/$PULSE_VHOST
export TC_CANARY_TEST_MANAGEMENT_URL=http://$MONITORING_USER:$MONITORING_PASSWORD@127.0.0.1:$MGMT_PORT
export TC_CANARY_TEST_MANAGEMENT_NO_MONITORING_URL=http://$MANAGEMENT_USER:$MANAGEMENT_PASSWORD@127.0.0.1:$MGMT_PORT
export TC_CANARY_TEST_POSTGRES_URL=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:5432/$PG_DB
ENV
