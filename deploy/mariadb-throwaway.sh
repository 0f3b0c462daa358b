#!/usr/bin/env bash
# Starts or stops a throwaway MariaDB server for tests: its own data directory, socket and port on
# 127.0.0.1, nothing shared with a system server.
#   deploy/mariadb-throwaway.sh start DIR PORT   → prints the mysql:// URL of an empty database
#   deploy/mariadb-throwaway.sh stop DIR
set -euo pipefail

cmd=${1:?usage: $0 start DIR PORT | stop DIR}
dir=${2:?directory required}

case "$cmd" in
  start)
    port=${3:?port required}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if ! command -v mariadb-install-db >/dev/null && ! command -v mysql_install_db >/dev/null; then
      echo "mariadb-server is not installed (run deploy/install-deps.sh)" >&2
      exit 1
    fi
    install_db=$(command -v mariadb-install-db || command -v mysql_install_db)
    server=$(command -v mariadbd || command -v mysqld || echo /usr/sbin/mariadbd)
    [ -x "$server" ] || server=/usr/sbin/mysqld
    "$install_db" --no-defaults --datadir="$dir/data" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
    "$server" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
      --bind-address=127.0.0.1 --skip-networking=0 --user=root --pid-file="$dir/mysqld.pid" \
      --log-error="$dir/error.log" --skip-log-bin --innodb-buffer-pool-size=128M \
      --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin >/dev/null 2>&1 &
    for _ in $(seq 1 300); do
      if mysqladmin --no-defaults -uroot -S "$dir/mysqld.sock" ping >/dev/null 2>&1; then
        break
      fi
      sleep 0.1
    done
    if ! mysqladmin --no-defaults -uroot -S "$dir/mysqld.sock" ping >/dev/null 2>&1; then
      echo "MariaDB did not start; see $dir/error.log" >&2
      tail -20 "$dir/error.log" >&2 || true
      exit 1
    fi
    # The test user may create a database per test; this server exists only for the test run.
    mysql --no-defaults -uroot -S "$dir/mysqld.sock" <<SQL
CREATE DATABASE opdesk_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'opdesk'@'127.0.0.1' IDENTIFIED BY 'opdesk-test';
CREATE USER 'opdesk'@'localhost' IDENTIFIED BY 'opdesk-test';
GRANT ALL PRIVILEGES ON *.* TO 'opdesk'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'opdesk'@'localhost';
SQL
    echo "mysql://opdesk:opdesk-test@127.0.0.1:$port/opdesk_test"
    ;;
  stop)
    if [ -f "$dir/mysqld.pid" ]; then
      pid=$(cat "$dir/mysqld.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
