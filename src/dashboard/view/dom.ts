// Building the page: elements with text set through textContent and attributes set one by one; no markup
// strings anywhere (the view runs under a CSP without inline styles or scripts, and server text is data).

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export function button(label: string, onClick: () => void, className = 'dash-button'): HTMLButtonElement {
  const element = el('button', { className, text: label, attrs: { type: 'button' } });
  element.addEventListener('click', onClick);
  return element;
}

/** An id unique in the page, for aria-labelledby and label/for pairs. */
let lastId = 0;
export function nextId(prefix: string): string {
  lastId++;
  return `${prefix}-${lastId}`;
}

/** Percent of `value` between `from` and `to`, clamped to 0–100. */
export function percentOf(value: number, from: number, to: number): number {
  if (!(to > from)) return 0;
  return Math.min(100, Math.max(0, ((value - from) / (to - from)) * 100));
}
