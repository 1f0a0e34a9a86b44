/**
 * The composition editor: CodeMirror 6 with JSON, completion and hover docs from the published
 * JSON Schema (codemirror-json-schema), and problems drawn at their fields from two checks:
 *  - in the page: placeholders and the same schema with Ajv, worded by the service's own
 *    schema-problems module, so the words match what the API says;
 *  - by the service: POST /v1/validate (rules the schema cannot say: even sizes for mp4, assets,
 *    limits), run when the page finds nothing wrong itself.
 * Each problem is underlined at its field and its sentence is written at the end of that line.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json, jsonLanguage, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { forEachDiagnostic, lintGutter, lintKeymap, linter, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, type Extension } from '@codemirror/state';
import {
  Decoration, EditorView, ViewPlugin, WidgetType, drawSelection, highlightActiveLine, highlightActiveLineGutter,
  hoverTooltip, keymap, lineNumbers, type DecorationSet, type ViewUpdate,
} from '@codemirror/view';
import { jsonCompletion, jsonSchemaHover, stateExtensions } from 'codemirror-json-schema';
import { Ajv } from 'ajv';
import schema from '../../schema/composition.schema.json';
import { applyPlaceholders } from '../../src/composition/apply-placeholders.ts';
import { schemaProblems } from '../../src/composition/schema-problems.ts';
import { ApiError } from './api.ts';
import { problemRange } from './pointer-ranges.ts';
import type { FieldProblem, MergeValues, ValidationResult } from './types.ts';

const ajv = new Ajv({ allErrors: true, discriminator: true, verbose: true, strict: false });
const checkSchema = ajv.compile(schema as object);

/** Asks the linter to run again although the text did not change (new merge values, a new key). */
const relint = StateEffect.define<null>();

export interface EditorHooks {
  /** The placeholder form's values: they fill `{{NAME}}` before either check. */
  merge(): MergeValues;
  /** POST /v1/validate, or null when there is no key to call it with. */
  validate(composition: unknown, merge: MergeValues): Promise<ValidationResult> | null;
  /** After every check: what the service said (null if it was not asked) and every problem. */
  checked(result: { summary: ValidationResult | null; problems: ProblemView[]; note?: string }): void;
  changed(text: string): void;
}

export interface ProblemView { readonly line: number; readonly from: number; readonly pointer: string; readonly message: string; readonly severity: string; readonly origin: string }

interface Tagged extends Diagnostic { pointer?: string }

const toDiagnostic = (state: EditorState, p: FieldProblem, severity: 'error' | 'warning', origin: string): Tagged => {
  const { from, to } = problemRange(state, p.pointer, p.detail);
  return { from, to, severity, message: p.detail, source: `${p.pointer || '/'} · ${origin}`, pointer: p.pointer };
};

/** The page's own check: placeholders, then the schema. */
export function localProblems(raw: unknown, merge: MergeValues): FieldProblem[] {
  const { value, missing } = applyPlaceholders(raw, merge);
  if (missing.length) return [...missing];
  return checkSchema(value) ? [] : schemaProblems(checkSchema.errors ?? []);
}

class MessageWidget extends WidgetType {
  constructor(readonly text: string, readonly severity: string) { super(); }
  override eq(other: MessageWidget) { return other.text === this.text && other.severity === this.severity; }
  toDOM() {
    const span = document.createElement('span');
    span.className = `cm-inline-diagnostic cm-inline-diagnostic-${this.severity}`;
    span.textContent = this.text;
    return span;
  }
}

/** Writes each problem's sentence after the end of its line, next to the underlined field. */
const inlineMessages = ViewPlugin.fromClass(class {
  decorations: DecorationSet = Decoration.none;
  private key = '';
  constructor(view: EditorView) { this.build(view.state); }
  update(u: ViewUpdate) { if (u.docChanged || u.transactions.length) this.build(u.state); }
  build(state: EditorState) {
    const items: { pos: number; text: string; severity: string }[] = [];
    forEachDiagnostic(state, (d, from) => {
      const line = state.doc.lineAt(Math.min(from, state.doc.length));
      items.push({ pos: line.to, text: `${d.severity === 'error' ? '✖' : '⚠'} ${d.message}`, severity: d.severity });
    });
    const key = JSON.stringify(items);
    if (key === this.key) return;
    this.key = key;
    items.sort((a, b) => a.pos - b.pos);
    this.decorations = Decoration.set(items.map((i) => Decoration.widget({ widget: new MessageWidget(i.text, i.severity), side: 1 }).range(i.pos)));
  }
}, { decorations: (v) => v.decorations });

export function createEditor(parent: HTMLElement, text: string, hooks: EditorHooks): EditorView {
  const check = async (view: EditorView): Promise<Diagnostic[]> => {
    const state = view.state;
    let raw: unknown;
    try { raw = JSON.parse(state.doc.toString()); } catch { hooks.checked({ summary: null, problems: [], note: 'The text is not valid JSON yet.' }); return []; }
    const merge = hooks.merge();
    const local = localProblems(raw, merge).map((p) => toDiagnostic(state, p, 'error', 'schema'));
    let out: Tagged[] = local;
    let summary: ValidationResult | null = null;
    let note: string | undefined;
    if (local.length === 0) {
      try {
        const pending = hooks.validate(raw, merge);
        if (pending) {
          summary = await pending;
          out = summary.warnings.map((p) => toDiagnostic(state, p, 'warning', 'service'));
        } else {
          note = 'Enter an API key to check with the service too.';
        }
      } catch (e) {
        if (e instanceof ApiError && e.problem.errors?.length) {
          out = e.problem.errors.map((p) => toDiagnostic(state, p, 'error', 'service'));
        } else {
          note = `The service could not check it: ${(e as Error).message}`;
        }
      }
    }
    if (view.state.doc === state.doc) {
      hooks.checked({
        summary, note,
        problems: out.map((d) => ({
          line: state.doc.lineAt(d.from).number, from: d.from, pointer: d.pointer ?? '', message: d.message, severity: d.severity, origin: d.source ?? '',
        })),
      });
    }
    return out;
  };

  const extensions: Extension[] = [
    lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), drawSelection(), indentOnInput(),
    bracketMatching(), closeBrackets(), highlightActiveLine(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    autocompletion(),
    // Tab is left to move focus (keyboard users must be able to leave the editor); Ctrl-Space completes.
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap]),
    json(),
    linter(jsonParseLinter(), { delay: 300 }),
    linter(check, { delay: 600, needsRefresh: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(relint))) }),
    lintGutter(),
    inlineMessages,
    jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
    hoverTooltip(jsonSchemaHover()),
    stateExtensions(schema as Parameters<typeof stateExtensions>[0]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': 'Composition JSON', 'aria-describedby': 'problems-title' }),
    EditorView.updateListener.of((u) => { if (u.docChanged) hooks.changed(u.state.doc.toString()); }),
  ];
  return new EditorView({ parent, state: EditorState.create({ doc: text, extensions }) });
}

export const recheck = (view: EditorView) => view.dispatch({ effects: relint.of(null) });

export const setText = (view: EditorView, text: string) =>
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true });
