// vscode-free modules take their translator as an argument, so their text stays localisable
// (the extension passes `vscode.l10n.t`) while unit tests run in plain Node.

export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** Fills `{0}`, `{1}`… the way `vscode.l10n.t` does for the English source strings. */
export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : match;
  });
