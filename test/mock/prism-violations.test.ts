// Unit tests of the pure conversion from Prism's violations to the envelope (no server needed).
import { describe, expect, it } from "vitest";
import { convertViolation, fromProblem, fromViolations, parseSlViolations } from "../../mock/prism-violations";

describe("Prism violation -> envelope", () => {
  it("turns the location array into a JSON pointer and strips Prism's prefix", () => {
    expect(
      convertViolation({
        location: ["request", "body", "messages", "0", "content"],
        code: "type",
        message: "Request body property messages.0.content must be string",
      }),
    ).toEqual({
      pointer: "/messages/0/content",
      message: "must be string",
      code: "type",
      location: "body",
    });
  });

  it("keeps Ajv's pointer escaping (~1 for /) and points at a missing or unknown property", () => {
    expect(
      convertViolation({
        location: ["request", "body", "logit_bias", "a~1b"],
        code: "type",
        message: "Request body property logit_bias.a~1b must be number",
      }).pointer,
    ).toBe("/logit_bias/a~1b");
    expect(
      convertViolation({
        location: ["request", "body"],
        code: "required",
        message: "Request body must have required property 'model'",
      }),
    ).toMatchObject({ pointer: "/model", message: "is required" });
    expect(
      convertViolation({
        location: ["request", "body", "provider"],
        code: "additionalProperties",
        message: "Request body property provider must NOT have additional properties; found 'bogus'",
      }),
    ).toMatchObject({ pointer: "/provider/bogus" });
  });

  it("lists every violation in the message and dedupes Prism's repeated oneOf branches", () => {
    const header = JSON.stringify([
      {
        location: ["request", "body", "temperature"],
        severity: "Error",
        code: "maximum",
        message: "Request body property temperature must be <= 2",
      },
      {
        location: ["request", "body", "top_p"],
        severity: "Error",
        code: "exclusiveMinimum",
        message: "Request body property top_p must be > 0",
      },
      {
        location: ["request", "body", "top_p"],
        severity: "Error",
        code: "exclusiveMinimum",
        message: "Request body property top_p must be > 0",
      },
      { location: ["request", "body", "x"], severity: "Warning", code: "w", message: "Request body property x is odd" },
    ]);
    const vs = parseSlViolations(header);
    expect(vs.map((v) => v.pointer)).toEqual(["/temperature", "/top_p"]);
    const env = fromViolations(400, vs, "Bearer k");
    expect(env.error).toMatchObject({
      code: 400,
      message: "Invalid request: /temperature must be <= 2; /top_p must be > 0",
    });
  });

  it("salvages the complete entries of a truncated header when no re-validation is available", () => {
    const one = {
      location: ["request", "body", "a"],
      severity: "Error",
      code: "type",
      message: "Request body property a must be string",
    };
    const text = `Too many violations! ${JSON.stringify([one, one, one]).slice(0, -40)}`;
    expect(parseSlViolations(text).map((v) => v.pointer)).toEqual(["/a"]);
  });

  it("security and content-type failures", () => {
    const sec = parseSlViolations(
      JSON.stringify([
        { location: ["request"], severity: "Error", code: 401, message: "Invalid security scheme used" },
      ]),
    );
    expect(fromViolations(401, sec, undefined).error.message).toMatch(/^Missing Authorization/);
    expect(fromViolations(401, sec, "Basic x").error.message).toMatch(/^Malformed Authorization/);
    const ct = parseSlViolations(
      JSON.stringify([
        { location: ["request"], severity: "Error", code: 415, message: "Supported content types: application/json" },
      ]),
    );
    expect(ct[0]).toMatchObject({ code: "content_type", pointer: "" });
  });

  it("problem+json keeps its status and names its validation entries", () => {
    const env = fromProblem(422, {
      type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
      title: "Invalid request",
      status: 422,
      detail: "x",
      validation: [
        {
          location: ["body", "temperature"],
          severity: "Error",
          code: "maximum",
          message: "Request body property temperature must be <= 2",
        },
      ],
    });
    expect(env.error).toMatchObject({ code: 422, message: "Invalid request: /temperature must be <= 2" });
    expect(
      fromProblem(404, {
        type: "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR",
        title: "Route not resolved",
        detail: "no",
      }).error.metadata,
    ).toMatchObject({ mock_error: "NO_PATH_MATCHED_ERROR" });
  });
});
