// The linebreak package (UAX #14) ships no types; this covers the part layout-text.ts uses.
declare module 'linebreak' {
  /** A line-break opportunity before the code unit at `position`; `required` for hard breaks. */
  interface Break {
    readonly position: number;
    readonly required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    /** The next opportunity, or null after the end of the text (which is always one). */
    nextBreak(): Break | null;
  }
}
