/**
 * @module Document classification (issue 4 §3): keyword and pattern rules with
 * weights, and the trained nearest-centroid model of the project (core
 * classifier.ts). Rule scores become probabilities by a softmax over types, scaled
 * by 1 − e^(−score) so that one weak keyword is not certainty; with a model the two
 * are averaged per type. Below the project's threshold the document is "unknown".
 */
import type { CaptureSettings, ClassifierModel } from '../../core/project.ts';
import { modelIndex, predict, type ModelIndex } from '../../core/project/classifier.ts';
import { boundInput } from '../../core/project/safe-regex.ts';
import { simplify } from './fuzzy.ts';
import { cachedRegex } from './values.ts';

export interface Classification {
  type: string | null;
  confidence: number;
  /** The most likely type even when below the threshold (a hint for the reviewer). */
  best: string | null;
}

const indexes = new WeakMap<ClassifierModel, ModelIndex>();

function ruleScores(settings: CaptureSettings, text: string): Map<string, number> {
  const simple = ` ${simplify(text)} `;
  const scores = new Map<string, number>();
  for (const t of settings.document_types) {
    let s = 0;
    for (const k of t.classify.keywords) if (simple.includes(` ${simplify(k.pattern)} `)) s += k.weight;
    const bounded = boundInput(text);
    for (const p of t.classify.patterns) if (cachedRegex(p.pattern, 'im').test(bounded)) s += p.weight;
    scores.set(t.name, s);
  }
  return scores;
}

export function classifyText(settings: CaptureSettings, text: string): Classification {
  const types = settings.document_types;
  if (types.length === 0) return { type: null, confidence: 1, best: null };
  const rules = ruleScores(settings, text.length > 20_000 ? text.slice(0, 20_000) : text);
  const maxRule = Math.max(0, ...rules.values());
  const probs = new Map<string, number>();
  if (maxRule > 0) {
    const exps = types.map((t) => Math.exp((rules.get(t.name) ?? 0) - maxRule));
    const sum = exps.reduce((a, b) => a + b, 0);
    types.forEach((t, i) => probs.set(t.name, ((exps[i] as number) / sum) * (1 - Math.exp(-maxRule))));
  }
  const model = settings.model;
  if (model) {
    let index = indexes.get(model);
    if (!index) {
      index = modelIndex(model);
      indexes.set(model, index);
    }
    const p = predict(model, text, index);
    for (const t of types) {
      const mp = p.scores.find((s) => s.type === t.name)?.p ?? 0;
      probs.set(t.name, maxRule > 0 ? ((probs.get(t.name) ?? 0) + mp) / 2 : mp);
    }
  }
  if (types.length === 1 && probs.size === 0) return { type: (types[0] as { name: string }).name, confidence: 1, best: (types[0] as { name: string }).name };
  let best: string | null = null;
  let confidence = 0;
  for (const [name, p] of probs) if (p > confidence) [best, confidence] = [name, p];
  const c = Number(confidence.toFixed(4));
  return { type: c >= settings.classification.threshold ? best : null, confidence: c, best };
}
