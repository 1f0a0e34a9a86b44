#!/bin/bash
# The Node process's own peak RSS (VmHWM, polled every 0.1 s) while `bin/montage render` runs,
# ffmpeg's not included (/usr/bin/time -f %M reports the largest process of the tree: ffmpeg's).
#
#   bench/node-peak-rss.sh COMPOSITION OUT [VAR=value ...]
#   bench/node-peak-rss.sh bench/.work/ref-c.json /tmp/c.mp4                     # the checkout (tsx)
#   bench/node-peak-rss.sh bench/.work/ref-c.json /tmp/c.mp4 MONTAGE_FROM=dist   # the build (npm run build first)
comp=$1; out=$2; shift 2
start=$(date +%s.%N)
env "$@" node "$(dirname "$0")/../bin/montage" render "$comp" -o "$out" > "$out.log" 2>&1 &
pid=$!
hwm=0
while kill -0 $pid 2>/dev/null; do
  h=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null); [ -n "$h" ] && hwm=$h
  sleep 0.1
done
wait $pid; rc=$?
echo "rc=$rc node VmHWM $((hwm / 1024)) MiB wall $(echo "$(date +%s.%N) - $start" | bc) s (log: $out.log)"
