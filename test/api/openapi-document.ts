// docs/openapi.yaml as a validator of real answers: the schema an operation declares for
// a status code, compiled with Ajv (JSON Schema 2020-12, which OpenAPI 3.1 uses).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

export const OPENAPI_PATH = join(import.meta.dirname, "..", "..", "docs", "openapi.yaml");

interface OpenApiResponse {
  $ref?: string;
  content?: Record<string, { schema: unknown }>;
}
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { responses: Record<string, OpenApiResponse> };
};

export function loadOpenApi(): OpenApiDocument {
  return parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApiDocument;
}

export interface ResponseCheck {
  valid: boolean;
  errors: string;
}

export function createResponseValidator(document: OpenApiDocument = loadOpenApi()) {
  // strict: false because the document around the schemas (paths, info, ...) is not a schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document as object, "openapi");
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const checked = new Set<string>();

  return {
    /** Every operation/status pair a test has validated, to prove coverage. */
    checked,
    validate(path: string, method: string, status: number, body: unknown): ResponseCheck {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) return { valid: false, errors: `no ${method} ${path} in the document` };
      let response = operation.responses[String(status)];
      if (!response) return { valid: false, errors: `${method} ${path} declares no ${status} answer` };
      let pointer = `#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}/${method.toLowerCase()}/responses/${status}`;
      if (response.$ref) {
        pointer = response.$ref;
        response = document.components.responses[response.$ref.split("/").at(-1)!]!;
      }
      if (!response.content?.["application/json"]) {
        return { valid: false, errors: `${method} ${path} ${status} declares no JSON body` };
      }
      const ref = `openapi${pointer}/content/application~1json/schema`;
      let validate = compiled.get(ref);
      if (!validate) {
        validate = ajv.compile({ $ref: ref });
        compiled.set(ref, validate);
      }
      const valid = validate(body) as boolean;
      checked.add(`${method.toUpperCase()} ${path} ${status}`);
      return { valid, errors: valid ? "" : ajv.errorsText(validate.errors, { separator: "\n" }) };
    },
  };
}
