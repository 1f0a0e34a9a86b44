/**
 * Montage Studio: write a composition, check it as you type, preview a frame, render it with a
 * live progress bar, play and download the result. Everything goes through the public /v1 API
 * with the key the person enters; the page itself is static (served by src/http/studio-routes.ts).
 */
import './style.css';
import { Api, ApiError } from './api.ts';
import { createEditor, recheck, setText, type ProblemView } from './editor.ts';
import { EXAMPLES } from './examples.ts';
import { GalleryMedia } from './media.ts';
import { PlaceholderForm } from './placeholder-form.ts';
import { estimateDuration, prepareRender, prepareStill, type RenderOptions } from './render-options.ts';
import type { Render, ValidationResult } from './types.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const KEY_STORE = 'montage.studio.key';
const TEXT_STORE = 'montage.studio.text';

let apiKey = sessionStorage.getItem(KEY_STORE) ?? '';
const api = new Api(() => apiKey);
const media = new GalleryMedia(api, () => apiKey);

const problemText = (e: unknown): string => {
  if (e instanceof ApiError) {
    const first = e.problem.errors?.[0];
    return first ? `${e.message} (${first.pointer || '/'}: ${first.detail})` : e.message;
  }
  return (e as Error).message;
};
const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;
const renderOptions = (): RenderOptions => ({ scale: Number($<HTMLSelectElement>('size').value), draft: $<HTMLInputElement>('draft').checked });

// --- API key ------------------------------------------------------------------------------------
const keyInput = $<HTMLInputElement>('api-key');
const keyStatus = $('key-status');
keyInput.value = apiKey;
$('key-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  apiKey = keyInput.value.trim();
  if (apiKey) sessionStorage.setItem(KEY_STORE, apiKey); else sessionStorage.removeItem(KEY_STORE);
  await checkKey();
  recheck(editor);
});
async function checkKey() {
  if (!apiKey) { keyStatus.textContent = 'No key yet.'; keyStatus.dataset.state = 'none'; return; }
  try {
    await api.listRenders(1);
    keyStatus.textContent = 'Key accepted.';
    keyStatus.dataset.state = 'ok';
    void refreshRenders();
  } catch (e) {
    keyStatus.textContent = `Key refused: ${problemText(e)}`;
    keyStatus.dataset.state = 'bad';
  }
}
const needKey = (status: HTMLElement): boolean => {
  if (apiKey) return false;
  status.textContent = 'Enter an API key first.';
  keyInput.focus();
  return true;
};

// --- Editor, problems, placeholders -----------------------------------------------------------------
let summary: ValidationResult | null = null;
/** The last duration a valid composition had: an invalid edit (half-typed JSON) keeps the slider's range. */
let knownDuration = 0;
/** The example just loaded and the status that says so; the status goes once the text is edited. */
let loaded: { text: string; note: string } | null = null;
const form = new PlaceholderForm($('placeholders'), () => recheck(editor));
const problemsList = $('problems');
const checkNote = $('check-note');

function showProblems(problems: ProblemView[], note?: string) {
  problemsList.replaceChildren(...problems.map((p) => {
    const li = document.createElement('li');
    li.className = `problem problem-${p.severity}`;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `Line ${p.line} · ${p.pointer || '/'}: ${p.message}`;
    b.title = p.origin;
    b.addEventListener('click', () => { editor.dispatch({ selection: { anchor: p.from }, scrollIntoView: true }); editor.focus(); });
    li.append(b);
    return li;
  }));
  const errors = problems.filter((p) => p.severity === 'error').length;
  checkNote.textContent = note ?? (errors ? `${errors} problem${errors === 1 ? '' : 's'}.` : problems.length ? 'Only warnings.' : 'No problems.');
  checkNote.dataset.state = errors ? 'bad' : 'ok';
}

