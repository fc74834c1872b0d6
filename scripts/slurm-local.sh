#!/usr/bin/env bash
# Starts or stops a one-node Slurm cluster on this machine (Debian's slurm-wlm and munge), for the
# tests of the Slurm executor. Needs root. Its state, spool and logs live in $SLURM_LOCAL_DIR
# (default /tmp/sqs-slurm); /etc/slurm/slurm.conf is written only when it is absent or was written
# by this script, so a real cluster's configuration is never touched.
#   scripts/slurm-local.sh start    # munged, slurmctld, slurmd; returns once the node is idle
#   scripts/slurm-local.sh stop     # stops the daemons this script started
#   scripts/slurm-local.sh status
set -euo pipefail

dir=${SLURM_LOCAL_DIR:-/tmp/sqs-slurm}
conf=/etc/slurm/slurm.conf
marker='# written by sqs-workbench scripts/slurm-local.sh'

die() { echo "slurm-local: $*" >&2; exit 1; }

start() {
  [ "$(id -u)" = 0 ] || die "must run as root (it starts munged and the Slurm daemons)"
  command -v slurmctld >/dev/null && command -v munged >/dev/null || die "slurm-wlm and munge are not installed: apt-get install -y slurm-wlm munge"
  mkdir -p "$dir"/{state,spool,log} /run/munge /etc/slurm
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key /run/munge
  chmod 400 /etc/munge/munge.key
  if ! pgrep -u munge -x munged >/dev/null; then
    su -s /bin/sh munge -c 'munged' || die "munged did not start"
  fi
  if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then die "$conf exists and was not written by this script; not touching it"; fi
  local host mem
  host=$(hostname -s)
  # what slurmd reports, less a margin, so that the node is not drained for lacking memory
  mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
  cat >"$conf" <<EOF
$marker
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerType=sched/backfill
MaxArraySize=100001
KillWait=5
MinJobAge=30
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null || slurmctld
  [ -f "$dir/slurmd.pid" ] && kill -0 "$(cat "$dir/slurmd.pid")" 2>/dev/null || slurmd
  for _ in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle\|mix\|alloc'; then
      echo "slurm-local: node $host is up ($(sinfo -h -o '%P %t %c CPUs' | tr '\n' ' '))"
      return 0
    fi
    # a node that was down in a previous start comes back here
    scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true
    sleep 1
  done
  die "the node did not become idle within 60 s; see $dir/log/"
}

stop() {
  for d in slurmd slurmctld; do
    if [ -f "$dir/$d.pid" ]; then
      kill "$(cat "$dir/$d.pid")" 2>/dev/null || true
      rm -f "$dir/$d.pid"
    fi
  done
  echo "slurm-local: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) die "usage: $0 start|stop|status" ;;
esac
