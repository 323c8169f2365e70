// The view's text: every visible English string is a key of the map the extension sends with `init`
// (src/dashboard/viewStrings.ts builds it through l10n); a key the map lacks shows in English.

export type ViewStringTable = Readonly<Record<string, string>>;

/** `key` translated by `table` (or itself), with `{0}`, `{1}`, … replaced by `args` (numbers in the page's locale). */
export function viewText(table: ViewStringTable, key: string, ...args: (string | number)[]): string {
  const template = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    if (arg === undefined) return whole;
    return typeof arg === 'number' ? arg.toLocaleString() : arg;
  });
}
