/**
 * @module The XML output: the export data model (data.ts) as elements. Field names are
 * free text in a project file and often are not valid XML names, so they go in a
 * `name` attribute (`<field name="total" type="amount">12.50</field>`) rather than
 * becoming element names. fast-xml-parser's builder escapes text and attributes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { FieldValue, TableRow } from '../../core/capture.ts';
import type { ExportData, ExportDocument } from './data.ts';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

function scalar(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}

function rowNode(row: TableRow): unknown {
  return { cell: Object.entries(row).map(([name, v]) => ({ '@_name': name, '#text': scalar(v) })) };
}

function fieldNode(doc: ExportDocument, name: string, value: FieldValue): unknown {
  const type = doc.field_details.find((f) => f.name === name)?.type ?? 'text';
  if (Array.isArray(value)) return { '@_name': name, '@_type': type, row: value.map(rowNode) };
  return { '@_name': name, '@_type': type, '#text': scalar(value) };
}

function documentNode(doc: ExportDocument): unknown {
  return {
    '@_index': String(doc.index),
    '@_document_type': doc.document_type ?? '',
    '@_first_page': String(doc.pages[0]),
    '@_last_page': String(doc.pages[1]),
    field: Object.entries(doc.fields).map(([name, value]) => fieldNode(doc, name, value)),
  };
}

export function renderXml(data: ExportData): string {
  const tree = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    export: {
      '@_schema': data.schema,
      task: {
        '@_id': data.task.id,
        '@_name': data.task.name,
        '@_project_name': data.task.project_name,
        '@_page_count': String(data.page_count),
        tag: Object.entries(data.task.tags).map(([name, v]) => ({ '@_name': name, '#text': v })),
      },
      document: data.documents.map(documentNode),
    },
  };
  return builder.build(tree) as string;
}
