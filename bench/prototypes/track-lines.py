#!/usr/bin/env python3
"""
Tracks thin lines through a zoom (1 -> 1.15 about the frame's centre, linear over N frames), as
test/render/smooth-motion.test.ts does (luma-weighted centroid, 16 subtracted), for any -vf chain:
worst distance from the ideal path, frames that do not advance. Needs numpy and off.png, made by:
  ffmpeg -f lavfi -i color=c=black:s=1920x1080:d=1 -vf 'drawbox=x=1400:y=0:w=12:h=1080:c=white:t=fill,\
drawbox=x=0:y=800:w=1920:h=12:c=white:t=fill,drawbox=x=200:y=0:w=3:h=1080:c=white:t=fill,\
drawbox=x=0:y=100:w=1920:h=3:c=white:t=fill' -frames:v 1 off.png
Usage: track-lines.py W H N CHAIN   (CHAIN: after the still sized to W x H; it must give N frames)
"""
import subprocess
import sys

import numpy as np

W, H, N = (int(a) for a in sys.argv[1:4])
vf = sys.argv[4]
raw = subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-i', 'off.png', '-vf',
                      f'scale={W}:{H}:flags=lanczos,setsar=1,{vf},format=gray', '-fps_mode', 'passthrough',
                      '-f', 'rawvideo', '-'], capture_output=True, check=True).stdout
frames = np.frombuffer(raw, np.uint8).reshape(-1, H, W).astype(float)
assert frames.shape[0] == N, frames.shape
z = np.array([1 + 0.15 * min(1, n / N) for n in range(N)])
sx, sy = W / 1920, H / 1080


def centroid(f, axis, lo, hi, band):
    prof = f[band[0]:band[1], :].mean(0) if axis == 'x' else f[:, band[0]:band[1]].mean(1)
    p = np.maximum(prof[lo:hi] - 16, 0)
    return (p * np.arange(lo, hi)).sum() / p.sum()


for name, axis, pos, band in [('x, right of centre', 'x', 1406 * sx, (int(H * 0.3), int(H * 0.4))),
                              ('x, near the left edge', 'x', 201.5 * sx, (int(H * 0.3), int(H * 0.4))),
                              ('y, below centre', 'y', 806 * sy, (int(W * 0.55), int(W * 0.65))),
                              ('y, near the top edge', 'y', 101.5 * sy, (int(W * 0.55), int(W * 0.65)))]:
    c = (W if axis == 'x' else H) / 2
    ideal = c + (pos - c) * z - 0.5
    lo, hi = int(min(ideal) - 8), int(max(ideal) + 9)
    if lo < 0 or hi > (W if axis == 'x' else H):
        continue
    at = np.array([centroid(f, axis, lo, hi, band) for f in frames])
    steps = np.diff(at) * np.sign(ideal[-1] - ideal[0])
    print(f'{name}: worst {abs(at - ideal).max():.3f} px off the path, {(steps <= 0).sum()} frames not advancing')
