import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { DsnRejection } from '../dsn/rejection.js';
import type { EncodedBatch } from './encoded-batch.js';
import type { ParseMessage, ParseRequest } from './parse-worker.js';

export type ParsedBatch = { batch: EncodedBatch; rejected: DsnRejection[]; warnings: DsnRejection[] };

let workerScript: Promise<string> | null = null;

/**
 * The worker's code, bundled once per process into plain JavaScript: loading it through tsx would start a
 * second TypeScript loader in the worker, at about 40 MB.
 */
function parserScript(): Promise<string> {
  workerScript ??= build({
    entryPoints: [fileURLToPath(new URL('./parse-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((result) => (result.outputFiles[0] as { text: string }).text);
  return workerScript;
}

/**
 * The parser holds one declaration at a time, and little else survives. Old generation: room for a
 * declaration as large as the largest file. Young generation: 48 MB, below which V8 promotes short-lived
 * parse objects and the worker spends a third of its time collecting them.
 */
function parserMemoryLimits(largestFileBytes: number): ResourceLimits {
  return { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: Math.max(128, Math.ceil((8 * largestFileBytes) / 1024 / 1024)) };
}

/**
 * Batches of encoded declarations, parsed in a worker thread a few batches ahead of the consumer. Leaving
 * the loop early (a database failure) stops the worker.
 */
export async function* parseInWorker(
  request: ParseRequest,
  largestFileBytes: number,
  onProgress: (bytesRead: number, declarations: number) => void,
): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(await parserScript(), {
    eval: true,
    workerData: { request },
    resourceLimits: parserMemoryLimits(largestFileBytes),
  });
  const queue: ParsedBatch[] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: ParseMessage) => {
    if (message.kind === 'progress') onProgress(message.bytesRead, message.declarations);
    else if (message.kind === 'batch') queue.push(message);
    else finished = true;
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    if (!finished && failure === null) failure = new Error(`le fil de lecture des DSN s'est arrêté (code ${code})`);
    notify();
  });
  try {
    while (true) {
      const batch = queue.shift();
      if (batch) {
        worker.postMessage('credit');
        yield batch;
      } else if (finished) return;
      else if (failure) throw failure;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await worker.terminate();
  }
}
