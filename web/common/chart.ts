/**
 * Hand-rolled SVG charts for the consoles: a time-series line chart, horizontal bars and daily columns. A few hundred
 * bytes of code instead of a charting library; each chart is a `<figure>` whose SVG has a title and a description
 * with the latest values, and whose legend prints those values as text, so the numbers are readable without the
 * picture (screen readers, colour blindness). Series also differ by dash pattern, not colour alone.
 */
import { h, svg } from "./dom";

export interface Series {
  name: string;
  color: string;
  dash?: string;
  /** [epoch ms, value], oldest first. */
  points: Array<[number, number]>;
}

const W = 600;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 24, left: 84 };
let chartIds = 0;

export function lineChart(options: {
  title: string;
  series: Series[];
  format: (value: number) => string;
  yMin?: number;
  yMax?: number;
  empty?: string;
}): HTMLElement {
  const id = `chart-${++chartIds}`;
  const all = options.series.flatMap((s) => s.points);
  const latest = options.series.map((s) => `${s.name} ${last(s) === undefined ? "no data" : options.format(last(s)!)}`);
  const figure = h("figure", { class: "chart" }, h("figcaption", { id: `${id}-t` }, options.title));
  if (all.length === 0) {
    figure.append(h("p", { class: "chart-empty" }, options.empty ?? "No data yet."));
    return figure;
  }
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const y0 = options.yMin ?? Math.min(0, ...ys);
  const y1 = niceMax(options.yMax ?? Math.max(...ys, y0 + 1e-9));
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);

  const grid: SVGElement[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    grid.push(
      svg("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(v), y2: sy(v), class: "grid" }),
      svg("text", { x: PAD.left - 6, y: sy(v) + 4, "text-anchor": "end", class: "tick" }, options.format(v)),
    );
  }
  grid.push(
    svg("text", { x: PAD.left, y: H - 6, class: "tick" }, clock(x0)),
    svg("text", { x: W - PAD.right, y: H - 6, "text-anchor": "end", class: "tick" }, clock(x1)),
  );
  const lines = options.series.map((s) => {
    const d = s.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    const path = svg("path", { d, fill: "none", stroke: s.color, "stroke-width": 2.5, "stroke-dasharray": s.dash });
    const lastPoint = s.points.at(-1);
    return lastPoint
      ? svg("g", {}, path, svg("circle", { cx: sx(lastPoint[0]), cy: sy(lastPoint[1]), r: 3.5, fill: s.color }))
      : path;
  });
  figure.append(
    svg(
      "svg",
      { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d`, preserveAspectRatio: "none" },
      svg("desc", { id: `${id}-d` }, `Latest: ${latest.join(", ")}.`),
      ...grid,
      ...lines,
    ),
    legend(
      options.series.map((s) => ({ name: s.name, color: s.color, dash: s.dash, value: lastText(s, options.format) })),
    ),
  );
  return figure;
}

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Shown after the value, e.g. "commit 80% used". */
  note?: string;
}

/** Horizontal bars, one per row, with the value printed beside each bar. */
export function barChart(options: {
  title: string;
  bars: Bar[];
  format: (v: number) => string;
  max?: number;
}): HTMLElement {
  const max = options.max ?? Math.max(...options.bars.map((b) => b.value), 1e-9);
  const rows = options.bars.map((bar) =>
    h(
      "li",
      { class: "bar-row" },
      h("span", { class: "bar-label" }, bar.label),
      h(
        "span",
        { class: "bar-track", "aria-hidden": "true" },
        fill(Math.max(0, Math.min(100, (bar.value / max) * 100)), bar.color),
      ),
      h("span", { class: "bar-value" }, options.format(bar.value), bar.note ? ` · ${bar.note}` : ""),
    ),
  );
  return h("figure", { class: "chart" }, h("figcaption", {}, options.title), h("ul", { class: "bars" }, rows));
}

export interface Column {
  label: string;
  value: number;
}

/** Vertical columns (one per day), value labels on top. */
export function columnChart(options: {
  title: string;
  columns: Column[];
  color: string;
  format: (v: number) => string;
  empty?: string;
}): HTMLElement {
  const id = `chart-${++chartIds}`;
  const figure = h("figure", { class: "chart" }, h("figcaption", { id: `${id}-t` }, options.title));
  if (options.columns.length === 0) {
    figure.append(h("p", { class: "chart-empty" }, options.empty ?? "No data yet."));
    return figure;
  }
  const max = niceMax(Math.max(...options.columns.map((c) => c.value), 1e-9));
  const n = options.columns.length;
  const slot = (W - PAD.left - PAD.right) / n;
  const barW = Math.min(48, slot * 0.7);
  const sy = (y: number) => H - PAD.bottom - (y / max) * (H - PAD.top - PAD.bottom - 14);
  const parts: SVGElement[] = [
    svg("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(0), y2: sy(0), class: "grid" }),
    svg("text", { x: PAD.left - 6, y: sy(max) + 4, "text-anchor": "end", class: "tick" }, options.format(max)),
  ];
  options.columns.forEach((col, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    parts.push(
      svg("rect", {
        x: cx - barW / 2,
        y: sy(col.value),
        width: barW,
        height: sy(0) - sy(col.value),
        fill: options.color,
      }),
      svg("text", { x: cx, y: sy(col.value) - 4, "text-anchor": "middle", class: "tick" }, options.format(col.value)),
      svg("text", { x: cx, y: H - 6, "text-anchor": "middle", class: "tick" }, col.label),
    );
  });
  const summary = options.columns.map((c) => `${c.label}: ${options.format(c.value)}`).join(", ");
  figure.append(
    svg(
      "svg",
      { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
      svg("desc", { id: `${id}-d` }, summary),
      ...parts,
    ),
  );
  return figure;
}

/** Set through the CSSOM, which the pages' Content-Security-Policy allows (style attributes it does not). */
function fill(percent: number, color: string): HTMLElement {
  const el = h("span", { class: "bar-fill" });
  el.style.width = `${percent.toFixed(1)}%`;
  el.style.background = color;
  return el;
}

function legend(items: Array<{ name: string; color: string; dash?: string; value: string }>): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    items.map((item) =>
      h(
        "li",
        {},
        svg(
          "svg",
          { width: 28, height: 10, "aria-hidden": "true" },
          svg("line", {
            x1: 0,
            x2: 28,
            y1: 5,
            y2: 5,
            stroke: item.color,
            "stroke-width": 3,
            "stroke-dasharray": item.dash,
          }),
        ),
        h("span", {}, `${item.name}: `, h("strong", {}, item.value)),
      ),
    ),
  );
}

function last(series: Series): number | undefined {
  return series.points.at(-1)?.[1];
}

function lastText(series: Series, format: (v: number) => string): string {
  const value = last(series);
  return value === undefined ? "no data" : format(value);
}

function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Rounds an axis maximum up to 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
