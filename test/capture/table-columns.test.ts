/**
 * @module Line items read from their figures (table-columns.ts, table-headerless.ts) on
 * word layouts built here: figure columns whose header words no list holds, a header
 * word set lower than its row, a table printed without a header row that ends in its
 * sum, and a totals block (net + tax = gross) that is no table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractTable } from '../../src/pipeline/capture/table.ts';
import { figureColumns, figureRoles } from '../../src/pipeline/capture/table-columns.ts';
import { visualRows } from '../../src/pipeline/capture/table-rows.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { lineItems, page, type Cell } from './table-support.ts';

test('figure columns under header words no list holds ("Einzel/€", "Gesamt/€") take their roles from quantity × price = amount', () => {
  const header: Cell[] = [['Nr.', 40], ['Bezeichnung', 80], ['Menge', 300], ['Einzel/€', 380], ['Gesamt/€', 480]];
  const p = page(0, [
    [100, header],
    [120, [['1', 45], ['Amboss 250 kg', 80], ['1', 320], ['1.000,00', 430], ['1.000,00', 525]]],
    [140, [['2', 45], ['Kette', 80], ['30', 320], ['10', 430], ['300', 525]]],
    [160, [['3', 45], ['Transport', 80], ['120,00', 430], ['120,00', 525]]],
    [190, [['Summe netto', 380], ['1.420,00', 525]]],
  ], 'right');
  const t = extractTable(lineItems(), documentLines([p]), 'dmy');
  assert.deepEqual(t?.rows, [
    { description: 'Amboss 250 kg', quantity: 1, unit_price: 1000, amount: 1000 },
    { description: 'Kette', quantity: 30, unit_price: 10, amount: 300 },
    { description: 'Transport', quantity: null, unit_price: 120, amount: 120 },
  ]);
});

test('the roles go to the columns under which most rows add up, whatever their order on the page', () => {
  // Price, then amount, then quantity; a position number on the left multiplies to nothing.
  const p = page(0, [
    [120, [['1', 45], ['4.00', 200], ['12.00', 300], ['3', 400]]],
    [140, [['2', 45], ['2.50', 200], ['25.00', 300], ['10', 400]]],
    [160, [['3', 45], ['1.10', 200], ['2.20', 300], ['2', 400]]],
  ], 'right');
  const roles = figureRoles(figureColumns(visualRows(documentLines([p])), 0, 3));
  assert.ok(roles);
  assert.deepEqual([roles.price.x1, roles.amount.x1, roles.quantity.x1, roles.adding], [200, 300, 400, 3]);
  assert.equal(figureRoles(figureColumns(visualRows(documentLines([page(0, [[120, [['Tel.', 40], ['0123', 200]]], [140, [['Fax', 40], ['0456', 200]]]], 'right')])), 0, 2)), null);
});

test('a header word set lower than its row ("Tax" under "Price w/o") ends the header, not the table', () => {
  const p = page(0, [
    [94, [['Price w/o', 510]]],
    [100, [['Description', 150], ['Quantity', 340], ['Unit Price', 405], ['Disc.', 466]]],
    [106, [['Tax', 520]]],
    [124, [['Nougat 250g', 30], ['8', 368], ['4.55', 449], ['10%', 480], ['32.76', 554]]],
    [142, [['Biscuits 300g', 30], ['20', 368], ['3.20', 449], ['64.00', 554]]],
    [160, [['Olive oil', 30], ['100', 368], ['19.80', 449], ['1,980.00', 554]]],
    [182, [['Net total', 450], ['2,076.76', 554]]],
  ], 'right');
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows, [
    // The 10 % printed on the row gives 8 × 4.55 − 10 % = 32.76: the net price 32.76 / 8, as the invoice's XML states it (BT-146).
    { description: 'Nougat 250g', quantity: 8, unit_price: 4.1, amount: 32.76 },
    { description: 'Biscuits 300g', quantity: 20, unit_price: 3.2, amount: 64 },
    { description: 'Olive oil', quantity: 100, unit_price: 19.8, amount: 1980 },
  ]);
});

test('a table without a header row is found by its amounts and their sum; notes under an item stay with it', () => {
  const p = page(0, [
    [60, [['Premium notice for policy 00.123.456.7', 40]]],
    [100, [['Third-party liability SF25 (30 %) class 18', 40], ['80,00', 460], ['€', 465]]],
    [112, [['Comprehensive SF25 (30 %) class 21', 40], ['140,00', 460], ['€', 465]]],
    [124, [['- deductible 300 €', 40]]],
    [136, [['Quarterly premium incl. 19 % insurance tax', 40], ['220,00', 460], ['€', 465]]],
    [148, [['Insurance tax in this premium', 40], ['35,13', 460], ['€', 465]]],
  ], 'right');
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows, [
    // A premium printed as a sum alone is one unit at that sum (EN 16931 needs a quantity and a price on every line).
    { description: 'Third-party liability SF25 (30 %) class 18', quantity: 1, unit_price: 80, amount: 80 },
    { description: 'Comprehensive SF25 (30 %) class 21\n- deductible 300 €', quantity: 1, unit_price: 140, amount: 140 },
  ]);
});

test('without a header, quantity and price are read where they multiply to the amounts', () => {
  const p = page(0, [
    [80, [['Our services in March:', 40]]],
    [100, [['Consulting, senior', 40], ['12', 300], ['95.00', 380], ['1,140.00', 460]]],
    [120, [['Travel time', 40], ['3', 300], ['47.50', 380], ['142.50', 460]]],
    [140, [['Net amount', 40], ['1,282.50', 460]]],
  ], 'right');
  assert.deepEqual(extractTable(lineItems(), documentLines([p]), 'dmy')?.rows, [
    { description: 'Consulting, senior', quantity: 12, unit_price: 95, amount: 1140 },
    { description: 'Travel time', quantity: 3, unit_price: 47.5, amount: 142.5 },
  ]);
});

test('a totals block is no table: its net total sums what is above it, and tax and total rows are no items', () => {
  const p = page(0, [
    [60, [['Thank you for your order.', 40]]],
    [100, [['Net amount', 300], ['100.00', 460]]],
    [112, [['VAT 19 %', 300], ['19.00', 460]]],
    [124, [['Total', 300], ['119.00', 460]]],
  ], 'right');
  assert.equal(extractTable(lineItems(), documentLines([p]), 'dmy'), null);
  const insured = page(0, [
    [60, [['Dear customer,', 40]]],
    [100, [['Buildings insurance', 40], ['1.000,00', 460]]],
    [112, [['Gesamtbeitrag', 40], ['1.000,00', 460]]],
    [124, [['Versicherungsteuer', 40], ['163,40', 460]]],
    [136, [['Rechnungsbetrag', 40], ['1.163,40', 460]]],
  ], 'right');
  assert.deepEqual(extractTable(lineItems(), documentLines([insured]), 'dmy')?.rows.map((r) => [r.description, r.amount]), [['Buildings insurance', 1000]]);
});
