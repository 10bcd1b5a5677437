/**
 * @module Line items on layouts the dev e-invoices (almost all one issuer) do not show:
 * thousands set apart by a space, a description column under a word no project lists,
 * an item whose description holds a header word, quantities with their unit in one word,
 * figure columns named in other words, a figure among items that the net total leaves
 * out, a discount printed as a rate, group subtotals and page footers inside a table
 * (table-onward.ts), figures set in the middle of a description; and the synthetic sets
 * (table-synthetic.ts, table-synthetic-erp.ts) as a whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractTable } from '../../src/pipeline/capture/table.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { addLines, newLineScore } from '../../scripts/eval-lines.ts';
import { lineItems, page } from './table-support.ts';
import { exampleInvoices, LAYOUTS, render } from './table-synthetic.ts';
import { ERP_LAYOUTS, renderErp } from './table-synthetic-erp.ts';

test('a figure with a space between its thousands ("1 980,00") is one number, not 1 and 980', () => {
  const p = page(0, [
    [100, [['Désignation', 40], ['Qté', 300], ['Prix unitaire', 360], ['Montant HT', 480]]],
    [120, [['Huile d\'olive', 40], ['100', 300], ['19,80', 360], ['1 980,00', 480]]],
    [140, [['Nougat', 40], ['20', 300], ['4,55', 360], ['91,00', 480]]],
    [170, [['Total HT', 380], ['2 071,00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.amount), [1980, 91]);
});

test('a description column under a word no header list holds ("Artikel") is found left of the figures, past a narrow "Pos."', () => {
  const p = page(0, [
    [100, [['Pos.', 40], ['Artikel', 70], ['Menge', 300], ['Preis', 360], ['Betrag', 480]]],
    [120, [['1', 40], ['Apple iPad Air', 70], ['1', 300], ['399,00', 360], ['399,00', 480]]],
    [140, [['2', 40], ['Leather cover', 70], ['2', 300], ['69,99', 360], ['139,98', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.description), ['Apple iPad Air', 'Leather cover']);
});

test('an item whose description holds a header word ("Festpreis") is an item, not the table\'s header', () => {
  const p = page(0, [
    [100, [['Bezeichnung', 70], ['Anzahl', 300], ['Einzel/€', 360], ['Gesamt/€', 480]]],
    [114, [['Festpreis DSL', 70], ['1', 300], ['120,00', 360], ['120,00', 480]]],
    [140, [['Router', 70], ['2', 300], ['50,00', 360], ['100,00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.description), ['Festpreis DSL', 'Router']);
});

test('a quantity printed with its unit in one word ("5kg") is read under the quantity\'s header', () => {
  const p = page(0, [
    [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Amount', 480]]],
    [120, [['Steak', 70], ['5kg', 300], ['5.50', 360], ['27.50', 480]]],
    [140, [['Water', 70], ['20', 300], ['0.50', 360], ['10.00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.quantity), [5, 20]);
});

test('figure columns the header names in other words ("Einzel/€", "Gesamt/€") are taken by place, even for one item', () => {
  const p = page(0, [
    [100, [['Nr.', 40], ['Bezeichnung', 70], ['Anzahl', 300], ['Einzel/€', 360], ['Gesamt/€', 480]]],
    [120, [['1', 40], ['Paper subscription', 70], ['4', 300], ['200,00', 360], ['800,00', 480]]],
    [150, [['Summe netto', 300], ['800,00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows, [{ description: 'Paper subscription', quantity: 4, unit_price: 200, amount: 800 }]);
});

test('a figure alone among priced items is dropped when the net total below sums the others, and kept when it sums them all', () => {
  const rows = (net: string): Parameters<typeof page>[1] => [
    [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Amount', 480]]],
    [120, [['Widget', 70], ['2', 300], ['5.00', 360], ['10.00', 480]]],
    [140, [['Order 4711 of 01.12.', 70], ['4711', 480]]],
    [160, [['Gadget', 70], ['1', 300], ['7.50', 360], ['7.50', 480]]],
    [190, [['Net amount', 300], [net, 480]]],
  ];
  assert.deepEqual(extractTable(lineItems(), documentLines([page(0, rows('17.50'))]), 'dmy')?.rows.map((r) => r.amount), [10, 7.5]);
  assert.deepEqual(extractTable(lineItems(), documentLines([page(0, rows('4728.50'))]), 'dmy')?.rows.map((r) => r.amount), [10, 4711, 7.5]);
});

test('a gross price with a discount rate that gives the amount becomes the net price; a row that does not add up otherwise keeps its printed price', () => {
  const p = page(0, [
    [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Disc.', 420], ['Amount', 480]]],
    [120, [['Nougat', 70], ['5', 300], ['4,55', 360], ['10%', 420], ['20,48', 480]]],
    [140, [['Biscuits', 70], ['3', 300], ['3,20', 360], ['9,00', 480]]],
    [160, [['Oil', 70], ['2', 300], ['19,80', 360], ['39,60', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.unit_price), [4.1, 3.2, 19.8]);
});

// 97.7 % now (84.9 % before page footers were passed over to a next page's items); the rest are example lines whose XML amount is not quantity × price.
test('the synthetic multi-issuer set: at least 97 % of its rows right, no extra rows', async () => {
  const invoices = await exampleInvoices();
  assert.ok(invoices.length >= 10);
  const score = newLineScore();
  for (const layout of LAYOUTS) for (const { lines } of invoices) addLines(score, lines, extractTable(lineItems(), documentLines(render(lines, layout)), 'dmy')?.rows ?? []);
  assert.ok(score.right / score.lines >= 0.97, `${score.right} of ${score.lines} rows right`);
  assert.equal(score.extra, 0);
});

// 89.0 % now, 672 of 755 (57.4 % before group subtotals, page footers and centred figures ended or split items, docs/eval.md); de-shop
// prints VAT-inclusive amounts the e-invoice states net (2 of 68 right), the rest are example lines whose XML amount is not quantity × price.
test('the synthetic ERP layouts: at least 88 % of their rows right, no extra rows', async () => {
  const score = newLineScore();
  for (const layout of ERP_LAYOUTS) {
    for (const { lines } of await exampleInvoices()) {
      const { pages, truth } = renderErp(lines, layout);
      addLines(score, truth, extractTable(lineItems(), documentLines(pages), 'dmy')?.rows ?? []);
    }
  }
  assert.ok(score.right / score.lines >= 0.88, `${score.right} of ${score.lines} rows right`);
  assert.equal(score.extra, 0);
});

test('an amount printed alone in a table with quantity and price columns is one unit at that amount', () => {
  const p = page(0, [
    [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Amount', 480]]],
    [120, [['Building insurance', 70], ['1000.00', 480]]],
    [140, [['Flood cover', 70], ['2', 300], ['50.00', 360], ['100.00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => [r.quantity, r.unit_price]), [[1, 1000], [2, 50]]);
});

test('a group subtotal ("Summe Position 1–2", in the end pattern\'s words) with items after it is passed over, the items after it kept', () => {
  const p = page(0, [
    [100, [['Pos', 40], ['Beschreibung', 70], ['Anzahl', 300], ['Preis', 360], ['Betrag', 480]]],
    [114, [['1', 40], ['Montage', 70], ['2', 300], ['50,00', 360], ['100,00', 480]]],
    [128, [['2', 40], ['Material', 70], ['1', 300], ['20,00', 360], ['20,00', 480]]],
    [142, [['Summe Position 1–2', 70], ['120,00', 480]]],
    [160, [['Titel 2: Anfahrt', 70]]],
    [174, [['3', 40], ['Anfahrt', 70], ['1', 300], ['30,00', 360], ['30,00', 480]]],
    [188, [['4', 40], ['Entsorgung', 70], ['3', 300], ['10,00', 360], ['30,00', 480]]],
    [202, [['Summe Position 3–4', 70], ['60,00', 480]]],
    [230, [['Summe netto', 300], ['180,00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => [r.description, r.amount]), [['Montage', 100], ['Material', 20], ['Anfahrt', 30], ['Entsorgung', 30]]);
});

test('a page footer with figures under the amount column is passed over to the items of the next page; not after a total, nor into a copy', () => {
  const head: Parameters<typeof page>[1][number] = [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Amount', 480]]];
  const footer: Parameters<typeof page>[1] = [[760, [['Muster GmbH, Hauptstr. 5, 10115 Berlin', 40], ['IBAN DE02 1005 0000 0123 4567 89', 330]]], [780, [['Page 1 of 2', 430]]]];
  const items: Parameters<typeof page>[1] = [head, [120, [['Widget', 70], ['2', 300], ['5.00', 360], ['10.00', 480]]], [140, [['Gadget', 70], ['1', 300], ['7.50', 360], ['7.50', 480]]]];
  const first = page(0, [...items, ...footer]);
  const second = (rows: Parameters<typeof page>[1]): ReturnType<typeof page> => page(1, [head, ...rows, [200, [['Net amount', 300], ['25.00', 480]]]]);
  const next = second([[120, [['Bolt', 70], ['10', 300], ['0.75', 360], ['7.50', 480]]]]);
  assert.deepEqual(extractTable(lineItems(), documentLines([first, next]), 'dmy')?.rows.map((r) => r.amount), [10, 7.5, 7.5]);
  const closed = page(0, [...items, [400, [['Nettobetrag', 300], ['17.50', 480]]], ...footer]);
  assert.deepEqual(extractTable(lineItems(), documentLines([closed, next]), 'dmy')?.rows.map((r) => r.amount), [10, 7.5]);
  const copy = second([[120, [['Widget', 70], ['2', 300], ['5.00', 360], ['10.00', 480]]]]);
  assert.deepEqual(extractTable(lineItems(), documentLines([first, copy]), 'dmy')?.rows.map((r) => r.amount), [10, 7.5]);
});

test('a group subtotal is passed over when the next item has a position number beside its quantity (the quantity read under its header, not the number)', () => {
  const p = page(0, [
    [100, [['Pos.', 40], ['Menge', 80], ['Beschreibung', 130], ['Preis', 360], ['Betrag', 480]]],
    [114, [['1', 62], ['2', 100], ['Montage', 130], ['50,00', 360], ['100,00', 480]]],
    [128, [['2', 62], ['1', 100], ['Material', 130], ['20,00', 360], ['20,00', 480]]],
    [142, [['Zwischensumme', 130], ['120,00', 480]]],
    [160, [['3', 62], ['4', 100], ['Anfahrt', 130], ['7,50', 360], ['30,00', 480]]],
    [190, [['Summe netto', 300], ['150,00', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.amount), [100, 20, 30]);
});

test('a page footer whose middle block starts with an end word ("VAT ID …") under the table\'s columns does not close the table', () => {
  const head: Parameters<typeof page>[1][number] = [100, [['Description', 70], ['Qty', 300], ['Price', 360], ['Amount', 480]]];
  const first = page(0, [head, [120, [['Widget', 70], ['2', 300], ['5.00', 360], ['10.00', 480]]], [760, [['Phone 089', 10], ['IBAN DE02 1005 0000 0123 4567 89', 345]]], [775, [['Fax 089', 10], ['VAT ID DE 123 456 789', 120]]]]);
  const next = page(1, [head, [120, [['Bolt', 70], ['10', 300], ['0.75', 360], ['7.50', 480]]], [200, [['Net amount', 300], ['17.50', 480]]]]);
  assert.deepEqual(extractTable(lineItems(), documentLines([first, next]), 'dmy')?.rows.map((r) => r.amount), [10, 7.5]);
});

test('a description of several lines with its figures set in its middle keeps its first lines, not given to the item above', () => {
  const p = page(0, [
    [100, [['Item', 40], ['Qty', 300], ['Price', 360], ['Amount', 480]]],
    [120, [['Laptop computer', 40]]],
    [132, [['Intel Core, 8 GB', 40]]],
    [138, [['1', 300], ['900.00', 360], ['900.00', 480]]],
    [144, [['Screen 1440x900', 40]]],
    [156, [['Ref. PO-2026-1', 40]]],
    [172, [['Network cable', 40]]],
    [178, [['250', 300], ['0.75', 360], ['187.50', 480]]],
    [184, [['Ref. PO-2026-2', 40]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.description), ['Laptop computer\nIntel Core, 8 GB\nScreen 1440x900\nRef. PO-2026-1', 'Network cable\nRef. PO-2026-2']);
});

test('when figure columns are read again and a swap adds up as well (1 × 5,00 and 5,00 × 1), the quantity stays under its own header ("MENGE")', () => {
  const p = page(0, [
    [100, [['POS', 40], ['BEZEICHNUNG', 70], ['MENGE', 300], ['PREIS/EINH.', 360], ['BETRAG EUR', 440], ['St', 550]]],
    [120, [['1', 40], ['Laptop', 70], ['1 Stk', 305], ['1.273,00', 370], ['1.273,00', 450], ['1', 552]]],
    [140, [['2', 40], ['Kabel', 70], ['250 Stk', 295], ['0,75', 380], ['187,50', 460], ['1', 552]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => [r.quantity, r.unit_price]), [[1, 1273], [250, 0.75]]);
});

test('a description column under a word no list holds ("Artikel") is found right of the quantity too ("Menge Artikel Einzelpreis Gesamtpreis")', () => {
  const p = page(0, [
    [100, [['Menge', 40], ['Artikel', 80], ['Einzelpreis', 360], ['Gesamtpreis', 480]]],
    [120, [['2', 50], ['Wasserkocher', 80], ['23,80', 360], ['47,60', 480]]],
    [140, [['1', 50], ['Toaster', 80], ['59,50', 360], ['59,50', 480]]],
  ]);
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows.map((r) => r.description), ['Wasserkocher', 'Toaster']);
});
