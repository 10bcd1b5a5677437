/**
 * @module The scorer-learning port's contract (core/scorer/learning.ts), run unchanged
 * on SQLite, PostgreSQL and the in-memory store: learned documents are numbered and
 * bounded (oldest dropped), pending examples count from the last version, concurrent
 * learners never share a number, versions are numbered and bounded without dropping
 * the current one, a version that was not promoted does not become current, a rollback
 * goes back to the previous promoted version and then to the shipped weights, erase
 * forgets all.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/connect.ts';
import { inMemoryScorerLearning } from '../../src/core/scorer/in-memory-learning.ts';
import { SCORER_LIMITS, type NewScorerVersion } from '../../src/core/scorer/learning.ts';
import type { ScorerLearningStore } from '../../src/core/ports/scorer-learning.ts';
import type { ScorerExample } from '../../src/core/scorer/model.ts';
import { builtinScorer } from '../../src/core/scorer/settings.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.ts';

const example = (right: number): ScorerExample => ({ kind: 'total', candidates: [{ label: 1, size: 0.5 }, { label: 0, size: 1 }], right });

function version(throughSeq: number, promoted: boolean): NewScorerVersion {
  return {
    created_at: 1000 + throughSeq,
    through_seq: throughSeq,
    promoted,
    report: { examples: 10, project_examples: throughSeq, held_out: { fields: 2, score: 0.5, current_score: 0.5, brier: 0.2, current_brier: 0.2, current_version: null }, promoted, reason: promoted ? 'promoted' : 'not promoted', cpu_ms: 1 },
    weights: { ...builtinScorer(), version: `v${throughSeq}` },
  };
}

export function learningContract(kind: StoreKind | 'in-memory', skip: false | string): void {
  describe(`scorer learning store (${kind})`, { skip }, () => {
    let db: TestDatabase | null = null;
    let store: Store | null = null;
    let learning: ScorerLearningStore;

    before(async () => {
      if (kind === 'in-memory') learning = inMemoryScorerLearning();
      else {
        db = await createTestDatabase(kind);
        store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        learning = store.scorer;
      }
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    test('learned documents are numbered, read back oldest first, and count as pending until a version sees them', async () => {
      assert.deepEqual(await learning.documents('p1'), []);
      assert.deepEqual(await learning.addDocument('acc', 'p1', [example(0), example(1)], 10), { seq: 1, pending: 2 });
      assert.deepEqual(await learning.addDocument('acc', 'p1', [example(-1)], 11), { seq: 2, pending: 3 });
      const docs = await learning.documents('p1');
      assert.deepEqual(docs.map((d) => [d.seq, d.learned_at, d.examples.length]), [[1, 10, 2], [2, 11, 1]]);
      assert.deepEqual(docs[0]?.examples[0], example(0));
      await learning.addVersion('acc', 'p1', version(2, true));
      assert.deepEqual(await learning.addDocument('acc', 'p1', [example(1)], 12), { seq: 3, pending: 1 });
    });

    test('concurrent learners of one project all land, each with its own number', async () => {
      const r = await Promise.all([1, 2, 3, 4, 5].map((i) => learning.addDocument('acc', 'p2', [example(i % 2)], i)));
      assert.deepEqual(r.map((x) => x.seq).sort(), [1, 2, 3, 4, 5]);
      assert.equal((await learning.documents('p2')).length, 5);
    });

    test('at most SCORER_LIMITS.documents are kept: the oldest go first', async () => {
      const n = SCORER_LIMITS.documents + 3;
      for (let i = 0; i < n; i++) await learning.addDocument('acc', 'p3', [example(0)], i);
      const docs = await learning.documents('p3');
      assert.equal(docs.length, SCORER_LIMITS.documents);
      assert.equal(docs[0]?.seq, 4);
      assert.equal(docs.at(-1)?.seq, n);
    });

    test('versions: a promoted one becomes current, one that was not stays aside; the oldest beyond the limit go, never the current one', async () => {
      const first = await learning.addVersion('acc', 'p4', version(1, true));
      assert.equal(first.version, 1);
      assert.equal(first.current, true);
      const rejected = await learning.addVersion('acc', 'p4', version(2, false));
      assert.equal(rejected.current, false);
      let list = await learning.versions('p4');
      assert.deepEqual(list.map((v) => [v.version, v.current, v.promoted]), [[2, false, false], [1, true, true]]);
      assert.equal(list[1]?.weights.version, 'v1');
      assert.equal(list[0]?.report.reason, 'not promoted');
      for (let i = 3; i <= SCORER_LIMITS.versions + 3; i++) await learning.addVersion('acc', 'p4', version(i, false));
      list = await learning.versions('p4');
      assert.equal(list.length, SCORER_LIMITS.versions);
      assert.ok(list.some((v) => v.version === 1 && v.current), 'the current version is kept');
      assert.equal(list[0]?.version, SCORER_LIMITS.versions + 3);
    });

    test('rollback goes to the previous promoted version, then to the shipped weights, then has nothing to do', async () => {
      assert.equal(await learning.rollback('p5', 1), null);
      await learning.addVersion('acc', 'p5', version(1, true));
      await learning.addVersion('acc', 'p5', version(2, false));
      await learning.addVersion('acc', 'p5', version(3, true));
      const r = await learning.rollback('p5', 50);
      assert.equal(r?.from.version, 3);
      assert.equal(r?.from.rolled_back_at, 50);
      assert.equal(r?.to?.version, 1);
      assert.deepEqual((await learning.versions('p5')).map((v) => [v.version, v.current, v.rolled_back_at]), [[3, false, 50], [2, false, null], [1, true, null]]);
      const again = await learning.rollback('p5', 60);
      assert.equal(again?.from.version, 1);
      assert.equal(again?.to, null);
      assert.ok((await learning.versions('p5')).every((v) => !v.current));
      assert.equal(await learning.rollback('p5', 70), null);
    });

    test('erase forgets the examples and versions of one project only', async () => {
      assert.equal(await learning.erase('p1'), true);
      assert.deepEqual(await learning.documents('p1'), []);
      assert.deepEqual(await learning.versions('p1'), []);
      assert.equal(await learning.erase('p1'), false);
      assert.equal((await learning.documents('p2')).length, 5);
      assert.equal((await learning.addDocument('acc', 'p1', [example(0)], 1)).seq, 1, 'learning starts again');
    });
  });
}