const parse = (text: string): unknown => { try { return JSON.parse(text) as unknown; } catch { return undefined; } };
let saveTimer = 0;
const editor = createEditor($('editor'), sessionStorage.getItem(TEXT_STORE) ?? EXAMPLES[0].text, {
  merge: () => form.values(),
  validate: (composition, merge) => (apiKey ? media.resolve(composition).then((c) => api.validate({ composition: c, merge })) : null),
  checked: (r) => {
    summary = r.summary;
    showProblems(r.problems, r.note);
    updatePlayhead();
  },
  changed: (text) => {
    const raw = parse(text);
    if (raw !== undefined) form.update(raw);
    // "… loaded." describes the example as it came; after an edit it would describe nothing.
    if (loaded && text !== loaded.text) {
      if ($('preview-status').textContent === loaded.note) $('preview-status').textContent = '';
      loaded = null;
    }
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => sessionStorage.setItem(TEXT_STORE, text), 500);
    updatePlayhead();
  },
});
form.update(parse(editor.state.doc.toString()));

/** The composition as written, or null (and a message) when the text is not JSON. */
function current(status: HTMLElement): unknown {
  const raw = parse(editor.state.doc.toString());
  if (raw === undefined) status.textContent = 'The composition is not valid JSON: fix the marked problem first.';
  return raw ?? null;
}

// --- Gallery -------------------------------------------------------------------------------------
const gallery = $('gallery');
for (const ex of EXAMPLES) {
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'example';
  b.dataset.example = ex.id;
  b.innerHTML = '<strong></strong><span></span>';
  b.querySelector('strong')!.textContent = ex.title;
  b.querySelector('span')!.textContent = ex.blurb;
  b.addEventListener('click', () => {
    form.reset();
    setText(editor, ex.text);
    form.update(parse(ex.text));
    for (const other of gallery.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b));
    $('preview-image').hidden = true;
    $('preview-status').textContent = `${ex.title} loaded.`;
    loaded = { text: ex.text, note: `${ex.title} loaded.` };
  });
  li.append(b);
  gallery.append(li);
}

// --- Playhead and quick preview -----------------------------------------------------------------------
const playhead = $<HTMLInputElement>('playhead');
function updatePlayhead() {
  const d = summary?.duration || estimateDuration(parse(editor.state.doc.toString())) || knownDuration;
  if (d > 0) knownDuration = d;
  const max = Math.max(0.05, d - 1 / 60);
  playhead.max = max.toFixed(2);
  if (Number(playhead.value) > max) playhead.value = playhead.max;
  $('playhead-time').textContent = seconds(Number(playhead.value));
}
playhead.addEventListener('input', () => { $('playhead-time').textContent = seconds(Number(playhead.value)); });
playhead.addEventListener('change', () => void preview());
$('preview-button').addEventListener('click', () => void preview());

let previewRunning: Promise<void> | null = null;
let previewAgain = false;
async function preview(): Promise<void> {
  if (previewRunning) { previewAgain = true; return previewRunning; }
  previewRunning = (async () => {
    do {
      previewAgain = false;
      await previewOnce();
    } while (previewAgain);
  })();
  try { await previewRunning; } finally { previewRunning = null; }
}
async function previewOnce() {
  const status = $('preview-status');
  const img = $<HTMLImageElement>('preview-image');
  if (needKey(status)) return;
  const raw = current(status);
  if (raw === null) return;
  const t = Number(playhead.value);
  const started = performance.now();
  status.textContent = `Rendering the frame at ${seconds(t)}…`;
  try {
    const composition = await media.resolve(prepareStill(raw, t, renderOptions()));
    const r = await api.render({ composition, merge: form.values(), metadata: { studio: 'preview' } }, () => {});
    if (r.status !== 'succeeded') { status.textContent = `The preview ${r.status}: ${r.error?.message ?? ''}`; return; }
    const blob = await api.output(r.id);
    const url = URL.createObjectURL(blob);
    await new Promise<void>((res, rej) => { img.onload = () => res(); img.onerror = () => rej(new Error('The frame could not be shown.')); img.src = url; });
    if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
    img.dataset.url = url;
    img.dataset.renderId = r.id;
    img.hidden = false;
    status.textContent = `Frame at ${seconds(t)}, ready in ${seconds((performance.now() - started) / 1000)}.`;
    void refreshRenders();
  } catch (e) {
    status.textContent = `No preview: ${problemText(e)}`;
    if (e instanceof ApiError && e.problem.code === 'MONTAGE_E_ASSET_NOT_FOUND') media.forget();
  }
}

