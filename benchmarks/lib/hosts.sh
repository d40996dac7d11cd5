#!/usr/bin/env bash
# Fake hosts for the benchmarks: N OpenSSH sshd daemons on 127.0.0.1, one port each.
#
#   benchmarks/lib/hosts.sh start     # start (or keep) BENCH_HOSTS daemons
#   benchmarks/lib/hosts.sh stop      # stop them and the bench services they started
#   benchmarks/lib/hosts.sh status
#
# Settings (environment): BENCH_HOSTS (16), BENCH_BASE_PORT (22200: host NN listens on BASE+NN),
# BENCH_DIR (/tmp/cvybench). Must run as root (sshd needs it to switch to the login user).
#
# Layout under BENCH_DIR:
#   hostNN/            the host's files, owned by the login user (each tool deploys under hostNN/<tool>)
#   sshd/hostNN/       sshd config, ed25519 host key, pid file, log
#   client/id_ed25519  the client key (its public half is in ~cvybench/.ssh/authorized_keys)
#   client/known_hosts every host key, as [127.0.0.1]:PORT lines
#
# The login user is `cvybench`; its login shell ($DIR/bin/login-shell) counts the commands each host
# starts and runs /bin/sh, which reads no rc file; with $DIR/login-cost present (deploy-bench.sh
# BENCH_LOGIN_COST=1) it first costs what a real host's rc file costs per command.
set -euo pipefail

HOSTS=${BENCH_HOSTS:-16}
BASE_PORT=${BENCH_BASE_PORT:-22200}
DIR=${BENCH_DIR:-/tmp/cvybench}
USER_NAME=cvybench
SSHD=/usr/sbin/sshd

host_name() { printf 'host%02d' "$1"; }

require_packages() {
    local missing=()
    [ -x "$SSHD" ] || missing+=(openssh-server)
    command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
    command -v flock >/dev/null 2>&1 || missing+=(util-linux)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# The login user's shell: counts each command sshd starts, per host (by the port it came in on), in
# $DIR/execs/PORT; and when $DIR/login-cost exists, first pays what an rc file costs on a real host (root's
# ~/.bashrc here runs `pyenv init`: ~0.1-0.15 CPU-s per command) by starting python3 twice, then runs /bin/sh.
install_login_shell() {
    mkdir -p "$DIR/bin" "$DIR/execs"
    chmod 1777 "$DIR/execs"
    cat > "$DIR/bin/login-shell" <<'SH'
#!/bin/sh
port=${SSH_CONNECTION##* }
echo x >> "/tmp/cvybench/execs/$port" 2>/dev/null
if [ -f /tmp/cvybench/login-cost ]; then
    python3 -c 'import json, email.parser, http.client, urllib.request' 2>/dev/null
    python3 -c 'import json, email.parser, http.client, urllib.request' 2>/dev/null
fi
exec /bin/sh "$@"
SH
    sed -i "s#/tmp/cvybench#$DIR#g" "$DIR/bin/login-shell"
    chmod 755 "$DIR/bin" "$DIR/bin/login-shell"
}

ensure_user() {
    install_login_shell
    if ! id "$USER_NAME" >/dev/null 2>&1; then
        useradd -m -s "$DIR/bin/login-shell" "$USER_NAME"
    fi
    usermod -s "$DIR/bin/login-shell" "$USER_NAME"
    # useradd leaves the account locked ("!"), and sshd without PAM refuses locked accounts even for keys:
    # "*" means no password login, but not locked.
    if [ "$(getent shadow "$USER_NAME" | cut -d: -f2)" = '!' ]; then
        usermod -p '*' "$USER_NAME"
    fi
    local home
    home=$(getent passwd "$USER_NAME" | cut -d: -f6)
    mkdir -p "$DIR/client" "$home/.ssh"
    chmod 700 "$DIR/client"
    if [ ! -f "$DIR/client/id_ed25519" ]; then
        ssh-keygen -q -t ed25519 -N '' -C cvybench-client -f "$DIR/client/id_ed25519"
    fi
    cp "$DIR/client/id_ed25519.pub" "$home/.ssh/authorized_keys"
    chown -R "$USER_NAME:" "$home/.ssh"
    chmod 700 "$home/.ssh"
    chmod 600 "$home/.ssh/authorized_keys"
}

listening() { # port
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_host() { # index
    local name port sd
    name=$(host_name "$1")
    port=$((BASE_PORT + $1))
    sd="$DIR/sshd/$name"
    mkdir -p "$sd" "$DIR/$name"
    chown "$USER_NAME:" "$DIR/$name"
    if [ -f "$sd/sshd.pid" ] && kill -0 "$(cat "$sd/sshd.pid")" 2>/dev/null; then
        return 0
    fi
    [ -f "$sd/host_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$sd/host_key"
    cat > "$sd/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $sd/host_key
AuthorizedKeysFile .ssh/authorized_keys
AllowUsers $USER_NAME
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $sd/sshd.pid
Subsystem sftp internal-sftp
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 64
MaxSessions 64
LogLevel ERROR
CONF
    "$SSHD" -t -f "$sd/sshd_config"
    "$SSHD" -f "$sd/sshd_config" -E "$sd/sshd.log"
}

await_host() { # index
    local port i
    port=$((BASE_PORT + $1))
    for i in $(seq 1 100); do
        listening "$port" && return 0
        sleep 0.1
    done
    echo "sshd $(host_name "$1") does not listen on $port; see $DIR/sshd/$(host_name "$1")/sshd.log" >&2
    return 1
}

write_known_hosts() {
    local i name
    : > "$DIR/client/known_hosts"
    for i in $(seq 1 "$HOSTS"); do
        name=$(host_name "$i")
        printf '[127.0.0.1]:%d %s\n' $((BASE_PORT + i)) "$(cut -d' ' -f1,2 "$DIR/sshd/$name/host_key.pub")" >> "$DIR/client/known_hosts"
    done
}

stop_services() {
    # The bench stack's start.sh writes <root>/<component>/shared/<component>.pid.
    local pidfile
    for pidfile in "$DIR"/host*/*/*/shared/*.pid; do
        [ -f "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

stop_host() { # index
    local name pidfile pid child
    name=$(host_name "$1")
    pidfile="$DIR/sshd/$name/sshd.pid"
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        # Connection handlers (multiplexed masters included) outlive the listener: end them first.
        for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
            kill "$child" 2>/dev/null || true
        done
        kill "$pid"
    fi
    rm -f "$pidfile"
}

case "${1:-}" in
    start)
        [ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
        require_packages
        mkdir -p /run/sshd "$DIR"
        chmod 755 "$DIR"
        ensure_user
        for i in $(seq 1 "$HOSTS"); do start_host "$i"; done
        for i in $(seq 1 "$HOSTS"); do await_host "$i"; done
        write_known_hosts
        echo "$HOSTS sshd on 127.0.0.1:$((BASE_PORT + 1))..$((BASE_PORT + HOSTS)), user $USER_NAME, key $DIR/client/id_ed25519"
        ;;
    stop)
        stop_services
        for i in $(seq 1 "$HOSTS"); do stop_host "$i"; done
        echo "stopped"
        ;;
    status)
        for i in $(seq 1 "$HOSTS"); do
            name=$(host_name "$i")
            if listening $((BASE_PORT + i)); then echo "$name up (port $((BASE_PORT + i)))"; else echo "$name down"; fi
        done
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
