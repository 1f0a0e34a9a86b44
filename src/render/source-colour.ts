/**
 * A source's colours to the pipeline's (docs/composition-choices.md, "Colour"): the YUV numbers
 * every layer is made in are BT.601 ones, shown with BT.709 primaries and transfer. HDR sources are
 * tone-mapped (toneMap); SDR sources made with another matrix are converted (toPipelineMatrix).
 * Used wherever a source's picture is read: a clip's frames, and a luma mask's brightness.
 */
import type { MediaInfo } from '../assets/media-info.ts';

/**
 * HDR (PQ or HLG, BT.2020) to SDR, after the picture is down to its drawn size (cheaper): linear
 * light at a 100 cd/m² reference white, BT.709 primaries, Hable's curve, BT.709 transfer, and the
 * pipeline's BT.601 matrix: BT.709 primaries and transfer are what every output is tagged with,
 * and its YUV numbers are BT.601 ones.
 */
export const toneMap = (media: MediaInfo): string[] => (media.video?.hdr
  ? ['zscale=t=linear:npl=100', 'format=gbrpf32le', 'zscale=p=bt709', 'tonemap=tonemap=hable:desat=0', 'zscale=t=bt709:m=170m:r=tv']
  : []);

/** 8-bit planar YUV without alpha: what `colormatrix` takes as it is. */
const COLORMATRIX_PIX = /^yuv4(20|22|44)p$/;
/** Planar YUV without alpha at 8, 10 or 12 bits: what the `colorspace` filter takes. */
const COLORSPACE_PIX = /^yuv4(20|22|44)p(1[02]le)?$/;

/**
 * A source's YUV made with another matrix to the pipeline's BT.601 numbers, placed after the
 * picture is sized (fewest pixels) and before anything reads it as RGB or as luma.
 *
 * - BT.709 (`yuvMatrix.matrix` bt709), and BT.2020 whose primaries are not tagged BT.2020: the
 *   matrix only, the primaries being (or taken as) BT.709's. 8-bit YUV: `colormatrix`, a lookup
 *   per pixel (docs/benchmarks.md, "BT.709 sources"); it tags its frames bt470bg. Other YUV
 *   (10-bit, alpha, full range): the scaler converts the matrix (it keeps the depth and the alpha
 *   plane), and the frames are retagged, since the scaler keeps the old tag.
 * - SDR BT.2020 with BT.2020 primaries: its colours are also outside BT.709's primaries, so the
 *   matrix alone left them washed out (#20c040 came out about (111,182,81)). The `colorspace`
 *   filter converts matrix and primaries in one pass, through linear light (BT.709's transfer
 *   curve, which BT.2020's 10- and 12-bit curves equal): (25,189,61) for that source, whose 8-bit
 *   BT.2020 numbers decode exactly to (26,191,62). Colours outside BT.709 are clipped. A source
 *   `colorspace` cannot take (alpha) gets the matrix only, as above.
 */
export const toPipelineMatrix = (media: MediaInfo): string[] => {
  const m = media.video?.yuvMatrix;
  if (!m) return [];
  if (m.matrix === 'bt2020' && m.primaries === 'bt2020' && COLORSPACE_PIX.test(m.pixFmt)) {
    return ['colorspace=ispace=bt2020ncl:iprimaries=bt2020:itrc=bt709:space=bt470bg:primaries=bt709:trc=bt709:range=tv'];
  }
  return COLORMATRIX_PIX.test(m.pixFmt)
    ? [`colormatrix=${m.matrix}:bt601`]
    : [`scale=in_color_matrix=${m.matrix}:out_color_matrix=bt601`, 'setparams=colorspace=bt470bg'];
};

/** Everything that brings a source's picture to the pipeline's colours (tone map, then matrix). */
export const toPipelineColour = (media: MediaInfo): string[] => [...toneMap(media), ...toPipelineMatrix(media)];
