/**
 * @module Line items found as rows (src/pipeline/capture/table.ts) on word layouts built here:
 * one line per text run, headers over two lines, right-aligned figures, wrapped
 * descriptions, tables across pages, the subtotal cut and the table's confidence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TableRow } from '../../src/core/capture.ts';
import { extractTable } from '../../src/pipeline/capture/table.ts';
import { cellNumber, itemsBeforeSubtotal } from '../../src/pipeline/capture/table-figures.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { lineItems, page, type Cell } from './table-support.ts';

const HEADER: Cell[] = [['Pos', 40], ['Description', 80], ['Qty', 300], ['Unit price', 360], ['VAT', 430], ['Amount', 500]];

function item(n: number, description: string, qty: string, price: string, amount: string): Cell[] {
  return [[String(n), 40], [description, 80], [qty, 300], [price, 360], ['19 %', 430], [amount, 500]];
}

test('a row cut into one line per text run is one item with every cell (five lines, not 29 rows of one value)', () => {
  const rows: [number, Cell[]][] = [[100, HEADER]];
  for (let i = 1; i <= 5; i++) rows.push([100 + 20 * i, item(i, `Widget ${i}`, String(i), '2.50', (2.5 * i).toFixed(2))]);
  rows.push([240, [['Total', 80], ['37.50', 500]]]);
  const t = extractTable(lineItems(), documentLines([page(0, rows)]), 'dmy');
  assert.deepEqual(t?.rows, [1, 2, 3, 4, 5].map((i) => ({ description: `Widget ${i}`, quantity: i, unit_price: 2.5, amount: 2.5 * i })));
  assert.equal(t?.areas.length, 5);
});

test('a header over two lines, right-aligned figures wider than their header, a wrapped description and comma decimals', () => {
  const p = page(0, [
    [90, [['Positions-', 500]]],
    [100, [['Beschreibung', 80], ['Menge', 300], ['Preis', 380], ['USt.', 430], ['betrag', 500]]],
    [120, [['1', 40], ['Trennblätter', 80], ['20', 325], ['9,9000', 410], ['19 %', 430], ['1.198,00', 530]]],
    [132, [['A4, weiß', 80]]],
    [150, [['2', 40], ['Joghurt Banane', 80], ['50', 325], ['5,5000', 410], ['7 %', 430], ['275,00', 530]]],
    [190, [['Summe', 80], ['1.473,00', 530]]],
  ], 'right');
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows, [
    { description: 'Trennblätter\nA4, weiß', quantity: 20, unit_price: 9.9, amount: 1198 },
    { description: 'Joghurt Banane', quantity: 50, unit_price: 5.5, amount: 275 },
  ]);
});

test('the table runs on to the next page, past a repeated header or none, and a description under its figures joins its item', () => {
  const first = page(0, [[100, HEADER], [120, item(1, 'Miettage', '2', '86.55', '173.10')], [700, [['Page 1 of 2', 250]]]]);
  const repeated = page(1, [[40, [['Invoice 4711, page 2', 40]]], [60, HEADER], [80, item(2, 'Vollkasko', '2', '23.10', '46.20')]]);
  const bare = page(2, [[60, [['3', 40], ['2', 300], ['5.04', 360], ['10.08', 500]]], [72, [['Choice Upgrade', 80]]], [120, [['Subtotal', 80], ['229.38', 500]]]]);
  const t = extractTable(lineItems(), documentLines([first, repeated, bare]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => [r.description, r.amount]), [['Miettage', 173.1], ['Vollkasko', 46.2], ['Choice Upgrade', 10.08]]);
  assert.deepEqual(t?.areas.map((a) => a.page), [0, 1, 2]);
});

test('rows after the items end at a figure equal to their sum, even without the end pattern', () => {
  const p = page(0, [
    [100, HEADER],
    [120, item(1, 'Design', '1', '160.00', '160.00')],
    [140, item(2, 'Balloons', '400', '0.79', '316.00')],
    [160, [['Positionssumme', 80], ['476.00', 500]]],
    [180, [['Zuschläge', 80], ['0.00', 500]]],
  ]);
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => r.description), ['Design', 'Balloons']);
  assert.equal(itemsBeforeSubtotal([{ amount: 5 }, { amount: 5 }, { amount: 10 }, { amount: 20 }], 'amount'), 3);
  assert.equal(itemsBeforeSubtotal([{ q: 1, p: 2.5, amount: 2.5 }, { q: 2, p: 2.5, amount: 5 }, { q: 3, p: 2.5, amount: 7.5 }], 'amount', 'q', 'p'), 3);
  assert.equal(itemsBeforeSubtotal([{ amount: 5 }, { amount: 7 }], 'amount'), 2);
  // A tax row read in after the items, then the net and the gross total: the cut is after the items, not before the gross total.
  const taxi: TableRow[] = [{ q: 1, p: 3.9, amount: 3.9 }, { q: 6.5, p: 2, amount: 13 }, { q: 16.9, amount: 1.18 }, { amount: 16.9 }, { amount: 18.08 }];
  assert.equal(itemsBeforeSubtotal(taxi, 'amount', 'q', 'p'), 2);
});

test('a page without the header has no table', () => {
  assert.equal(extractTable(lineItems(), documentLines([page(0, [[100, [['Dear Sir,', 40]]], [120, [['12.00', 500]]]])]), 'dmy'), null);
});

test('figures are read with the table decimal mark', () => {
  assert.equal(cellNumber('1.234,50', ','), 1234.5);
  assert.equal(cellNumber('1,234.50', '.'), 1234.5);
  assert.equal(cellNumber('(12.00)', '.'), -12);
  assert.equal(cellNumber('-5,00', ','), -5);
  assert.equal(cellNumber('€', '.'), null);
});

test('rows whose quantity times unit price is not their amount lower the table confidence', () => {
  const rows = (third: string): [number, Cell[]][] => [[100, HEADER], [120, item(1, 'Design', '1', '160.00', '160.00')], [140, item(2, 'Balloons', '400', '0.79', third)]];
  const adds = extractTable(lineItems(), documentLines([page(0, rows('316.00'))]), 'dmy');
  const wrong = extractTable(lineItems(), documentLines([page(0, rows('361.00'))]), 'dmy');
  assert.ok(adds && wrong);
  assert.equal(adds.confidence, 1);
  assert.ok(Math.abs(wrong.confidence - 0.75) < 1e-9, String(wrong.confidence));
});

test('a header naming the amount twice: the reading under which the rows add up finds the quantity under the first', () => {
  const header: Cell[] = [['Amount', 40], ['Product', 100], ['VAT', 290], ['Price', 350], ['Total', 430]];
  const row = (qty: string, name: string, price: string, total: string): Cell[] => [[qty, 40], [name, 100], ['19%', 290], [price, 350], [total, 430]];
  const p = page(0, [[100, header], [120, row('1.00', 'Design', '160.00', '160.00')], [140, row('400.00', 'Ballons', '0.79', '316.00')], [170, [['Net total: 476.00', 40]]]]);
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows, [
    { description: 'Design', quantity: 1, unit_price: 160, amount: 160 },
    { description: 'Ballons', quantity: 400, unit_price: 0.79, amount: 316 },
  ]);
});

test('a net total printed under the descriptions ends the table; "%)" of a description stays in it', () => {
  const p = page(0, [
    [100, HEADER],
    [120, item(1, 'Vollkasko SF25 (30', '1', '140.00', '140.00')],
    [132, [['%) Typkl. 21', 80]]],
    [144, [['Regio R4', 80]]],
    [160, [['Nettobetrag: 140.00 €', 80]]],
    [172, [['zuzüglich Umsatzsteuer', 80]]],
  ]);
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => r.description), ['Vollkasko SF25 (30\n%) Typkl. 21\nRegio R4']);
});

test('a negative amount under an item is its allowance: taken off its amount, no row of its own; a credit note keeps its rows', () => {
  const p = page(0, [
    [100, HEADER],
    [120, item(1, 'Kunstrasen', '3', '4.00', '12.00')],
    [132, [['abzgl. Rabatt', 300], ['-2.00', 500]]],
    [150, item(2, 'Schweinesteak', '5', '5.50', '27.50')],
    [170, [['Zwischensumme', 80], ['37.50', 500]]],
  ]);
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => [r.description, r.amount]), [['Kunstrasen', 10], ['Schweinesteak', 27.5]]);
  const credit = page(0, [[100, HEADER], [120, item(1, 'Zitronensäure', '-5', '1.00', '-5.00')], [140, item(2, 'Gelierzucker', '-2', '1.45', '-2.90')]]);
  assert.deepEqual(extractTable(lineItems(), documentLines([credit]), 'dmy')?.rows.map((r) => r.amount), [-5, -2.9]);
});

test('a sum carried over to the next page ("Übertrag") at the foot and at the head of a page does not end the table', () => {
  const first = page(0, [[100, HEADER], [120, item(1, 'Miettage', '2', '86.55', '173.10')], [140, [['Übertrag', 80], ['173.10', 500]]]]);
  const second = page(1, [[60, HEADER], [80, [['Übertrag', 80], ['173.10', 500]]], [100, item(2, 'Vollkasko', '2', '23.10', '46.20')], [120, [['Zwischensumme', 80], ['219.30', 500]]]]);
  const t = extractTable(lineItems(), documentLines([first, second]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => [r.description, r.amount]), [['Miettage', 173.1], ['Vollkasko', 46.2]]);
});

test('rows with an amount alone after the last item with a quantity or price are not items (a fee, a tax line read on)', () => {
  const p = page(0, [
    [100, HEADER],
    [120, item(1, 'Design', '1', '160.00', '160.00')],
    [140, item(2, 'Balloons', '400', '0.79', '316.00')],
    [160, [['zzgl. Versandkosten', 80], ['5.80', 500]]],
    [180, [['zzgl. Umsatzsteuer 19 %', 80], ['61.20', 500]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.description), ['Design', 'Balloons']);
});

test('a description printed on past its column, one space on, stays whole; a unit apart under the quantity does not join it', () => {
  const p = page(0, [
    [100, HEADER],
    [120, [['1', 40], ['Kommissionierer', 80], ['2', 300], ['10.50', 360], ['21.00', 500]]],
    [132, [['Abteilung Lager und Versand, D. Muster', 140]]],
    [150, [['2', 40], ['Kopierpapier', 80], ['3', 300], ['Stk.', 330], ['1.00', 360], ['3.00', 500]]],
  ]);
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows.map((r) => r.description), ['Kommissionierer\nAbteilung Lager und Versand, D. Muster', 'Kopierpapier']);
});
