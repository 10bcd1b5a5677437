import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressCandidates } from '../../src/pipeline/capture/address.ts';
import { mendAddressWords } from '../../src/pipeline/capture/address-words.ts';
import { companyCandidates } from '../../src/pipeline/capture/company.ts';
import { findDates } from '../../src/pipeline/capture/normalize.ts';
import { documentLines } from '../../src/pipeline/capture/text.ts';
import { totalCandidates } from '../../src/pipeline/capture/total.ts';
import { textPage } from './pages.ts';

/** The value extraction would rank first: candidates of one value pool their scores, 1 − Π(1 − s), as extract.ts does. */
function best(cands: { value: string | number; score: number }[]): string | number | undefined {
  const pooled = new Map<string | number, number>();
  for (const c of cands) pooled.set(c.value, 1 - (1 - (pooled.get(c.value) ?? 0)) * (1 - Math.min(0.95, c.score)));
  return [...pooled.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

test('total: a total per tax rate ("Total 0% supplies", printed twice) is a part, not what is payable', () => {
  const lines = documentLines([textPage(0, ['Total 0% supplies:   39.01', 'Total 6% supplies (Inc. GST):   -18.80', 'Total 0% supplies:   39.01', 'Total Payable:   20.21'])]);
  assert.equal(best(totalCandidates(lines)), 20.21);
});

test('total: a dash standing apart separates label and amount; a minus sign against the digits stays', () => {
  assert.equal(best(totalCandidates(documentLines([textPage(0, ['Final Total - 53.70'])]))), 53.7);
  assert.equal(best(totalCandidates(documentLines([textPage(0, ['Endbetrag -8,79'])]))), -8.79);
});

test('total: amounts OCR split around the separator or read with an O are mended', () => {
  assert.equal(best(totalCandidates(documentLines([textPage(0, ['TOTAL 758 .70'])]))), 758.7);
  assert.equal(best(totalCandidates(documentLines([textPage(0, ['TOTAL 2O. 40'])]))), 20.4);
});

test('total: a payment printed as a debit still counts as paid, so cash minus change checks the total', () => {
  const lines = documentLines([textPage(0, ['Total Inclusive of Tax   11.2', 'SubTotal   11.25', 'Payment   -20.00', 'Change   8.75'])]);
  assert.equal(best(totalCandidates(lines)), 11.25);
});

test('dates: two different separators make an amount after a number, not a date; "~" still reads as a dash', () => {
  assert.deepEqual(findDates('6% off @43.15 -2.75'), []);
  assert.equal(findDates('Date : 30~04-2018')[0]?.value, '2018-04-30');
  assert.equal(findDates('27/05/2018 13:48')[0]?.value, '2018-05-27');
});

test('company: a bracketed branch of several words, or brackets OCR glued to a word, stay inside the legal name', () => {
  const lines = documentLines([textPage(0, ['tan woon yann', 'BOOK TAK (TAMAN DAYA) SDN BHD', 'NO. 5, JALAN SAGU 18,', 'TEL : 07-3355 1234'])]);
  assert.equal(best(companyCandidates(lines)), 'BOOK TAK (TAMAN DAYA) SDN BHD');
  const glued = documentLines([textPage(0, ['GARDENIA BAKERIES (KL )SDN BHD (139386 X)', 'Lot 3, Jalan Pelabur 23/1,'])]);
  assert.equal(best(companyCandidates(glued)), 'GARDENIA BAKERIES (KL) SDN BHD');
});

test('company: a name below the header block (the customer under the title, the owner) loses to the name heading the page', () => {
  const customer = documentLines([textPage(0, ['PERNIAGAAN ZHENG HUI', 'NO.59 JALAN PERMAS 9/5', '81750 JOHOR BAHRU', 'TEL : 07-386 7524', 'SIMPLIFIED TAX INVOICE', 'GOGIANT ENGINEERING (M) SDN BHD', 'Date: 09/03/2018'])]);
  assert.equal(best(companyCandidates(customer)), 'PERNIAGAAN ZHENG HUI');
  const owner = documentLines([textPage(0, ['SANYU STATIONERY SHOP', 'NO. 31G, JALAN SETIA INDAH', 'Tel: +603-3362 4137', 'Owned By', 'SANYU SUPPLY SDN BHD (1135772-K)'])]);
  assert.equal(best(companyCandidates(owner)), 'SANYU STATIONERY SHOP');
  const top = documentLines([textPage(0, ['ACME TRADING SDN BHD', 'TEL : 03-4043 7678', 'SOME CUSTOMER SDN BHD'])]);
  assert.equal(best(companyCandidates(top)), 'ACME TRADING SDN BHD');
});

test('company: a brand spelt with a lower-case first letter keeps it ("eCosWay.com SDN BHD")', () => {
  const lines = documentLines([textPage(0, ['eCosWay.com SDN BHD (509213A)', '2nd Floor, Wisma Cosway, Jalan Raja Chulan,'])]);
  assert.equal(best(companyCandidates(lines)), 'eCosWay.com SDN BHD');
});

test('address: a unit number or an OCR-read street word opens the block; a labelled document number does not', () => {
  const unit = documentLines([textPage(0, ['RESTAURANT SIN DU', 'K3-113,JL IBRAHIM SULTAN', '80300 JOHOR BAHRU', 'H/P: 019-7521215'])]);
  assert.equal(addressCandidates(unit)[0]?.value, 'K3-113,JL IBRAHIM SULTAN 80300 JOHOR BAHRU');
  const misread = documentLines([textPage(0, ['ENW Hardware Centre (M) Sdn. Bhd.', 'Co. Reg. No.: 795225-A', 'No: G3, BIk G, JIn PJU 1A/3,', 'Ara Damansara, 47301', 'TEL: 03-7832 6929', 'No. :CS00230322', 'Cash Sale (Ara D\'sara)'])]);
  assert.equal(addressCandidates(misread)[0]?.text, 'No: G3, BIk G, JIn PJU 1A/3, Ara Damansara, 47301');
});

test('address: a company name, a labelled phone and marks OCR left at the end close the block; a mall name above the company is no address', () => {
  const name = documentLines([textPage(0, ['BHPetrol Permas Jaya 2', 'LOT PTD 101051', 'Jalan Permas 10/10', '81750 Masai, Johor', 'Esjay Fuel Enterprise', 'CO. REG. NO: 001011128-T'])]);
  assert.equal(addressCandidates(name)[0]?.value, 'LOT PTD 101051 Jalan Permas 10/10 81750 Masai, Johor');
  const phone = documentLines([textPage(0, ['No.1, Jln Puteri 1/6,', '47100 Puchong,', 'Selangor', 'Outlet: 03-80626265 Careline:03-56381988'])]);
  assert.equal(addressCandidates(phone)[0]?.value, 'No.1, Jln Puteri 1/6, 47100 Puchong, Selangor');
  const mall = documentLines([textPage(0, ['Dasa Park City', 'Golden Scoop Sdn Bhd (169609-A)', 'A-16-1, Tower A, Northpoint Office,', 'Kuala Lumpur 59200', 'GST ID: 001513148416'])]);
  assert.equal(addressCandidates(mall)[0]?.value, 'A-16-1, Tower A, Northpoint Office, Kuala Lumpur 59200');
});

test('address words: one OCR slip in a common address word is put right; names, numbers and right words stay', () => {
  assert.equal(mendAddressWords('Lot 3, Jalau Pelabur 23/1, 40300 Shah Alam, SE-ANGOR.'), 'Lot 3, Jalan Pelabur 23/1, 40300 Shah Alam, SELANGOR.');
  assert.equal(mendAddressWords('No: G3, BIk G, JIn PJU 1A/3, TANAN BERKELEY, AEON Ma11'), 'No: G3, BLK G, JLN PJU 1A/3, TAMAN BERKELEY, AEON Mall');
  assert.equal(mendAddressWords('33 JLN BANGAU 1, KEPONG BARU, 52100 KEPONG'), '33 JLN BANGAU 1, KEPONG BARU, 52100 KEPONG');
  // One Malay word is no evidence of a Malaysian address: a name one slip from a state stays.
  assert.equal(mendAddressWords('c/o Sarah Smith, 12 Park Streat, Leeds'), 'c/o Sarah Smith, 12 Park Street, Leeds');
});
