#!/usr/bin/env bash
# How examples/media/ was made (once; the files are committed so the examples render offline).
# captions.srt is written by hand. Everything else is synthesised by ffmpeg's own sources, so there is no licence to track.
# Usage: bash scripts/make-example-media.sh [DIR]   (default: examples/media)
set -euo pipefail
DIR="${1:-$(dirname "$0")/../examples/media}"
mkdir -p "$DIR" && cd "$DIR"
F="ffmpeg -hide_banner -loglevel error -nostdin -y"
# 640x360 stills: a dusk gradient, a Mandelbrot set, interfering colour waves
$F -f lavfi -i "nullsrc=s=640x360,format=rgb24,geq=r='20+235*pow(Y/360,1.5)':g='30+120*pow(Y/360,2)':b='80+40*(1-Y/360)'" -frames:v 1 -q:v 4 dusk.jpg
$F -f lavfi -i "mandelbrot=size=640x360:rate=1:start_scale=2.2:outer=normalized_iteration_count" -frames:v 1 -q:v 4 fractal.jpg
$F -f lavfi -i "nullsrc=s=640x360,format=rgb24,geq=r='128+100*sin(X/40+Y/60)':g='90+80*sin(Y/25)':b='160+90*cos(X/55-Y/35)'" -frames:v 1 -q:v 4 waves.jpg
# a 256x256 PNG with transparency: a yellow disc
$F -f lavfi -i "color=c=black:s=256x256,format=rgba,geq=r='255':g='200':b='60':a='255*lt(hypot(X-128,Y-128),110)'" -frames:v 1 badge.png
# 3 s 640x360 30 fps H.264 clip with a C5 tone
$F -f lavfi -i "testsrc2=size=640x360:rate=30:duration=3" -f lavfi -i "sine=f=523.25:d=3:sample_rate=48000" \
   -af "volume=0.3,afade=t=in:d=0.2,afade=t=out:st=2.7:d=0.3" -c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p \
   -c:a aac -b:a 64k -shortest -movflags +faststart clip.mp4
# an 8 s A-major chord that swells once a second, to loop under the slideshow
$F -f lavfi -i "sine=f=220:d=8:sample_rate=44100" -f lavfi -i "sine=f=277.18:d=8:sample_rate=44100" \
   -f lavfi -i "sine=f=329.63:d=8:sample_rate=44100" \
   -filter_complex "[0][1][2]amix=inputs=3:normalize=0,volume='0.25*(0.6+0.4*sin(2*PI*t))':eval=frame,aformat=channel_layouts=stereo" \
   -c:a aac -b:a 64k music.m4a
