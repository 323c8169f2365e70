// Chart colours from VS Code's theme variables: uPlot draws on a canvas, so the computed values are read when
// a chart is built, and every chart is rebuilt when VS Code switches the body's theme class.

export interface ChartTheme {
  foreground: string;
  grid: string;
  palette: string[];
  lineWidth: number;
  font: string;
  highContrast: boolean;
}

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const THEME_CLASSES = ['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light'];

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = read('--vscode-foreground', 'currentColor');
  return {
    foreground,
    grid: read(highContrast ? '--vscode-contrastBorder' : '--vscode-panel-border', foreground),
    palette: PALETTE.map((name) => read(name, foreground)),
    lineWidth: highContrast ? 3 : 1.5,
    font: `${read('--vscode-font-size', '12px')} ${read('--vscode-font-family', 'sans-serif')}`,
    highContrast,
  };
}

// VS Code sets the theme's kind as a class of the body and its colours as variables in the root element's style
// (switching between two dark themes changes only the latter).
const themeOf = (): string => `${THEME_CLASSES.filter((name) => document.body.classList.contains(name)).join(' ')}|${document.documentElement.getAttribute('style') ?? ''}`;

/** Calls `onChange` when the theme changes (not for other class changes). */
export function watchTheme(onChange: () => void): MutationObserver {
  let current = themeOf();
  const observer = new MutationObserver(() => {
    const next = themeOf();
    if (next === current) return;
    current = next;
    onChange();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return observer;
}
