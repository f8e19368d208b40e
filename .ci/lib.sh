# Helpers for .ci/run: each makes one thing true or says clearly why it cannot.

section() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

use_jdk_21_or_newer() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java || true)")")" 2>/dev/null)" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      echo "using JDK $(java_major "$JAVA_HOME/bin/java") at $JAVA_HOME"
      return 0
    fi
  done
  echo "no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm/*): install one and set JAVA_HOME" >&2
  exit 1
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "PostgreSQL is up on 127.0.0.1:5432"
  else
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      section "installing PostgreSQL from Debian packages"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      local hba
      hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n 1)
      # Local CI only: trust loopback connections, as the developers' machines do.
      sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
  fi
  if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -c "create database test"
  fi
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    echo "Redis is up on 127.0.0.1:6379"
    return 0
  fi
  if ! command -v redis-server >/dev/null; then
    section "installing Redis from Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && return 0; sleep 1; done
  echo "Redis did not start" >&2
  exit 1
}

ensure_mariadb() {
  if mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; then
    echo "MariaDB is up on 127.0.0.1:3306"
  else
    if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
      section "installing MariaDB from Debian packages"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
    fi
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 30); do
      mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1 && break
      sleep 1
    done
    mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping || { echo "MariaDB did not start" >&2; exit 1; }
  fi
  # The tests connect over TCP as root without a password and create databases of their own.
  mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e "CREATE DATABASE IF NOT EXISTS test" \
    || { echo "MariaDB at 127.0.0.1:3306 refuses root without a password over TCP: the tests need it" >&2; exit 1; }
}

ensure_nats() {
  if (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && nats_jetstream_on; then
    echo "NATS with JetStream is up on 127.0.0.1:4222"
    return
  fi
  if [ ! -x /usr/sbin/nats-server ] && ! command -v nats-server >/dev/null; then
    section "installing nats-server from Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
  fi
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  for _ in $(seq 1 30); do
    (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break
    sleep 1
  done
  (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null || { echo "nats-server did not start on 127.0.0.1:4222" >&2; exit 1; }
  echo "NATS started on 127.0.0.1:4222"
}

# True when the server's INFO line on 4222 says JetStream is on.
nats_jetstream_on() {
  local info
  info=$(timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222; head -n 1 <&3' 2>/dev/null)
  [[ "$info" == *'"jetstream":true'* ]]
}

ensure_rabbitmq() {
  if rabbitmq_answers; then
    echo "RabbitMQ answers AMQP on 127.0.0.1:5672"
    return
  fi
  if ! command -v rabbitmq-server >/dev/null; then
    section "installing RabbitMQ from Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  # A broker that holds the port but no longer answers (seen here once) is killed and started again.
  if pgrep -f 'beam.*rabbit' >/dev/null; then
    echo "RabbitMQ runs but does not answer on 5672: restarting it"
    pkill -9 -f 'beam.*rabbit' || true
    sleep 1
  fi
  epmd -daemon
  rabbitmq-server -detached
  for _ in $(seq 1 90); do rabbitmq_answers && { echo "RabbitMQ started on 127.0.0.1:5672"; return; }; sleep 1; done
  echo "RabbitMQ did not start on 127.0.0.1:5672 within 90 s" >&2
  exit 1
}

# True when the broker on 5672 answers an AMQP 0-9-1 protocol header with a frame (Connection.Start, type 1).
rabbitmq_answers() {
  [[ "$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672; printf "AMQP\x00\x00\x09\x01" >&3; head -c 1 <&3 | od -An -tx1' \
    2>/dev/null)" == *01* ]]
}
