#!/usr/bin/env bash
# End-to-end bench of issue #17: cam run --json on the benchdata dataset,
# from SQLite files and from a throwaway MariaDB, against the databases'
# own command-line clients running the same five queries to /dev/null.
# Prints one table: wall time (median of RUNS rounds, each running the
# clients and cam in turn), ratio to the client floor (median of the rounds),
# peak RSS (/usr/bin/time), and cam's phase split (cam run --stats).
#
#   internal/benchdata/bench.sh            # or: just bench
#   BENCH_DIR=/tmp/cam-bench RUNS=3 CHANGES=2000000 ACTIVITY=500000 internal/benchdata/bench.sh
#   PROFILE_DIR=DIR internal/benchdata/bench.sh   # also a CPU profile of cam per source (just pgo)
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH_DIR=${BENCH_DIR:-/tmp/cam-bench}
RUNS=${RUNS:-3}
CHANGES=${CHANGES:-2000000}
ACTIVITY=${ACTIVITY:-500000}
# "-timeorder": rows in time order since the generator sorts them; a cache
# of the earlier random-order dataset is not reused.
DATA="$BENCH_DIR/data-$CHANGES-$ACTIVITY-timeorder"
mkdir -p "$BENCH_DIR"

need() { command -v "$1" >/dev/null || { echo "bench: $1 is missing (apt-get install $2)" >&2; exit 1; }; }
if ! command -v sqlite3 >/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -q sqlite3 >/dev/null
fi
need sqlite3 sqlite3
need mariadb mariadb-client
need mariadbd mariadb-server
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

go build -o "$BENCH_DIR/cam" .
go build -o "$BENCH_DIR/mariadb-loader" ./internal/benchdata/mariadb
if [ ! -f "$DATA/.complete" ]; then
	rm -rf "$DATA"
	go run ./internal/benchdata -changes "$CHANGES" -activity "$ACTIVITY" -out "$DATA" >&2
	touch "$DATA/.complete"
fi

