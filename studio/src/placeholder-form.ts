/**
 * A form generated from a composition's `{{NAME}}` placeholders: one labelled field each, starting
 * from the composition's own `merge` value. Its values are sent as the request's `merge` (which
 * overrides the composition's), typed like the default: a number stays a number.
 */
import { templatePlaceholders, type TemplatePlaceholder } from '../../src/composition/template-placeholders.ts';
import type { MergeValues } from './types.ts';

export class PlaceholderForm {
  private names: string[] = [];
  private defaults: MergeValues = {};
  /** The same list the API returns on a Template (GET /v1/templates/{id}). */
  private fields: TemplatePlaceholder[] = [];
  /** What the person typed, kept by name while the composition changes around it. */
  private readonly edited = new Map<string, string | number | boolean>();

  constructor(private readonly root: HTMLElement, private readonly onChange: () => void) {}

  /** Rebuilds the fields when the set of placeholders or their defaults change. */
  update(raw: unknown) {
    const fields = templatePlaceholders(raw);
    const names = fields.map((f) => f.name);
    const merge = raw && typeof raw === 'object' && 'merge' in raw ? ((raw as { merge?: MergeValues }).merge ?? {}) : {};
    if (JSON.stringify([names, merge]) === JSON.stringify([this.names, this.defaults])) return;
    this.names = names;
    this.fields = fields;
    this.defaults = { ...merge };
    this.render();
  }

  reset() { this.edited.clear(); this.names = []; this.fields = []; this.defaults = {}; this.render(); }

  values(): MergeValues {
    const out: Record<string, string | number | boolean> = {};
    for (const n of this.names) {
      const v = this.edited.get(n);
      if (v !== undefined) out[n] = v;
    }
    return out;
  }

  private render() {
    this.root.replaceChildren();
    this.root.hidden = this.names.length === 0;
    if (this.names.length === 0) return;
    const legend = document.createElement('legend');
    legend.textContent = 'Placeholders';
    this.root.append(legend);
    for (const { name, type, default: given } of this.fields) {
      const def = given ?? undefined;
      const id = `ph-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const row = document.createElement('div');
      row.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = name;
      const input = document.createElement('input');
      input.id = id;
      input.name = name;
      input.dataset.placeholder = name;
      const current = this.edited.get(name) ?? def;
      if (type === 'boolean') {
        input.type = 'checkbox';
        input.checked = current === true;
      } else if (type === 'number') {
        input.type = 'number';
        input.step = 'any';
        input.value = current === undefined ? '' : String(current);
      } else if (type === 'color') {
        input.type = 'color';
        input.value = String(current);
      } else {
        input.type = 'text';
        input.value = current === undefined ? '' : String(current);
        if (def === undefined) { input.required = true; input.placeholder = 'needs a value'; }
      }
      input.addEventListener('input', () => {
        if (input.type === 'checkbox') this.edited.set(name, input.checked);
        else if (input.type === 'number') {
          if (input.value === '') this.edited.delete(name); else this.edited.set(name, Number(input.value));
        } else if (input.value === '' && def !== undefined) this.edited.delete(name);
        else this.edited.set(name, input.value);
        this.onChange();
      });
      row.append(label, input);
      this.root.append(row);
    }
  }
}
