import { z } from "zod";
import { INPUT_TYPES } from "../codec/read-input.ts";
import {
  ErrorEnvelopeSchema,
  HealthResponseSchema,
  ModelsResponseSchema,
  RawJsonBodySchema,
  ReadyResponseSchema,
  SegmentQuerySchema,
  SegmentResponseSchema,
} from "../schemas.ts";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "openapi-3.0", io: "input", unrepresentable: "any" });
const json = (s: z.ZodType) => ({ "application/json": { schema: schema(s) } });
const errors = (codes: number[]) =>
  Object.fromEntries(
    codes.map((k) => [String(k), { description: "Error envelope", content: json(ErrorEnvelopeSchema) }]),
  );

/** The OpenAPI 3.0 document of the service, built from the same zod schemas the routes validate with. */
export function openApiDocument(options: { auth: boolean; version: string }) {
  const query = schema(SegmentQuerySchema) as { properties: Record<string, unknown> };
  const parameters = Object.entries(query.properties).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: s,
  }));
  const binary = { type: "string", format: "binary" };
  return {
    openapi: "3.0.3",
    info: {
      title: "bcpseg edge API",
      version: options.version,
      description: "Medical image segmentation with a BCP-trained model.",
    },
    ...(options.auth
      ? { components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } }, security: [{ bearer: [] }] }
      : {}),
    paths: {
      "/healthz": {
        get: {
          summary: "Liveness",
          security: [],
          responses: { 200: { description: "Alive", content: json(HealthResponseSchema) } },
        },
      },
      "/readyz": {
        get: {
          summary: "Readiness: every model session is open",
          security: [],
          responses: {
            200: { description: "Ready", content: json(ReadyResponseSchema) },
            503: { description: "Loading or failed", content: json(ReadyResponseSchema) },
          },
        },
      },
      "/v1/models": {
        get: {
          summary: "Served models, their contracts, classes and hashes",
          responses: { 200: { description: "Models", content: json(ModelsResponseSchema) }, ...errors([401]) },
        },
      },
      "/v1/segment": {
        post: {
          summary: "Segment a PNG, a raw float32 array, a NIfTI volume or a DICOM series",
          description:
            'DICOM: one Part 10 file (application/dicom), a series as multipart/related; type="application/dicom" ' +
            "(DICOMweb STOW-RS body) or multipart/form-data (one file per part). The series is planned from its headers " +
            "(one SeriesInstanceUID, a regular stack) and costed before any pixel is decoded; format=dicom-seg (or " +
            "Accept: application/dicom) answers a binary DICOM Segmentation referencing the source series.",
          parameters: [
            ...parameters,
            {
              name: "X-Shape",
              in: "header",
              required: false,
              description: "octet-stream float32: comma-separated shape",
              schema: { type: "string" },
            },
            {
              name: "X-Dtype",
              in: "header",
              required: false,
              description: "octet-stream: float32 only",
              schema: { type: "string" },
            },
            {
              name: "X-Spacing",
              in: "header",
              required: false,
              description: "octet-stream: comma-separated voxel size",
              schema: { type: "string" },
            },
          ],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              INPUT_TYPES.map((t) => [
                t,
                t === "application/json"
                  ? { schema: schema(RawJsonBodySchema) }
                  : t.startsWith("multipart/")
                    ? {
                        schema: {
                          type: "object",
                          properties: { files: { type: "array", items: binary } },
                        },
                        description: "DICOM Part 10 files, one per part",
                      }
                    : { schema: binary },
              ]),
            ),
          },
          responses: {
            200: {
              description: "Segmentation (format option or Accept header)",
              content: {
                ...json(SegmentResponseSchema),
                "image/png": { schema: binary },
                "application/x-nifti": { schema: binary },
                "application/gzip": { schema: binary },
                "application/dicom": { schema: binary },
              },
            },
            ...errors([400, 401, 404, 406, 413, 415, 422, 503]),
          },
        },
      },
    },
  };
}
