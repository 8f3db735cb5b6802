/**
 * A principal block whose type is known and whose identifiers are not (an OIDC provider ARN known
 * after apply) keeps its type: a matcher for another type decides "no", one for that type "yes".
 * Seen on corpus cyse7125-infra-aws__infra-tfplan.json (Federated trust policies).
 */
import { describe, expect, it } from "vitest";
import type { AttributeValues } from "../../src/plan/types.js";
import { compileMatcher } from "../../src/policy/policy-document/match.js";
import { type DocStatement, documentFromStatements } from "../../src/policy/policy-document/normalize.js";

function statementOf(
  principals: { type: string | null; identifiers: (string | null)[] | null }[],
): DocStatement {
  const values: AttributeValues = {
    value: { statement: [{ effect: "Allow", actions: ["sts:AssumeRoleWithWebIdentity"], principals }] },
    unknown: {
      statement: [
        {
          principals: principals.map((p) => ({
            ...(p.type === null ? { type: true } : {}),
            ...(p.identifiers === null
              ? { identifiers: true }
              : { identifiers: p.identifiers.map((i) => i === null) }),
          })),
        },
      ],
    },
    sensitive: false,
  };
  const doc = documentFromStatements(values);
  const [s] = doc?.statements ?? [];
  if (!s) throw new Error("no statement");
  return s;
}

describe("principal types with unknown identifiers", () => {
  const federated = statementOf([{ type: "Federated", identifiers: [null] }]);
  const wholeUnknown = statementOf([{ type: "Federated", identifiers: null }]);

  it("keep the known type: Service is a decided no, Federated a decided yes", () => {
    for (const s of [federated, wholeUnknown]) {
      expect(s.statement.Principal).toEqual({ Federated: [] });
      expect(compileMatcher({ principals: { type: "Service" } })(s)).toBe(false);
      expect(compileMatcher({ principals: { type: "AWS" } })(s)).toBe(false);
      expect(compileMatcher({ principals: { type: "Federated" } })(s)).toBe(true);
    }
  });

  it("a value of that type is still open; an unknown type leaves every type open", () => {
    expect(
      compileMatcher({ principals: { type: "Federated", values: ["arn:aws:iam::*:oidc-provider/*"] } })(
        federated,
      ),
    ).toBe(undefined);
    const typeUnknown = statementOf([{ type: null, identifiers: ["x"] }]);
    expect(compileMatcher({ principals: { type: "Service" } })(typeUnknown)).toBe(undefined);
  });
});
