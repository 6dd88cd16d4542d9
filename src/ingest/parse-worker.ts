// Runs in a worker thread: reads, checks and parses DSN files, and encodes their rows, so that the main
// thread is free to feed the database.
import { closeSync, openSync, readSync } from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { readDsnFile } from '../dsn/read-file.js';
import type { DsnRejection } from '../dsn/rejection.js';
import { BatchEncoder, type EncodedBatch } from './encoded-batch.js';
import { type InputFile, inputFiles } from './files.js';

export type ParseRequest = { inputs: string[]; runId: number; nirKey: string; batchLines: number };

export type ParseMessage =
  | { kind: 'batch'; batch: EncodedBatch; rejected: DsnRejection[]; warnings: DsnRejection[] }
  | { kind: 'progress'; bytesRead: number; declarations: number }
  | { kind: 'done' };

const IN_MEMORY_FILE_BYTES = 8 * 1024 * 1024;
// Small files are read into one reused buffer: nothing keeps a view of it once the file is parsed.
const fileBuffer = Buffer.allocUnsafe(IN_MEMORY_FILE_BYTES);

function readSmallFile(file: InputFile): Buffer {
  const descriptor = openSync(file.path, 'r');
  try {
    return fileBuffer.subarray(0, readSync(descriptor, fileBuffer, 0, file.size, 0));
  } finally {
    closeSync(descriptor);
  }
}

// Batches parsed ahead of the writer: enough to never starve it, few enough to keep memory flat.
const BATCHES_AHEAD = 2;
const PROGRESS_EVERY_MS = 100;

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port: MessagePort = parentPort;
const { inputs, runId, nirKey, batchLines } = (workerData as { request: ParseRequest }).request;

let credits = BATCHES_AHEAD;
let creditArrived: (() => void) | null = null;
port.on('message', () => {
  credits++;
  creditArrived?.();
  creditArrived = null;
});

const encoder = new BatchEncoder({ runId }, nirKey);
let rejected: DsnRejection[] = [];
let warnings: DsnRejection[] = [];
let parsed = 0;
let sent = 0;
// The first batch is small: the database starts working sooner.
const batchTarget = () => (sent === 0 ? batchLines / 8 : batchLines);

async function send(): Promise<void> {
  if (encoder.size === 0 && rejected.length === 0 && warnings.length === 0) return;
  if (credits === 0) await new Promise<void>((resolve) => (creditArrived = resolve));
  credits--;
  const { batch, transfer } = encoder.take();
  port.postMessage({ kind: 'batch', batch, rejected, warnings } satisfies ParseMessage, transfer);
  rejected = [];
  warnings = [];
  sent++;
}

// Bundled into a CommonJS script for the worker (see parse-source.ts): no top-level await.
async function parseAll(): Promise<void> {
  let bytesDone = 0;
  let lastProgress = 0;
  for await (const file of inputFiles(inputs)) {
    // Small files (most DSN: one establishment, one month) are read once, for both passes.
    const preloaded = file.size <= IN_MEMORY_FILE_BYTES ? readSmallFile(file) : undefined;
    await readDsnFile(
      file.path,
      {
        declaration: (declaration, checksum) => {
          encoder.add(declaration, checksum);
          parsed++;
        },
        rejection: (rejection) => rejected.push(rejection),
        warning: (warning) => warnings.push(warning),
        progress: async (fileBytes) => {
          if (encoder.lines >= batchTarget()) await send();
          if (performance.now() - lastProgress > PROGRESS_EVERY_MS) {
            lastProgress = performance.now();
            port.postMessage({ kind: 'progress', bytesRead: bytesDone + fileBytes, declarations: parsed } satisfies ParseMessage);
          }
        },
      },
      preloaded,
    );
    bytesDone += file.size;
  }
  await send();
  port.postMessage({ kind: 'progress', bytesRead: bytesDone, declarations: parsed } satisfies ParseMessage);
  port.postMessage({ kind: 'done' } satisfies ParseMessage);
}

// A failure rejects unhandled, which ends the worker with an 'error' event for the main thread.
void parseAll();
