/**
 * @module The demo project's classifier on European invoices it was not trained on
 * (written here by hand, not drawn from the sample generator's lists): credit
 * notes, statements and premium notices in German, French and Dutch are invoices,
 * and letters in the same languages stay letters. Before the generator wrote these
 * kinds, a German premium notice in letter form scored 0.01–0.04 (unknown).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoProject } from '../../src/core/demo-project.ts';
import { captureSettings, parseProject, type Project } from '../../src/core/project.ts';
import { classifyText } from '../../src/pipeline/capture/classify.ts';

function settings(): ReturnType<typeof captureSettings> {
  const r = parseProject(demoProject());
  assert.ok(r.ok);
  return captureSettings((r as { project: Project }).project);
}

const INVOICES: Record<string, string> = {
  'German premium notice written as a letter': [
    'Hansa Sachversicherung a.G.', 'Herrn', 'Peter Beispiel', 'Lindenweg 3', '54321 Beispielstadt',
    'Hausratversicherung Nr. 44.556.778', '2. Mai 2023', 'Sehr geehrter Herr Beispiel,',
    'zu Ihrer Hausratversicherung berechnen wir Ihnen für den Zeitraum vom 01.06.2023 bis 31.05.2024 den folgenden Beitrag:',
    'Nettobeitrag 240,00 €', 'Versicherungsteuer 45,60 €', 'Rechnungsbetrag 285,60 €',
    'Bitte überweisen Sie den Beitrag bis zur Fälligkeit auf unser Konto IBAN DE02120300000000202051.',
    'Mit freundlichen Grüßen', 'Ihre Hansa Sachversicherung',
  ].join('\n'),
  'French credit note': [
    'Papeterie Lefèvre SARL', '14 avenue Foch, 69006 Lyon', 'AVOIR N° AV-2023-0042', "Date d'émission : 12/09/2023",
    'Avoir sur facture FA-2023-0387', 'Client : Cabinet Moreau', 'Désignation Qté PU HT Montant HT', 'Retour cartouches 3 21,00 63,00',
    'Total HT 63,00', 'TVA 20 % 12,60', 'Total TTC à rembourser 75,60 €',
  ].join('\n'),
  'Dutch credit note': [
    'Bakkerij De Vries B.V.', 'Molenstraat 8, 3511 AB Utrecht', 'CREDITNOTA', 'Creditnotanummer CN-2023-017', 'Datum 04-10-2023',
    'Betreft factuur 2023-0912', 'Omschrijving Aantal Bedrag', 'Teveel berekende bezorgkosten 1 15,00',
    'Subtotaal 15,00', 'BTW 21% 3,15', 'Totaal te crediteren 18,15 EUR', 'Het bedrag wordt verrekend met uw volgende factuur.',
  ].join('\n'),
  'English rent invoice': [
    'Harbourside Properties Ltd', 'Rent demand', 'Tenant: Blue Door Studio', 'Unit 4, Dock Road', 'Rent for the quarter 25 March 2024 to 23 June 2024',
    'Service charge 450.00', 'Rent 3,750.00', 'VAT 20% 840.00', 'Amount payable 5,040.00 GBP', 'Payment due on the quarter day by standing order.',
  ].join('\n'),
};

const LETTERS: Record<string, string> = {
  'German letter': ['Sehr geehrte Frau Becker,', 'vielen Dank für Ihre Nachricht. Gerne bestätigen wir den Termin am Dienstag.', 'Die Unterlagen senden wir Ihnen in der nächsten Woche zu.', 'Mit freundlichen Grüßen', 'Thomas Wagner'].join('\n'),
  'French letter': ['Madame,', 'Suite à notre entretien, je vous confirme ma participation à la réunion du conseil.', 'Je reste à votre disposition pour tout renseignement complémentaire.', 'Veuillez agréer, Madame, mes salutations distinguées.', 'Claire Martin'].join('\n'),
  'Dutch letter': ['Geachte mevrouw De Boer,', 'Hartelijk dank voor uw brief. Wij nemen uw verzoek in behandeling en laten u binnen twee weken weten wat wij besluiten.', 'Met vriendelijke groet,', 'Pieter Visser'].join('\n'),
  'English letter': ['Dear Ms Patel,', 'Thank you for attending the interview last week. We are pleased to offer you the position and enclose the contract for your review.', 'Yours sincerely,', 'Helen Carter'].join('\n'),
};

test('European invoices, credit notes and statements the samples never showed are invoices', () => {
  const s = settings();
  for (const [name, text] of Object.entries(INVOICES)) {
    const c = classifyText(s, text);
    assert.equal(c.type, 'Invoice', `${name}: ${JSON.stringify(c)}`);
  }
});

test('letters in the same four languages stay letters', () => {
  const s = settings();
  for (const [name, text] of Object.entries(LETTERS)) {
    const c = classifyText(s, text);
    assert.notEqual(c.type, 'Invoice', `${name}: ${JSON.stringify(c)}`);
    assert.equal(c.best, 'Letter/Other', `${name}: ${JSON.stringify(c)}`);
  }
});
