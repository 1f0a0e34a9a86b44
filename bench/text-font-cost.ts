/**
 * What drawing one text costs a fresh process, fonts included: a Latin title by default (only the
 * bundled DejaVu Sans is needed), or any text given. CPU (user + sys) and RSS of the process after
 * the render, and how many of Montage's font files Skia was handed. Used to measure lazy registration of the
 * fallback fonts (docs/benchmarks.md):
 *
 *   /usr/bin/time -f '%U %S %e %M' node --import tsx bench/text-font-cost.ts ['Launch day — 50% off']
 */
import { FontRegistry } from '../src/render/raster/font-registry.ts';
import { renderText } from '../src/render/raster/render-text.ts';
import { skia } from '../src/render/raster/skia.ts';

const text = process.argv[2] ?? 'Launch day — 50% off';
const before = process.cpuUsage();
const img = renderText({ font: { size: 80 } }, text, { width: 1280, height: 720 }, new FontRegistry());
const cpu = process.cpuUsage(before);
console.log(JSON.stringify({
  text, png: img.png.length, renderCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  montageFamilies: skia().GlobalFonts.families.filter((f) => f.family.startsWith('montage-')).length,
}));