// --- Render -------------------------------------------------------------------------------------
const progress = $<HTMLProgressElement>('render-progress');
const percent = $('render-percent');
const renderStatus = $('render-status');
const renderButton = $<HTMLButtonElement>('render-button');
const setProgress = (p: number, status: string) => {
  const pct = Math.round(Math.max(0, Math.min(1, p)) * 100);
  progress.value = pct;
  progress.setAttribute('aria-valuetext', `${pct} %, ${status}`);
  percent.textContent = `${pct} %`;
  renderStatus.textContent = `${status[0].toUpperCase()}${status.slice(1)}…`;
};

renderButton.addEventListener('click', async () => {
  if (needKey(renderStatus)) return;
  const raw = current(renderStatus);
  if (raw === null) return;
  renderButton.disabled = true;
  $('result').hidden = true;
  setProgress(0, 'submitting');
  try {
    const composition = await media.resolve(prepareRender(raw, renderOptions()));
    const r = await api.render({ composition, merge: form.values(), metadata: { studio: 'render' } }, setProgress);
    if (r.status === 'succeeded') {
      setProgress(1, 'succeeded');
      renderStatus.textContent = `Done in ${took(r)}: ${r.format}, ${seconds(r.duration)}.`;
      await showResult(r);
    } else {
      renderStatus.textContent = `The render ${r.status}${r.error ? `: ${r.error.message}` : '.'}`;
    }
  } catch (e) {
    renderStatus.textContent = `Not rendered: ${problemText(e)}`;
    if (e instanceof ApiError && e.problem.code === 'MONTAGE_E_ASSET_NOT_FOUND') media.forget();
  } finally {
    renderButton.disabled = false;
    void refreshRenders();
  }
});

const took = (r: Render) => (r.finishedAt ? seconds((Date.parse(r.finishedAt) - Date.parse(r.createdAt)) / 1000) : '—');
const EXT: Record<string, string> = { 'video/mp4': 'mp4', 'video/webm': 'webm', 'video/quicktime': 'mov', 'image/gif': 'gif', 'audio/mpeg': 'mp3', 'audio/wav': 'wav', 'image/png': 'png', 'image/jpeg': 'jpg' };

async function showResult(r: Render) {
  const video = $<HTMLVideoElement>('result-video');
  const image = $<HTMLImageElement>('result-image');
  const audio = $<HTMLAudioElement>('result-audio');
  const link = $<HTMLAnchorElement>('download');
  const blob = await api.output(r.id);
  const url = URL.createObjectURL(blob);
  if (link.dataset.url) URL.revokeObjectURL(link.dataset.url);
  link.dataset.url = url;
  const type = r.outputs.video?.contentType ?? blob.type;
  video.hidden = !type.startsWith('video/');
  image.hidden = !type.startsWith('image/');
  audio.hidden = !type.startsWith('audio/');
  video.removeAttribute('src');
  if (!video.hidden) { video.src = url; video.dataset.renderId = r.id; }
  if (!image.hidden) image.src = url;
  if (!audio.hidden) audio.src = url;
  link.href = url;
  link.download = `${r.id}.${EXT[type] ?? r.format}`;
  link.textContent = `Download ${link.download} (${Math.round(blob.size / 1024)} KiB)`;
  $('result').hidden = false;
}

