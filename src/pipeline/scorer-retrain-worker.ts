/**
 * @module The worker thread a project's scorer is retrained in (scorer-retrain.ts):
 * training takes seconds of CPU (core/scorer/retrain.ts: 6 fits per kind), which
 * must never block the event loop of a request or of the task worker. It receives
 * the project's learned documents and its current weights, answers the new weights,
 * the report and the thread's own CPU time, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import shipped from '../core/scorer/shipped-examples.json' with { type: 'json' };
import { retrain, type RetrainInput } from '../core/scorer/retrain.ts';
import type { ShippedExamples } from '../core/scorer/retrain.ts';

const input = workerData as Omit<RetrainInput, 'shipped'>;
const cpu = process.threadCpuUsage();
const out = retrain({ ...input, shipped: shipped as ShippedExamples });
const used = process.threadCpuUsage(cpu);
parentPort?.postMessage({ ...out, cpu_ms: Math.round((used.user + used.system) / 100) / 10 });
