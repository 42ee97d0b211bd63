import { PassThrough } from 'node:stream';
import * as PImage from 'pureimage';
import type { MonthMetrics, RateMetric } from '../domain/report.js';

// Pure JavaScript (no native build, no fonts fetched): grouped bars, one group per month, oldest on the left.
const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = 24;

/** The bars of each month, left to right, and their colours (the legend in words/report.ts names them). */
export const CHART_SERIES: readonly { metric: RateMetric; colour: string }[] = [
  { metric: 'successRate', colour: '#2eb67d' },
  { metric: 'emergencyRate', colour: '#ecb22e' },
  { metric: 'rollbackRate', colour: '#e01e5a' },
];

/** A PNG of the success, emergency and rollback rates (0–100 %) of each month given, with gridlines every 25 %. */
export async function reportChartPng(months: readonly MonthMetrics[]): Promise<Buffer> {
  const image = PImage.make(WIDTH, HEIGHT);
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  const plotHeight = HEIGHT - 2 * MARGIN;
  const yOf = (percent: number) => HEIGHT - MARGIN - (percent / 100) * plotHeight;
  ctx.fillStyle = '#dddddd';
  for (const percent of [0, 25, 50, 75, 100]) ctx.fillRect(MARGIN, Math.round(yOf(percent)), WIDTH - 2 * MARGIN, 1);
  const groupWidth = (WIDTH - 2 * MARGIN) / Math.max(months.length, 1);
  const barWidth = Math.floor((groupWidth * 0.7) / CHART_SERIES.length);
  months.forEach((month, index) => {
    const left = MARGIN + index * groupWidth + groupWidth * 0.15;
    CHART_SERIES.forEach((series, position) => {
      const percent = month[series.metric].percent ?? 0;
      const top = Math.round(yOf(percent));
      ctx.fillStyle = series.colour;
      ctx.fillRect(Math.round(left + position * barWidth), top, barWidth - 2, HEIGHT - MARGIN - top);
    });
  });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(image, sink);
  return Buffer.concat(chunks);
}