// --- Recent renders ---------------------------------------------------------------------------------
const thumbs = new Map<string, Promise<string | null>>();
const thumbnail = (r: Render): Promise<string | null> => {
  let t = thumbs.get(r.id);
  if (!t) {
    const kind = r.outputs.thumbnail ? 'thumbnail' : r.outputs.poster ? 'poster' : /^(png|jpg)$/.test(r.format) ? 'video' : null;
    t = kind ? api.output(r.id, kind).then((b) => URL.createObjectURL(b), () => null) : Promise.resolve(null);
    thumbs.set(r.id, t);
  }
  return t;
};

async function refreshRenders() {
  if (!apiKey) return;
  const list = $('renders');
  let page: { data: Render[] };
  try { page = await api.listRenders(8); } catch (e) { list.textContent = problemText(e); return; }
  list.replaceChildren(...page.data.map((r) => {
    const li = document.createElement('li');
    li.className = 'render';
    li.dataset.status = r.status;
    const img = document.createElement('img');
    img.alt = '';
    img.width = 80;
    img.height = 45;
    void thumbnail(r).then((u) => { if (u) img.src = u; else img.classList.add('empty'); });
    const text = document.createElement('div');
    const kind = r.metadata?.studio === 'preview' ? 'preview frame' : r.format;
    text.innerHTML = '<strong></strong> <span class="badge"></span><br><small></small>';
    text.querySelector('strong')!.textContent = kind;
    text.querySelector('.badge')!.textContent = r.status;
    text.querySelector('small')!.textContent = `${r.duration ? `${seconds(r.duration)} · ` : ''}took ${took(r)} · ${new Date(r.createdAt).toLocaleTimeString()}`;
    li.append(img, text);
    if (r.status === 'succeeded') {
      const open = document.createElement('button');
      open.type = 'button';
      open.textContent = 'Open';
      open.setAttribute('aria-label', `Open the ${kind} render from ${new Date(r.createdAt).toLocaleTimeString()}`);
      open.addEventListener('click', () => void showResult(r).then(() => $('result-video').focus()));
      li.append(open);
    } else if (r.error) {
      li.title = r.error.message;
    }
    return li;
  }));
  if (page.data.length === 0) list.textContent = 'No renders yet.';
}
$('refresh-renders').addEventListener('click', () => void refreshRenders());

// --- Assets -------------------------------------------------------------------------------------------
const dropzone = $('dropzone');
const uploadStatus = $('upload-status');
async function upload(files: FileList | File[]) {
  if (needKey(uploadStatus)) return;
  for (const f of Array.from(files)) {
    uploadStatus.textContent = `Uploading ${f.name}…`;
    try {
      const a = await api.uploadAsset(f, f.name);
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = a.src;
      const insert = document.createElement('button');
      insert.type = 'button';
      insert.textContent = 'Insert';
      insert.setAttribute('aria-label', `Insert ${a.src} (${f.name}) at the cursor`);
      insert.addEventListener('click', () => {
        const { from, to } = editor.state.selection.main;
        editor.dispatch({ changes: { from, to, insert: a.src }, selection: { anchor: from + a.src.length } });
        editor.focus();
      });
      li.append(`${f.name} (${Math.round(a.bytes / 1024)} KiB) → `, code, ' ', insert);
      $('assets').append(li);
      uploadStatus.textContent = `Uploaded ${f.name}: use "src": "${a.src}".`;
    } catch (e) {
      uploadStatus.textContent = `${f.name} was not uploaded: ${problemText(e)}`;
    }
  }
}
dropzone.addEventListener('dragover', (e) => { e.preventDefault(); dropzone.classList.add('over'); });
dropzone.addEventListener('dragleave', () => dropzone.classList.remove('over'));
dropzone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropzone.classList.remove('over');
  if (e.dataTransfer?.files.length) void upload(e.dataTransfer.files);
});
$<HTMLInputElement>('file-input').addEventListener('change', (e) => {
  const input = e.target as HTMLInputElement;
  if (input.files?.length) void upload(input.files).then(() => { input.value = ''; });
});

void checkKey();
updatePlayhead();
