/** What the render core needs to know about one probed input file. Plain data: the core stays pure. */
export interface MediaInfo {
  readonly path: string;
  /** Demuxer name as ffprobe reports it (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "png_pipe"). */
  readonly container: string;
  /** Seconds, when the container knows it; undefined for single images. */
  readonly duration?: number;
  readonly video?: {
    readonly codec: string;
    /** Display size: already swapped for 90°/270° rotation metadata. */
    readonly width: number;
    readonly height: number;
    /** Non-square pixels: the decoded frames are not `width`×`height` (the scaler stretches them to it). */
    readonly anamorphic?: boolean;
    readonly fps?: number;
    /**
     * Seconds from the file's start where its picture ends, when that is before the file's
     * `duration` (the sound outlasts the picture). As a player does, the last picture frame shows
     * from there to the file's end (plan-video-source.ts). Absent when the picture lasts as long
     * as the file, or its own length is not known.
     */
    readonly pictureEnd?: number;
    /** True for still images (image2/png/jpeg/webp demuxers, or a single-frame stream). */
    readonly still: boolean;
    readonly hasAlpha: boolean;
    /** High dynamic range transfer (PQ = SMPTE 2084, HLG = ARIB STD-B67): tone-mapped to SDR when drawn. */
    readonly hdr?: 'pq' | 'hlg';
    /**
     * Its YUV is made with another matrix than the pipeline's BT.601 (ffprobe color_space `bt709`:
     * phone and camera video; `bt2020nc`: SDR BT.2020), decoded as `pixFmt`: converted to the
     * pipeline's BT.601 numbers right after it is sized (source-colour.ts, toPipelineMatrix), with
     * its BT.2020 primaries mapped to BT.709 where `primaries` says so. Absent for untagged and
     * BT.601-tagged (bt470bg, smpte170m) sources, RGB ones and HDR (tone-mapped instead).
     */
    readonly yuvMatrix?: { readonly matrix: 'bt709' | 'bt2020'; readonly pixFmt: string; readonly primaries?: 'bt2020' };
    /**
     * Seconds of its keyframes from the file's start, ascending, each at or a hair (under 1 µs)
     * before its frame, where they were read (probe-keyframes.ts: a render in pieces reads them,
     * to start each piece's read at a keyframe on its first instant: frame-rate.ts, seekLead).
     * Derived from the file's bytes: never part of a piece's key.
     */
    readonly keyframes?: readonly number[];
  };
  readonly audio?: {
    readonly codec: string;
    readonly channels: number;
    readonly sampleRate: number;
  };
}
