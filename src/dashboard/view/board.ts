// Every chart of the page, drawn in batches: data changes mark a chart dirty and the drawing happens once per
// animation frame, however many messages arrived in between. Theme changes rebuild every chart; size changes
// redraw the one that changed (its decimation depends on its width).

import { DashboardChart, type ChartContext, type ChartSpec } from './chart';
import { readTheme, watchTheme, type ChartTheme } from './theme';

export class ChartBoard {
  private readonly charts = new Map<Element, DashboardChart>();
  private readonly dirty = new Set<DashboardChart>();
  private frame: number | undefined;
  private theme: ChartTheme = readTheme();
  private readonly resizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = this.charts.get(entry.target);
      if (chart?.resized()) this.schedule(chart);
    }
  });
  private readonly themeWatch = watchTheme(() => {
    this.theme = readTheme();
    for (const chart of this.charts.values()) {
      chart.invalidate();
      this.schedule(chart);
    }
  });

  constructor(private readonly context: ChartContext) {}

  /** A new chart, not yet in the page: the caller places `root`. */
  create(spec: ChartSpec): DashboardChart {
    const chart = new DashboardChart(spec, this.context);
    this.charts.set(chart.plotHost, chart);
    this.resizes.observe(chart.plotHost);
    return chart;
  }

  remove(chart: DashboardChart): void {
    this.resizes.unobserve(chart.plotHost);
    this.charts.delete(chart.plotHost);
    this.dirty.delete(chart);
    chart.destroy();
  }

  /** Draw `chart` at the next animation frame. */
  schedule(chart: DashboardChart): void {
    this.dirty.add(chart);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  dispose(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.themeWatch.disconnect();
    this.resizes.disconnect();
    for (const chart of [...this.charts.values()]) this.remove(chart);
  }

  private flush(): void {
    this.frame = undefined;
    const batch = [...this.dirty];
    this.dirty.clear();
    for (const chart of batch) if (chart.root.isConnected) chart.draw(this.theme);
  }
}
