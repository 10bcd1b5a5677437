import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Word } from '../../src/core/page.ts';
import { companyCandidates } from '../../src/pipeline/capture/company.ts';
import { cutShort, spelledElsewhere } from '../../src/pipeline/capture/name-evidence.ts';
import { CLEAN_WORD, implausibleOnset, plausibility, readingConfidence } from '../../src/pipeline/capture/reading.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { textPage } from './pages.ts';

function word(text: string, confidence: number): Word {
  return { text, confidence, box: { x: 0, y: 0, w: 10, h: 10 } } as Word;
}

test('a word opening with consonants no word opens with is implausible; real onsets and acronyms are not', () => {
  for (const w of ['TKANO', 'HREE', 'Rtest']) assert.equal(implausibleOnset(w), true, w);
  for (const w of ['THREE', 'STATIONERY', 'SCHMIDT', 'PRESTIGE', 'IKANO', 'Ngee', 'MYNEWS', 'SDN', 'BHD', 'KFC', 'JLN', 'SS21/1A', 'Strasse']) assert.equal(implausibleOnset(w), false, w);
});

test('symbols inside letters, underscores included, cost 20 % each', () => {
  assert.equal(plausibility(['SELANGOR', 'CHERAS']), 1);
  assert.equal(plausibility(['SE_ANGOR']), 0.8);
  assert.ok(Math.abs(plausibility(["MA!'KOTA", 'ST«TLONERY']) - 0.64) < 1e-9);
});

test('a doubtful word costs more than its linear share; a clean reading keeps its weakest word', () => {
  const clean = [word('NADEJE', 0.91), word('PRESTIGE', 0.96)];
  assert.equal(readingConfidence(clean), 0.91);
  const doubtful = [word('LUMPUR.', CLEAN_WORD - 0.01), word('KUALA', 0.96)];
  assert.ok(Math.abs(readingConfidence(doubtful) - (CLEAN_WORD - 0.01) * 0.8) < 1e-9);
  // The respelt legal form is judged, not the raw "SON".
  assert.equal(readingConfidence([word('TKANO', 0.9), word('SON', 0.9)], ['TKANO', 'SDN']), 0.9 * 0.8);
});

test('a name spelt again in a thanks or web line is surer; a street of the same name is not evidence', () => {
  const page = (lines: string[]) => documentLines([textPage(0, lines, 0.95)]);
  const shop = ['MYNEWS RETAIL SB', '(306295-X)', 'NO 2 JALAN PJU 1A/7A', 'TOTAL 7.70', 'TQ FOR SHOPPING WITH myNEWS.com'];
  const plain = ['MYNEWS RETAIL SB', '(306295-X)', 'NO 2 JALAN PJU 1A/7A', 'TOTAL 7.70', 'THANK YOU'];
  const score = (lines: string[]) => Math.max(...companyCandidates(page(lines)).filter((c) => /MYNEWS/.test(String(c.value))).map((c) => c.score));
  assert.ok(score(shop) > score(plain) + 0.05, `${score(shop)} vs ${score(plain)}`);
  const street = page(['PANDAH INDAH RESTAURANT', 'JALAN PANDAH INDAH 4/1A', 'PANDAH INDAH, 55100 KUALA LUMPUR']);
  assert.equal(spelledElsewhere({ value: 'PANDAH INDAH RESTAURANT', text: '', score: 0.5, ocr: 1, areas: [], order: 0 }, street), false);
});

test('a stray unreadable mark right before a name means it may have lost a word', () => {
  assert.equal(cutShort([word('—', 0.15), word('ONE', 0.96)], 1), true);
  assert.equal(cutShort([word('—', 0.9), word('ONE', 0.96)], 1), false);
  assert.equal(cutShort([word('ONE', 0.96)], 0), false);
  const lines = (first: number) => documentLines([{ ...textPage(0, ['x ONE THREE SEAFOOD SDN BHD', '(1120908-M)']), words: textPage(0, ['x ONE THREE SEAFOOD SDN BHD', '(1120908-M)']).words.map((w, i) => (i === 0 ? { ...w, text: '—', confidence: first } : w)) }]);
  const top = (first: number) => Math.max(...companyCandidates(lines(first)).map((c) => c.score));
  assert.ok(top(0.15) < top(0.95) * 0.75, `${top(0.15)} vs ${top(0.95)}`);
});
