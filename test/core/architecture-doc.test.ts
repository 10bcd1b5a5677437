/**
 * @module Keeps docs/architecture.md and the task state machine (src/core/task-states.ts)
 * in step: the states table names every state with its client actions and finality,
 * the events table gives every transition `transition` allows and no other, the
 * diagram names every state; the imports table is the one scripts/check-imports.ts
 * enforces; and every anchor of a repository document cited in the repository exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLIENT_ACTIONS, TASK_EVENT_TYPES, ALL_STATES, isFinal, transition,
  type ClientAction, type TaskEvent, type TaskEventType, type TaskPosition, type TaskState,
} from '../../src/core/task-states.ts';
import { ALLOWED } from '../../scripts/check-imports.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const doc = await readFile(join(ROOT, 'docs/architecture.md'), 'utf8');

/** The rows of the first table after `heading`, as cells. */
function table(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `docs/architecture.md has a "${heading}" section`);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((c) => c.trim()));
  }
  return rows;
}

/** The backquoted names in a cell. */
const names = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

const stateRows = table('## Task states');
const eventRows = table('### Task events');

/** Every position the table reaches from `queued`. */
function reachable(): TaskPosition[] {
  const seen = new Map<string, TaskPosition>();
  const todo: TaskPosition[] = [{ state: 'queued', client_action: null }];
  while (todo.length > 0) {
    const p = todo.pop() as TaskPosition;
    const key = `${p.state}|${p.client_action}`;
    if (seen.has(key)) continue;
    seen.set(key, p);
    for (const type of TASK_EVENT_TYPES) {
      for (const action of CLIENT_ACTIONS) {
        const r = transition(p, { type, action } as TaskEvent);
        if (r.ok) todo.push(r.to);
      }
    }
  }
  return [...seen.values()];
}

test('the states table names every state, its client actions and whether it is final, and only those', () => {
  assert.deepEqual(stateRows.map((r) => names(r[0] ?? '')[0]).sort(), [...ALL_STATES].sort());
  const positions = reachable();
  for (const [cell, actions, final] of stateRows) {
    const state = names(cell ?? '')[0] as TaskState;
    const expected = positions.filter((p) => p.state === state).map((p) => p.client_action).filter((a) => a !== null).sort();
    assert.deepEqual(names(actions ?? '').sort(), expected, `client actions of ${state}`);
    assert.equal(final === 'yes', isFinal(state), `finality of ${state}`);
  }
});

test('the events table names every event, and only those', () => {
  assert.deepEqual([...new Set(eventRows.map((r) => names(r[0] ?? '')[0]))].sort(), [...TASK_EVENT_TYPES].sort());
});

test('the events table gives exactly the transitions the table in code allows', () => {
  const documented = new Map<string, string>();
  const takesAction = new Set<TaskEventType>();
  for (const [e, from, action, to] of eventRows) {
    const type = names(e ?? '')[0] as TaskEventType;
    const froms = /not final/.test(from ?? '') ? ALL_STATES.filter((s) => !isFinal(s)) : names(from ?? '');
    const actions = names(action ?? '');
    if (actions.length > 0) takesAction.add(type);
    for (const state of froms) for (const a of actions.length > 0 ? actions : ['-']) documented.set(`${type} ${state} ${a}`, names(to ?? '')[0] as string);
  }
  const allowed = new Map<string, string>();
  for (const p of reachable()) {
    for (const type of TASK_EVENT_TYPES) {
      const actions: (ClientAction | '-')[] = takesAction.has(type) ? [...CLIENT_ACTIONS] : ['-'];
      for (const a of actions) {
        const r = transition(p, (a === '-' ? { type } : { type, action: a }) as TaskEvent);
        if (r.ok) allowed.set(`${type} ${p.state} ${a}`, r.to.state);
      }
    }
  }
  assert.deepEqual(Object.fromEntries([...documented].sort()), Object.fromEntries([...allowed].sort()));
});

test('the diagram names every state', () => {
  const diagram = doc.slice(doc.indexOf('stateDiagram-v2'), doc.indexOf('```', doc.indexOf('stateDiagram-v2')));
  for (const state of ALL_STATES) assert.ok(diagram.includes(state), `${state} is in the diagram`);
});

test('the imports table is the one scripts/check-imports.ts enforces', () => {
  const rows = table('## Imports').map(([part, may]) => {
    const allowed = /every part/.test(may ?? '') ? Object.keys(ALLOWED).filter((p) => p !== 'web') : names(may ?? '');
    return [names(part ?? '')[0] as string, allowed.sort()];
  });
  assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(Object.entries(ALLOWED).map(([k, v]) => [k, [...v].sort()])));
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true }).catch(() => [])) {
    const rel = join(dir, e.name);
    if (e.isDirectory() && !['node_modules', 'dist'].includes(e.name)) out.push(...(await sources(rel)));
    else if (/\.(ts|tsx|md)$/.test(e.name)) out.push(rel);
  }
  return out;
}

test('every anchor of a repository document that the repository cites is a heading of that document', async () => {
  const files = ['README.md', ...(await Promise.all(['src', 'test', 'scripts', 'bench', 'web', 'docs'].map(sources))).flat()];
  const headings = new Map<string, Set<string>>();
  const anchorsOf = async (file: string): Promise<Set<string>> => {
    if (!headings.has(file)) {
      const text = await readFile(join(ROOT, file), 'utf8').catch(() => '');
      headings.set(file, new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string))));
    }
    return headings.get(file) as Set<string>;
  };
  const missing: string[] = [];
  for (const file of files) {
    const text = await readFile(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/\b((?:docs\/)?[\w-]+\.md)#([\w-]+)/g)) {
      const target = (m[1] as string).includes('/') || m[1] === 'README.md' ? (m[1] as string) : join(file.startsWith('docs/') ? 'docs' : '.', m[1] as string);
      if (!(await anchorsOf(target)).has(m[2] as string)) missing.push(`${file}: ${m[1]}#${m[2]}`);
    }
    if (file.endsWith('.md')) for (const m of text.matchAll(/\]\(#([\w-]+)\)/g)) if (!(await anchorsOf(file)).has(m[1] as string)) missing.push(`${file}: #${m[1]}`);
  }
  assert.deepEqual(missing, []);
  assert.ok(headings.get('docs/architecture.md')?.has('task-states'), 'the anchors were read');
});
