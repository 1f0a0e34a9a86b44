/**
 * The gallery: ready compositions (studio/examples/*.json, shown as written) and the small media
 * they use. The media are the repository's examples/media files, bundled into the page by Vite;
 * the service never reads local paths, so `media/NAME` sources are uploaded as assets on first use
 * and sent as `asset:ID` (see media.ts). The editor keeps showing `media/NAME`.
 */
import titleCard from '../examples/title-card.json?raw';
import slideshow from '../examples/slideshow.json?raw';
import captions from '../examples/captions.json?raw';
import vertical from '../examples/vertical-social.json?raw';
import greeting from '../examples/greeting-template.json?raw';

export interface Example { readonly id: string; readonly title: string; readonly blurb: string; readonly text: string }

export const EXAMPLES: readonly Example[] = [
  { id: 'title-card', title: 'Title card', blurb: 'Text, shapes and transitions, 2.5 s', text: titleCard },
  { id: 'slideshow', title: 'Slideshow', blurb: 'Ken Burns zooms and pans, crossfades, music', text: slideshow },
  { id: 'captions', title: 'Captions over video', blurb: 'Burned-in cues on a clip', text: captions },
  { id: 'vertical-social', title: 'Vertical social clip', blurb: '9:16 for stories and reels', text: vertical },
  { id: 'greeting-template', title: 'Template with placeholders', blurb: 'A form fills {{name}}, {{message}}…', text: greeting },
];

/** `media/NAME` → the bundled file's URL. */
export const GALLERY_MEDIA: Readonly<Record<string, string>> = {
  'media/dusk.jpg': new URL('../../examples/media/dusk.jpg', import.meta.url).href,
  'media/fractal.jpg': new URL('../../examples/media/fractal.jpg', import.meta.url).href,
  'media/waves.jpg': new URL('../../examples/media/waves.jpg', import.meta.url).href,
  'media/badge.png': new URL('../../examples/media/badge.png', import.meta.url).href,
  'media/clip.mp4': new URL('../../examples/media/clip.mp4', import.meta.url).href,
  'media/music.m4a': new URL('../../examples/media/music.m4a', import.meta.url).href,
  'media/captions.srt': new URL('../../examples/media/captions.srt', import.meta.url).href,
};
