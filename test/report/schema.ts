// Validates a JSON report against docs/report.schema.json, the public contract, and a comparison against
// docs/comparison.schema.json. Other suites (the CLI's) can use it on what the built binary writes.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

// ajv checks formats only through ajv-formats; RFC 3339 date-times are all the schema uses.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// strictRequired would reject `then: {required: [...]}` naming properties declared outside the `then`.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addFormat('date-time', (text: string) => RFC3339.test(text) && !Number.isNaN(Date.parse(text)));
const compile = (file: string) => ajv.compile(JSON.parse(readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8')));
const validateReport = compile('report.schema.json');
const validateComparison = compile('comparison.schema.json');

function errorsOf(validate: ReturnType<typeof compile>, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`.trim());
}

/** The schema's complaints about `report` ("/checks/0/outcome must be equal to one of the allowed values"). */
export const schemaErrors = (report: unknown): string[] => errorsOf(validateReport, report);
/** docs/comparison.schema.json's complaints about what `compare --json` prints. */
export const comparisonSchemaErrors = (document: unknown): string[] => errorsOf(validateComparison, document);
