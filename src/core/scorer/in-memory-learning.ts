/**
 * @module The scorer-learning port (learning.ts) over Maps: the accuracy harness
 * (`npm run eval -- … --learn-from dev --retrain`) and tests use it. Same limits and
 * rules as the SQL store (src/store/scorer-learning-repo.ts), through the pure helpers
 * of learning.ts.
 */
import { pendingExamples, rollbackTarget, SCORER_LIMITS, versionsToDrop, type LearnedDocument, type ScorerVersion } from './learning.ts';
import type { ScorerLearningStore } from '../ports/scorer-learning.ts';

export function inMemoryScorerLearning(): ScorerLearningStore {
  const docs = new Map<string, LearnedDocument[]>();
  const versions = new Map<string, ScorerVersion[]>();
  const lastSeq = new Map<string, number>();
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    async addDocument(_accountId, projectId, examples, now) {
      const seq = (lastSeq.get(projectId) ?? 0) + 1;
      lastSeq.set(projectId, seq);
      const list = [...(docs.get(projectId) ?? []), { seq, learned_at: now, examples: copy([...examples]) }].slice(-SCORER_LIMITS.documents);
      docs.set(projectId, list);
      const through = Math.max(0, ...(versions.get(projectId) ?? []).map((v) => v.through_seq));
      return { seq, pending: pendingExamples(list.map((d) => ({ seq: d.seq, examples: d.examples.length })), through) };
    },
    async documents(projectId) {
      return copy(docs.get(projectId) ?? []);
    },
    async versions(projectId) {
      return copy(versions.get(projectId) ?? []);
    },
    async addVersion(_accountId, projectId, v) {
      const list = versions.get(projectId) ?? [];
      const number = Math.max(0, ...list.map((x) => x.version)) + 1;
      const added: ScorerVersion = { ...copy(v), version: number, current: v.promoted, rolled_back_at: null };
      let next = [added, ...list.map((x) => (v.promoted ? { ...x, current: false } : x))];
      const drop = versionsToDrop(next);
      next = next.filter((x) => !drop.includes(x.version));
      versions.set(projectId, next);
      return copy(added);
    },
    async rollback(projectId, now) {
      const list = versions.get(projectId) ?? [];
      const r = rollbackTarget(list);
      if (!r) return null;
      versions.set(projectId, list.map((x) => (x.version === r.from.version ? { ...x, current: false, rolled_back_at: now } : x.version === r.to?.version ? { ...x, current: true } : x)));
      const after = versions.get(projectId) ?? [];
      return { from: copy(after.find((x) => x.version === r.from.version) as ScorerVersion), to: r.to ? copy(after.find((x) => x.version === r.to?.version) as ScorerVersion) : null };
    },
    async erase(projectId) {
      const had = docs.has(projectId) || versions.has(projectId);
      docs.delete(projectId);
      versions.delete(projectId);
      lastSeq.delete(projectId);
      return had;
    },
  };
}
