/**
 * @module Decoding key presses into validation commands. Alt-combinations are read
 * from `KeyboardEvent.code` (the physical key), since Alt changes `key` on some
 * layouts; `?` is read from `key`, and only outside text inputs so it can still be typed.
 */

export type Command =
  | 'help' | 'submit' | 'next-doc' | 'prev-doc' | 'next-page' | 'prev-page'
  | 'type' | 'boundary' | 'split' | 'merge' | 'zoom-in' | 'zoom-out' | 'zoom-fit' | 'zoom-page' | 'rotate'
  | 'next-task' | 'give-back' | 'postpone' | 'reject' | 'pick-word' | 'pick-line' | 'viewer';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

export function commandOf(e: KeyboardEvent): Command | null {
  if (e.key === 'F1' || (e.key === '?' && !typing(e.target) && !e.ctrlKey && !e.altKey)) return 'help';
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return 'submit';
  if (!e.altKey && !e.ctrlKey && !e.metaKey) {
    if (e.key === 'PageDown') return 'next-page';
    if (e.key === 'PageUp') return 'prev-page';
    return null;
  }
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.code) {
    case 'ArrowDown': return 'next-doc';
    case 'ArrowUp': return 'prev-doc';
    case 'ArrowRight': return 'next-page';
    case 'ArrowLeft': return 'prev-page';
    case 'KeyT': return 'type';
    case 'KeyB': return 'boundary';
    case 'KeyS': return 'split';
    case 'KeyM': return 'merge';
    case 'Equal': case 'NumpadAdd': return 'zoom-in';
    case 'Minus': case 'NumpadSubtract': return 'zoom-out';
    case 'Digit0': case 'Numpad0': return 'zoom-fit';
    case 'Digit9': case 'Numpad9': return 'zoom-page';
    case 'KeyR': return 'rotate';
    case 'KeyN': return 'next-task';
    case 'KeyG': return 'give-back';
    case 'KeyP': return 'postpone';
    case 'KeyX': return 'reject';
    case 'KeyW': return e.shiftKey ? 'pick-line' : 'pick-word';
    case 'KeyV': return 'viewer';
    default: return null;
  }
}
