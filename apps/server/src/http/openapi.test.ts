import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { routes } from "@convivio/protocol";
import { buildOpenApi } from "./openapi.js";

describe("the OpenAPI document", () => {
  const doc = buildOpenApi("test");

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every route of the registry with a unique operationId", () => {
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    expect(operations.sort()).toEqual(Object.keys(routes).sort());
    expect(new Set(operations).size).toBe(operations.length);
  });

  it("describes request bodies with their constraints", () => {
    const signUp = (doc.paths["/api/auth/sign-up"] as Record<string, any>).post;
    const schema = signUp.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["name", "email", "password"]));
    expect(schema.properties.password.minLength).toBe(12);
    expect(schema.additionalProperties).toBe(false);
  });
});
