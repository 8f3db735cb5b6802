/**
 * The parts of SARIF 2.1.0 that GitHub code scanning reads, as a JSON Schema written for this test
 * (from the OASIS spec's required properties and GitHub's upload rules: every result needs a
 * physical location with an artifact URI; rule ids and indexes must agree). Not a copy of the
 * official schema: a floor that a plangate SARIF file must clear.
 */
export const SARIF_SHAPE = {
  type: "object",
  required: ["version", "runs"],
  properties: {
    version: { const: "2.1.0" },
    $schema: { type: "string" },
    runs: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["tool", "results"],
        properties: {
          tool: {
            type: "object",
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                required: ["name", "rules"],
                properties: {
                  name: { type: "string", minLength: 1 },
                  version: { type: "string" },
                  rules: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["id", "shortDescription", "help", "properties"],
                      properties: {
                        id: { type: "string", minLength: 1 },
                        shortDescription: { $ref: "#/definitions/message" },
                        fullDescription: { $ref: "#/definitions/message" },
                        help: { $ref: "#/definitions/message" },
                        helpUri: { type: "string", format: "uri" },
                        defaultConfiguration: {
                          type: "object",
                          properties: { level: { $ref: "#/definitions/level" } },
                        },
                        properties: {
                          type: "object",
                          required: ["tags"],
                          properties: {
                            tags: { type: "array", items: { type: "string" }, uniqueItems: true },
                            "security-severity": {
                              type: "string",
                              pattern: "^(10(\\.0)?|[0-9](\\.[0-9])?)$",
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: "array",
            items: {
              type: "object",
              required: ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"],
              properties: {
                ruleId: { type: "string" },
                ruleIndex: { type: "integer", minimum: 0 },
                level: { $ref: "#/definitions/level" },
                message: { $ref: "#/definitions/message" },
                locations: {
                  type: "array",
                  minItems: 1,
                  maxItems: 10,
                  items: {
                    type: "object",
                    required: ["physicalLocation"],
                    properties: {
                      physicalLocation: {
                        type: "object",
                        required: ["artifactLocation", "region"],
                        properties: {
                          artifactLocation: {
                            type: "object",
                            required: ["uri"],
                            properties: { uri: { type: "string", minLength: 1, not: { pattern: "^/" } } },
                          },
                          region: {
                            type: "object",
                            required: ["startLine"],
                            properties: {
                              startLine: { type: "integer", minimum: 1 },
                              startColumn: { type: "integer", minimum: 1 },
                              endLine: { type: "integer", minimum: 1 },
                            },
                          },
                        },
                      },
                      logicalLocations: {
                        type: "array",
                        items: {
                          type: "object",
                          required: ["fullyQualifiedName"],
                          properties: { fullyQualifiedName: { type: "string" }, kind: { type: "string" } },
                        },
                      },
                    },
                  },
                },
                partialFingerprints: {
                  type: "object",
                  minProperties: 1,
                  additionalProperties: { type: "string", minLength: 1 },
                },
                suppressions: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["kind"],
                    properties: {
                      kind: { enum: ["inSource", "external"] },
                      status: { enum: ["accepted", "underReview", "rejected"] },
                      justification: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  definitions: {
    level: { enum: ["none", "note", "warning", "error"] },
    message: {
      type: "object",
      anyOf: [{ required: ["text"] }, { required: ["id"] }],
      properties: { text: { type: "string", minLength: 1 }, markdown: { type: "string" } },
    },
  },
} as const;