# once LABEL CMD...: runs CMD once; appends "wall_s rss_kb user_s sys_s" to
# $BENCH_DIR/LABEL.runs and keeps cam's stats line (if any) in LABEL.stats.
once() {
	local label=$1; shift
	/usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/time.out" "$@" > /dev/null 2> "$BENCH_DIR/$label.stderr" || true
	# time notes a non-zero exit (cam exits 1 when it finds something)
	# on a line of its own before the figures.
	tail -1 "$BENCH_DIR/time.out" >> "$BENCH_DIR/$label.runs"
	grep -h '^cam stats:' "$BENCH_DIR/$label.stderr" > "$BENCH_DIR/$label.stats" || true
}
# rounds LABEL:FUNCTION...: RUNS rounds, each running every function once in
# turn, so that a neighbour's load falls on the client and on cam alike
# (the machine is shared); the ratios are taken round by round.
rounds() {
	local pair
	for pair in "$@"; do : > "$BENCH_DIR/${pair%%:*}.runs"; done
	for _ in $(seq "$RUNS"); do
		for pair in "$@"; do once "${pair%%:*}" bash -c "${pair#*:}"; done
	done
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
wall() { awk '{print $1}' "$BENCH_DIR/$1.runs" | median; }
# cpu: median user+system seconds; the machine may be shared, and CPU
# time is what the neighbours do not change.
cpu() { awk '{print $3 + $4}' "$BENCH_DIR/$1.runs" | median; }
rss() { awk '{print $2}' "$BENCH_DIR/$1.runs" | sort -n | tail -1 | awk '{printf "%d", $1/1024}'; }
phases() {
	[ -s "$BENCH_DIR/$1.stats" ] || { echo "-"; return; }
	sed -E 's/.*fetch_wall=([0-9.]+)s fetch=([0-9.]+)s normalise=([0-9.]+)s accumulate=([0-9.]+)s rules=([0-9.]+)s output=([0-9.]+)s.*rss_anon_mb=([0-9]+) rss_file_mb=([0-9]+).*/fetch(wall) \1, in driver \2, normalise \3, accumulate \4, rules \5, output \6; RSS at end: anon \7 MB, file \8 MB/' "$BENCH_DIR/$1.stats"
}

# SQLite: the sqlite3 client runs the five queries one after another.
SQ="$DATA/sqlite"
sqlite_serial() { while read -r db q; do sqlite3 "$SQ/$db" < "$SQ/$q"; done < "$SQ/floor/list"; }
sqlite_cam() { "$BENCH_DIR/cam" run --config-dir "$SQ" --json --quiet --stats; }
export -f sqlite_serial sqlite_cam; export SQ BENCH_DIR
rounds sqlite-floor:sqlite_serial sqlite-cam:sqlite_cam
# profile SOURCE CONFIG_DIR: one more run of cam, profiled, when asked.
profile() {
	[ -n "${PROFILE_DIR:-}" ] || return 0
	"$BENCH_DIR/cam" run --config-dir "$2" --json --quiet --cpuprofile "$PROFILE_DIR/$1.pprof" > /dev/null || true
}
profile sqlite "$SQ"

# MariaDB: a throwaway server holding the same rows; its stdin is a pipe
# we hold open, and it removes itself when we close it.
exec 9> >("$BENCH_DIR/mariadb-loader" -data "$DATA" > "$BENCH_DIR/loader.out" 2> "$BENCH_DIR/loader.err")
for _ in $(seq 600); do grep -q ready "$BENCH_DIR/loader.out" 2>/dev/null && break; sleep 1; done
grep -q ready "$BENCH_DIR/loader.out" || { cat "$BENCH_DIR/loader.err" >&2; exit 1; }
MY="$DATA/mariadb"
set -a; . "$MY/env"; set +a
export MYSQL_PWD; MYSQL_PWD=$(printenv "$(grep -o 'CAM_TEST_MARIADB_PW_[A-Z0-9]*' "$MY/env")")
client() { mariadb --quick -h127.0.0.1 -P"$MARIADB_PORT" -u"$MARIADB_USER" "$MARIADB_SCHEMA" < "$1" > /dev/null; }
mariadb_parallel() { for f in "$MY"/floor/*.sql; do client "$f" & done; wait; }
mariadb_serial() { for f in "$MY"/floor/*.sql; do client "$f"; done; }
mariadb_cam() { "$BENCH_DIR/cam" run --config-dir "$MY" --json --quiet --stats; }
export -f client mariadb_parallel mariadb_serial mariadb_cam; export MY
rounds mariadb-floor:mariadb_parallel mariadb-serial:mariadb_serial mariadb-cam:mariadb_cam
profile mariadb "$MY"
exec 9>&-

# ratio LABEL FLOOR: the median over the rounds of LABEL's wall time over
# the floor's in the same round.
ratio() {
	paste -d' ' "$BENCH_DIR/$1.runs" "$BENCH_DIR/$2.runs" | awk '{print ($5 > 0 ? $1 / $5 : 0)}' | median | awk '{printf "%.2f×", $1}'
}
rows=$(sed -E 's/.*rows=([0-9]+).*/\1/' "$BENCH_DIR/sqlite-cam.stats" 2>/dev/null || echo "?")
echo
echo "cam run --json, $rows rows ($CHANGES changes + planted, $ACTIVITY activity), median of $RUNS rounds (client and cam in turn; ratio = median of the rounds' ratios), $(nproc) cores, load $(cut -d" " -f1-3 /proc/loadavg)"
row() { printf '%-8s | %-32s | %7s | %7s | %7s | %6s | %s\n' "$@"; }
row source command "wall s" ratio "CPU s" "RSS MB" "cam phases (s; in driver/normalise/accumulate summed over queries)"
row SQLite "sqlite3, 5 queries serially" "$(wall sqlite-floor)" "1.00×" "$(cpu sqlite-floor)" "$(rss sqlite-floor)" ""
row SQLite "cam run --json" "$(wall sqlite-cam)" "$(ratio sqlite-cam sqlite-floor)" "$(cpu sqlite-cam)" "$(rss sqlite-cam)" "$(phases sqlite-cam)"
row MariaDB "mariadb --quick, 5 in parallel" "$(wall mariadb-floor)" "1.00×" "$(cpu mariadb-floor)" "$(rss mariadb-floor)" ""
row MariaDB "mariadb --quick, serially" "$(wall mariadb-serial)" "$(ratio mariadb-serial mariadb-floor)" "$(cpu mariadb-serial)" "$(rss mariadb-serial)" ""
row MariaDB "cam run --json" "$(wall mariadb-cam)" "$(ratio mariadb-cam mariadb-floor)" "$(cpu mariadb-cam)" "$(rss mariadb-cam)" "$(phases mariadb-cam)"
echo "(the clients' CPU column is the client alone; the database server's CPU is not counted for MariaDB, for cam nor the client)"
