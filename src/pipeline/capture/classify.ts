/**
 * @module Document classification (docs/project-file.md#classification): keyword and pattern rules with
 * weights (core keywords.ts) and the trained nearest-centroid model of the project
 * (core classifier.ts). With a model trained by this version, rules and model are
 * one calibrated probability per type with a "none of these" outcome (core
 * calibrate.ts: weights fitted by leave-one-out on the samples). Without a model,
 * rule scores become probabilities by a softmax over types scaled by 1 − e^(−score),
 * so that one weak keyword is not certainty; a model stored before the joint fit is
 * averaged with them as it was. Below the project's threshold the type is unknown.
 */
import type { CaptureSettings, ClassifierModel } from '../../core/project.ts';
import { probabilities } from '../../core/project/calibrate.ts';
import { modelIndex, predict, similarities, type ModelIndex } from '../../core/project/classifier.ts';
import { keywordScores } from '../../core/project/keywords.ts';

export interface Classification {
  type: string | null;
  confidence: number;
  /** The most likely type even when below the threshold (a hint for the reviewer). */
  best: string | null;
}

const indexes = new WeakMap<ClassifierModel, ModelIndex>();

function indexOf(model: ClassifierModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) {
    index = modelIndex(model);
    indexes.set(model, index);
  }
  return index;
}

/** Probability per type name. */
function typeProbabilities(settings: CaptureSettings, text: string): Map<string, number> {
  const types = settings.document_types;
  const rules = keywordScores(types, text);
  const model = settings.model;
  const probs = new Map<string, number>();
  if (model && model.none_logit !== undefined) {
    const sims = similarities(model, text, indexOf(model));
    const combination = { rule_weight: model.rule_weight ?? 0, scale: 1 / model.temperature, none_logit: model.none_logit };
    const { p } = probabilities(combination, { sims, rules: model.centroids.map((c) => rules.get(c.type) ?? 0) });
    model.centroids.forEach((c, i) => probs.set(c.type, p[i] ?? 0));
    return probs;
  }
  const maxRule = Math.max(0, ...rules.values());
  if (maxRule > 0) {
    const exps = types.map((t) => Math.exp((rules.get(t.name) ?? 0) - maxRule));
    const sum = exps.reduce((a, b) => a + b, 0);
    types.forEach((t, i) => probs.set(t.name, ((exps[i] as number) / sum) * (1 - Math.exp(-maxRule))));
  }
  if (model) {
    const p = predict(model, text, indexOf(model));
    for (const t of types) {
      const mp = p.scores.find((s) => s.type === t.name)?.p ?? 0;
      probs.set(t.name, maxRule > 0 ? ((probs.get(t.name) ?? 0) + mp) / 2 : mp);
    }
  }
  return probs;
}

export function classifyText(settings: CaptureSettings, text: string): Classification {
  const types = settings.document_types;
  if (types.length === 0) return { type: null, confidence: 1, best: null };
  const probs = typeProbabilities(settings, text);
  if (types.length === 1 && probs.size === 0) return { type: (types[0] as { name: string }).name, confidence: 1, best: (types[0] as { name: string }).name };
  let best: string | null = null;
  let confidence = 0;
  for (const [name, p] of probs) if (p > confidence && types.some((t) => t.name === name)) [best, confidence] = [name, p];
  const c = Number(confidence.toFixed(4));
  return { type: c >= settings.classification.threshold ? best : null, confidence: c, best };
}
