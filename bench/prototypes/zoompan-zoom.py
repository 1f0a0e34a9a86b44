#!/usr/bin/env python3
"""
Prototype of src/render/zoom-window.ts, kept to reproduce the figures of docs/benchmarks.md
("A cheaper smooth zoom", wip/speed3), including the variants not taken (KX = KY = 2 or 3):
prints an ffmpeg -vf chain that draws a Ken Burns zoom (1 -> ZMAX, linear over N frames
at 30 fps, about (cx, cy) in the box's pixels) on a W x H still WITHOUT the per-frame `perspective`
map, and writes its sendcmd file.

  1. once: the still sized up kx x ky (lanczos), padded by a few edge-smeared pixels;
  2. per frame: zoompan cuts a whole-pixel window (w, h) and scales it (bicubic) to a canvas 2 px larger
     than the box on each side. zoompan takes one zoom Z for both axes (w = floor(iw/Z), h = floor(ih/Z)),
     so Z is searched per frame for the (w, h) pair closest to the ideal zoom (edge error in output px),
     keeping w and h strictly monotone; Z is handed over as a binary tree of if(lt(on,..)) constants;
  3. per frame: the window's sub-pixel offset at the zoom's centre, left over by the whole-pixel window,
     is removed by a 3x3 `convolution` with bilinear weights (1/64 steps, sendcmd), and the canvas is cut
     back to the box (crop at 2,2: an even offset, so 4:2:0 chroma stays registered).

Usage: zoompan-zoom.py W H N KX CX CY CMDFILE [ZMAX [KY]]   -> the chain on stdout (input: the W x H still, one frame)
       e.g. ch=$(python3 zoompan-zoom.py 1280 720 135 2 640 360 /tmp/z.txt)
            ffmpeg -i still.png -vf "scale=1280:720,setsar=1,$ch" -f null -
"""
import math
import sys

W, H, N, k = (int(a) for a in sys.argv[1:5])
cx, cy = float(sys.argv[5]), float(sys.argv[6])
cmdf = sys.argv[7]
zmax = float(sys.argv[8]) if len(sys.argv) > 8 else 1.15
ky = int(sys.argv[9]) if len(sys.argv) > 9 else k
zin = zmax >= 1
F = 30.0
L = N / F
Wp, Hp = W + 4, H + 4                      # the canvas: 2 px of margin on each side
P = 4 * k
iw = k * Wp + 2 * P                        # the padded, sized-up still
ih = 2 * round(iw * (ky * Hp) / (k * Wp) / 2)
pl, pt = 2 * ((iw - k * W) // 4), 2 * ((ih - ky * H) // 4)


def kernel(r):
    q = round(64 * abs(r))
    return [q, 64 - q, 0] if r < 0 else [0, 64 - q, q]


Zs, cmds, prev, first, pw, ph, worst = [], [], None, None, None, None, 0.0
for n in range(N):
    p = min(1, max(0, (n / F) / L))
    z = 1 + (zmax - 1) * p if zin else zmax - (zmax - 1) * p
    wt = k * Wp / z
    best = None
    for w in range(math.floor(wt) - 1, math.ceil(wt) + 2):
        for h in {math.floor(ih * (w + e / 64) / iw) for e in range(1, 65)}:
            es = [e / 64 for e in range(1, 65) if math.floor(ih * (w + e / 64) / iw) == h]
            ex = max(cx, W - cx) * abs(k * Wp / w / z - 1)
            ey = max(cy, H - cy) * abs(ky * Hp / h / z - 1)
            mono = pw is None or ((w < pw and h < ph) if zin else (w > pw and h > ph))
            cost = (0 if mono else 1) + max(ex, ey)
            if best is None or cost < best[0]:
                best = (cost, w, h, es[len(es) // 2], max(ex, ey))
    _, w, h, e, err = best
    worst = max(worst, err)
    pw, ph = w, h
    Zs.append(iw / (w + e))
    ax, ay = Wp / w, Hp / h
    # zoompan clears the low bit of x and y (4:2:0); the same rounding as the x/y expressions below.
    x0 = 2 * math.floor((pl + k * cx - (cx + 2) * w / Wp) / 2 + 0.5)
    y0 = 2 * math.floor((pt + ky * cy - (cy + 2) * h / Hp) / 2 + 0.5)
    rx = (pl + k * cx - x0) * ax - 2 - cx
    ry = (pt + ky * cy - y0) * ay - 2 - cy
    KX, KY, KXC, KYC = kernel(rx), kernel(ry), kernel(rx / 2), kernel(ry / 2)
    m = ' '.join(str(KY[i] * KX[j]) for i in range(3) for j in range(3))
    mc = ' '.join(str(KYC[i] * KXC[j]) for i in range(3) for j in range(3))
    cur = (m, mc)
    first = first or cur
    if prev is not None and cur != prev:
        t = max(0, n / F - 0.5 / F)
        cmds.append(f"{t:.6f} convolution@zs 0m '{m}', convolution@zs 1m '{mc}', convolution@zs 2m '{mc}';")
    prev = cur
open(cmdf, 'w').write('\n'.join(cmds) + '\n')
print(f'predicted worst edge error of the window: {worst:.3f} px', file=sys.stderr)


def tree(lo, hi):
    if hi - lo == 1:
        return f'{Zs[lo]:.9f}'
    mid = (lo + hi) // 2
    return f'if(lt(on,{mid}),{tree(lo, mid)},{tree(mid, hi)})'


xe = f'2*floor(({pl + k * cx}-{cx + 2}*floor(iw/zoom)/{Wp})/2+0.5)'
ye = f'2*floor(({pt + ky * cy}-{cy + 2}*floor(ih/zoom)/{Hp})/2+0.5)'
m, mc = first
print(f'scale={k * W}:{ky * H}:flags=lanczos,format=yuv420p,pad={iw}:{ih}:{pl}:{pt},'
      f'fillborders=left={pl}:right={iw - k * W - pl}:top={pt}:bottom={ih - ky * H - pt}:mode=smear,'
      f"zoompan=z='{tree(0, N)}':x='{xe}':y='{ye}':d={N}:s={Wp}x{Hp}:fps=30,settb=1/30000,setpts=N*1000,sendcmd=f={cmdf},"
      f"convolution@zs=0m='{m}':1m='{mc}':2m='{mc}':0rdiv=1/4096:1rdiv=1/4096:2rdiv=1/4096,crop={W}:{H}:2:2")
