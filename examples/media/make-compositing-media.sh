#!/usr/bin/env bash
# Makes the media of examples/compositing.json with ffmpeg's own sources (nothing downloaded):
#   presenter.mp4  a figure swaying in front of a green screen (#00b140), 4 s
#   matte.mp4      a luma matte: white sweeping left to right over 2 s, then holding
#   texture.jpg    a warm paper grain to multiply over a picture
# The files are small and committed; run this to make them again.
set -euo pipefail
cd "$(dirname "$0")"
FFMPEG="${MONTAGE_FFMPEG:-ffmpeg}"
sway="40*sin(t*1.5)"
"$FFMPEG" -v error -y -f lavfi -i "color=c=0x00b140:s=480x270:r=30:d=4,\
drawbox=x='150+$sway':y=60:w=120:h=210:color=0xe8b090:t=fill,\
drawbox=x='150+$sway':y=170:w=120:h=100:color=0xf4f4f4:t=fill,\
drawbox=x='185+$sway':y=20:w=50:h=50:color=0x5a3a28:t=fill" \
  -c:v libx264 -preset veryslow -crf 28 -pix_fmt yuv420p presenter.mp4
# A strip, white then black with a soft edge, slid under a 128-wide window.
"$FFMPEG" -v error -y -filter_complex "color=c=white:s=128x72:r=30:d=4[w];color=c=black:s=128x72:r=30:d=4[b];\
[w][b]hstack,gblur=sigma=6,crop=w=128:h=72:x='128-128*min(1,t/2)':y=0" -c:v libx264 -crf 30 -pix_fmt yuv420p matte.mp4
"$FFMPEG" -v error -y -f lavfi -i "color=c=0xb0a090:s=320x180,noise=alls=40:allf=u,gblur=sigma=1.2,format=rgb24" -frames:v 1 texture.jpg
