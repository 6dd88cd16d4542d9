import { SingleBar } from 'cli-progress';
import type { IngestProgress } from '../ingest/ingest.js';

const MB = 1024 * 1024;

/** A progress bar on a terminal (bytes, declarations per second); nothing when output is piped. */
export function ingestProgressBar(enabled: boolean): {
  update(progress: IngestProgress): void;
  stop(): void;
} {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {megabytes}/{totalMegabytes} Mo | {declarations} déclarations | {rate} décl./s',
    hideCursor: true,
    stream: process.stderr,
  });
  let begun = false;
  return {
    update(progress) {
      const payload = {
        megabytes: (progress.bytesRead / MB).toFixed(1),
        totalMegabytes: (progress.bytesTotal / MB).toFixed(1),
        declarations: progress.declarations,
        rate: Math.round(progress.declarations / Math.max((Date.now() - started) / 1000, 0.001)),
      };
      if (!begun) {
        bar.start(Math.max(progress.bytesTotal, 1), progress.bytesRead, payload);
        begun = true;
      } else bar.update(progress.bytesRead, payload);
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}
