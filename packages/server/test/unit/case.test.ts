import { describe, expect, it } from "vitest";
import { camelizeKeys, toCamel } from "../../src/http/case.js";
import { DomainError } from "../../src/domain/errors.js";

describe("snake_case input", () => {
  it.each([
    ["page_size", "pageSize"],
    ["next_page_token", "nextPageToken"],
    ["alt_ids", "altIds"],
    ["_original", "_original"],
    ["pageSize", "pageSize"],
    ["a__b", "aB"],
  ])("%s → %s", (input, output) => expect(toCamel(input)).toBe(output));

  it("converts field names but keeps the keys of label maps", () => {
    const body = {
      petition: {
        default_duration: "1h",
        meta: { labels: { my_label: "x", "indent.com/time/duration": "1h" } },
        resources: [{ display_name: "Prod", labels: { team_name: "core" } }],
      },
    };
    expect(camelizeKeys(body)).toEqual({
      petition: {
        defaultDuration: "1h",
        meta: { labels: { my_label: "x", "indent.com/time/duration": "1h" } },
        resources: [{ displayName: "Prod", labels: { team_name: "core" } }],
      },
    });
  });

  it("prefers the camelCase spelling when both are sent", () => {
    expect(camelizeKeys({ page_size: 5, pageSize: 7 })).toEqual({ pageSize: 7 });
  });

  it("refuses absurd nesting instead of exhausting the stack", () => {
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(() => camelizeKeys(deep)).toThrow(DomainError);
  });
});
