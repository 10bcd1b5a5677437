/**
 * @module The vendor-memory port (core/ports/vendor-memory.ts) over a Map, kept as
 * JSON text so that it is checked and set aside exactly like a stored one: the
 * accuracy harness (`npm run eval -- … --learn-from dev`) and tests use it.
 */
import type { SetAside, VendorMemoryStore } from '../ports/vendor-memory.ts';
import { emptyMemory, isVendorMemory, MEMORY_LIMITS, type VendorMemory } from './model.ts';

/** Parses a stored memory, or says why it must be set aside. */
export function readStoredMemory(text: string): { memory: VendorMemory } | { reason: string } {
  if (text.length > MEMORY_LIMITS.bytes) return { reason: `the stored memory is ${text.length} bytes, more than the ${MEMORY_LIMITS.bytes} allowed` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { reason: `the stored memory is not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  return isVendorMemory(parsed) ? { memory: parsed } : { reason: 'the stored memory does not have the shape of a vendor memory' };
}

/** Serialises a memory within the size limit, dropping the least recently updated vendors if needed. */
export function storedMemoryText(memory: VendorMemory): string {
  let m = memory;
  let text = JSON.stringify(m);
  while (text.length > MEMORY_LIMITS.bytes && m.vendors.length > 0) {
    m = { ...m, vendors: m.vendors.slice(0, Math.floor(m.vendors.length * 0.9)) };
    text = JSON.stringify(m);
  }
  return text;
}

export function inMemoryVendorStore(initial: Record<string, string> = {}): VendorMemoryStore & { raw: Map<string, string>; setAside: Map<string, string> } {
  const raw = new Map(Object.entries(initial));
  const setAside = new Map<string, string>();
  const listeners: ((s: SetAside) => void)[] = [];
  function read(projectId: string): VendorMemory {
    const text = raw.get(projectId);
    if (text === undefined) return emptyMemory();
    const r = readStoredMemory(text);
    if ('memory' in r) return r.memory;
    setAside.set(projectId, text);
    raw.delete(projectId);
    for (const l of listeners) l({ project_id: projectId, reason: r.reason });
    return emptyMemory();
  }
  return {
    raw,
    setAside,
    load: async (projectId) => read(projectId),
    async update(_accountId, projectId, change) {
      const next = change(read(projectId));
      raw.set(projectId, storedMemoryText(next));
      return next;
    },
    async erase(projectId) {
      const had = raw.delete(projectId);
      return setAside.delete(projectId) || had;
    },
    async check() {
      const out: SetAside[] = [];
      const collect = (s: SetAside) => out.push(s);
      listeners.push(collect);
      for (const id of [...raw.keys()]) read(id);
      listeners.splice(listeners.indexOf(collect), 1);
      return out;
    },
    onSetAside(listener) {
      listeners.push(listener);
    },
  };
}
