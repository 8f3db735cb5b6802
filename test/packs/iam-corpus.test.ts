/**
 * The aws-iam pack on real plans from the shared corpus: the expected verdict of every IAM rule
 * for every IAM policy, role, attachment and policy document of each plan, written by reading the
 * plan files (not by running the engine). A result the table does not list fails the test, so a
 * new false positive cannot slip in unnoticed.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Status } from "../../src/engine/types.js";
import { readPlanInput } from "../../src/plan/read.js";
import type { JsonValue } from "../../src/plan/types.js";
import { compilePack } from "../../src/policy/compile.js";
import { loadPacks } from "../../src/policy/load.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/plans/", import.meta.url));

type Verdicts = Readonly<Record<string, Readonly<Record<string, Status>>>>;

const NA: Status = "not_applicable";

/** aws_iam_policy / aws_iam_role_policy / aws_iam_group_policy (and aws_iam_user_policy with `user`). */
function identityPolicy(admin: Status, wildcard: Status, kms: Status, user?: Status): Record<string, Status> {
  return {
    "iam-policy-no-admin-statement": admin,
    "iam-policy-no-service-wildcard": wildcard,
    "iam-policy-no-kms-decrypt-all-keys": kms,
    ...(user !== undefined && { "iam-user-no-direct-policies": user }),
  };
}

interface RoleVerdicts {
  readonly externalId: Status;
  readonly sourceCondition: Status;
  readonly crossAccountAdmin: Status;
  /** Verdicts of the three inline_policy rules; not applicable unless the configuration sets it. */
  readonly inline?: readonly [Status, Status, Status];
}

function role(v: RoleVerdicts): Record<string, Status> {
  const [admin, wildcard, kms] = v.inline ?? [NA, NA, NA];
  return {
    "iam-role-inline-policy-no-admin-statement": admin,
    "iam-role-inline-policy-no-service-wildcard": wildcard,
    "iam-role-inline-policy-no-kms-decrypt-all-keys": kms,
    "iam-role-cross-account-external-id": v.externalId,
    "iam-role-service-principal-source-condition": v.sourceCondition,
    "iam-cross-account-role-no-admin": v.crossAccountAdmin,
  };
}

/** A role trusted by an AWS service without aws:SourceAccount/aws:SourceArn, no inline_policy set. */
const SERVICE_ROLE = role({ externalId: "pass", sourceCondition: "fail", crossAccountAdmin: NA });

function attachment(admin: Status, fullAccess: Status, user?: Status): Record<string, Status> {
  return {
    "iam-no-administrator-access-attachment": admin,
    "iam-no-full-access-attachment": fullAccess,
    ...(user !== undefined && { "iam-user-no-direct-policies": user }),
  };
}

function document(admin: Status, wildcard: Status, kms: Status): Record<string, Status> {
  return {
    "iam-policy-document-no-admin-statement": admin,
    "iam-policy-document-no-service-wildcard": wildcard,
    "iam-policy-document-no-kms-decrypt-all-keys": kms,
  };
}

const PASS3 = identityPolicy("pass", "pass", "pass");
/** A document consumed by an IAM resource of the plan, or a trust/resource policy: never checked. */
const CONSUMED_DOCUMENT = document(NA, NA, NA);

interface CorpusCase {
  readonly file: string;
  readonly note: string;
  readonly params?: Readonly<Record<string, JsonValue>>;
  readonly verdicts: Verdicts;
}

const CASES: readonly CorpusCase[] = [
  {
    file: "regula__iam-admin_policy_infra.json",
    note: "format 0.1, provider 2.x: Action * on * in every policy kind, valid twins with ec2:Describe*",
    verdicts: {
      "aws_iam_group_policy.invalid_group_policy": identityPolicy("fail", "pass", "fail"),
      "aws_iam_group_policy.valid_group_policy": PASS3,
      "aws_iam_policy.invalid_policy": identityPolicy("fail", "pass", "fail"),
      // Deny * on * is a guardrail, not a grant
      "aws_iam_policy.valid_deny_policy": PASS3,
      "aws_iam_role.my_test_role": SERVICE_ROLE,
      "aws_iam_role_policy.invalid_role_policy": identityPolicy("fail", "pass", "fail"),
      "aws_iam_role_policy.valid_role_policy": PASS3,
      "aws_iam_user_policy.invalid_user_policy": identityPolicy("fail", "pass", "fail", "fail"),
      "aws_iam_user_policy.valid_user_policy": identityPolicy("pass", "pass", "pass", "fail"),
    },
  },
  {
    file: "awslabs-iam-validator__identity_policies-test_plan.json",
    note: "format 1.2: ec2:<Verb>* wildcards (not service-wide), inline_policy configured on one role",
    verdicts: {
      "aws_iam_group_policy.my_developer_policy": PASS3,
      "aws_iam_policy.policy": PASS3,
      // inline_policy is configured (one literal, one from data.aws_iam_policy_document.inline_policy)
      "aws_iam_role.example": role({
        externalId: "pass",
        sourceCondition: "fail",
        crossAccountAdmin: NA,
        inline: ["pass", "pass", "pass"],
      }),
      "aws_iam_role.test_role": SERVICE_ROLE,
      "aws_iam_role_policy.test_policy": PASS3,
      "aws_iam_user_policy.lb_ro": identityPolicy("pass", "pass", "pass", "fail"),
      "data.aws_iam_policy_document.inline_policy": CONSUMED_DOCUMENT,
      "data.aws_iam_policy_document.instance_assume_role_policy": CONSUMED_DOCUMENT,
    },
  },
  {
    file: "checkov__plan_with_iam_policies-tfplan.json",
    note: "format 1.0: iam:* and s3:* on *, a policy read from a data source twice",
    verdicts: {
      "aws_iam_group_policy.fail_2": identityPolicy("pass", "fail", "pass"),
      "aws_iam_policy.policy_pass": identityPolicy("pass", "fail", "pass"),
      "aws_iam_role.example": SERVICE_ROLE,
      "aws_iam_role_policy.fail_1": identityPolicy("pass", "fail", "pass"),
      "aws_iam_user_policy.fail_3": identityPolicy("pass", "fail", "pass", "fail"),
      "data.aws_iam_policy_document.fail_1": CONSUMED_DOCUMENT,
    },
  },
  {
    file: "checkov__plan_with_iam_data_block-tfplan.json",
    note: "a bucket policy document (Principal AWS, Action *) read during apply: a resource policy, not checked",
    verdicts: {
      "data.aws_iam_policy_document.allow_access_from_another_account": CONSUMED_DOCUMENT,
    },
  },
  {
    file: "androzo-aws-validation__tfplan.json",
    note: "GitHub OIDC role, s3:* under a tag condition, a permissions boundary from a module",
    verdicts: {
      // s3:* is service-wide even with a condition
      "aws_iam_policy.deployment_policy": identityPolicy("pass", "fail", "pass"),
      // Federated principal: not another AWS account, not a service
      "aws_iam_role.deployment_role": role({
        externalId: "pass",
        sourceCondition: "pass",
        crossAccountAdmin: NA,
      }),
      // policy_arn = aws_iam_policy.deployment_policy.arn (unknown): customer-managed
      "aws_iam_role_policy_attachment.attach_deployment_policy": attachment("pass", "pass"),
      // the role's permissions_boundary (through the module's policy_arn output): a ceiling, not checked
      "module.iam_permission_boundary.aws_iam_policy.boundary": identityPolicy(NA, NA, NA),
    },
  },
  {
    file: "shanurwan-are-we-compliant__plan.json",
    note: "a policy whose document is read during apply (s3:Get/List on an unknown bucket ARN), service roles",
    verdicts: {
      // the JSON is unknown; the statement blocks decide: no * action, no service wildcard, no kms
      "aws_iam_policy.s3_readonly": PASS3,
      "aws_iam_role.app_role": SERVICE_ROLE,
      "aws_iam_role.rds_monitoring": SERVICE_ROLE,
      "aws_iam_role_policy_attachment.attach_ro": attachment("pass", "pass"),
      "aws_iam_role_policy_attachment.rds_monitoring_attach": attachment("pass", "pass"),
      "data.aws_iam_policy_document.s3_ro": CONSUMED_DOCUMENT,
      "data.aws_iam_policy_document.ec2_assume_role": CONSUMED_DOCUMENT,
      "data.aws_iam_policy_document.rds_monitoring_trust": CONSUMED_DOCUMENT,
    },
  },
  {
    file: "nbiuk-infrastructure__terraform-tfplan.json",
    note: "EKS roles; ElasticLoadBalancingFullAccess on the ALB controller role; an IRSA trust read during apply",
    verdicts: {
      // assume_role_policy unknown; its document's statement: Federated principal (identifiers
      // unknown), sts:AssumeRoleWithWebIdentity: neither a cross-account nor a service trust
      "aws_iam_role.alb_controller_role": role({
        externalId: "pass",
        sourceCondition: "pass",
        crossAccountAdmin: NA,
      }),
      "aws_iam_role.eks_cluster_role": SERVICE_ROLE,
      "aws_iam_role.eks_node_role": SERVICE_ROLE,
      "aws_iam_role_policy_attachment.alb_controller_policy": attachment("pass", "fail"),
      "aws_iam_role_policy_attachment.cluster_policy": attachment("pass", "pass"),
      "aws_iam_role_policy_attachment.cni_policy": attachment("pass", "pass"),
      "aws_iam_role_policy_attachment.registry_policy": attachment("pass", "pass"),
      "aws_iam_role_policy_attachment.worker_policy": attachment("pass", "pass"),
      "data.aws_iam_policy_document.alb_controller_assume_role": CONSUMED_DOCUMENT,
    },
  },
];

/** necron99: existing roles whose inline_policy the provider echoes from aws_iam_role_policy. */
function necron(trusted: readonly string[]): CorpusCase {
  const ownAccountTrusted = trusted.includes("228480945348");
  return {
    file: "necron99-robert-consulting__terraform-plan.json",
    params: { trustedAccountIds: [...trusted] },
    note: `Lambda roles, a same-account Terraform role with service-wide grants (trustedAccountIds ${JSON.stringify(trusted)})`,
    verdicts: {
      "aws_iam_policy.lambda_disable_policy": PASS3,
      "aws_iam_policy.rate_limiting_access": PASS3,
      "aws_iam_role.admin_auth_role": SERVICE_ROLE,
      "aws_iam_role.budget_action_role": SERVICE_ROLE,
      "aws_iam_role.contact_form_lambda_role": SERVICE_ROLE,
      "aws_iam_role.dashboard_api_role": SERVICE_ROLE,
      "aws_iam_role.plex_lambda_role": SERVICE_ROLE,
      "aws_iam_role.resource_cataloger_role": SERVICE_ROLE,
      "aws_iam_role.stats_refresher_role": SERVICE_ROLE,
      "aws_iam_role.synthetics_role": SERVICE_ROLE,
      "module.plex_recommendations.aws_iam_role.plex_lambda_role": SERVICE_ROLE,
      // trusted by arn:aws:iam::228480945348:root (its own account) without sts:ExternalId; its
      // policy has service-wide wildcards but no * on *, so it is not an administrator role
      "aws_iam_role.terraform_execution_role": role({
        externalId: ownAccountTrusted ? "pass" : "fail",
        sourceCondition: "pass",
        crossAccountAdmin: ownAccountTrusted ? NA : "pass",
      }),
      "aws_iam_role_policy.admin_auth_policy": PASS3,
      "aws_iam_role_policy.contact_form_lambda_policy": PASS3,
      "aws_iam_role_policy.dashboard_api_policy": PASS3,
      "aws_iam_role_policy.resource_cataloger_policy": PASS3,
      "aws_iam_role_policy.stats_refresher_policy": PASS3,
      "aws_iam_role_policy.synthetics_policy": PASS3,
      // ec2:*, s3:*, cloudfront:*, route53:*, lambda:*, apigateway:* on *
      "aws_iam_role_policy.terraform_execution_policy": identityPolicy("pass", "fail", "pass"),
      "module.plex_recommendations.aws_iam_role_policy.plex_lambda_s3_policy": PASS3,
      // a customer-managed policy ARN (literal account id)
      "aws_iam_role_policy_attachment.budget_action_policy": attachment("pass", "pass"),
    },
  };
}

const ALL_CASES: readonly CorpusCase[] = [...CASES, necron([]), necron(["228480945348"])];

async function iamPackSource() {
  const [source] = await loadPacks(["aws-iam"]);
  if (!source) throw new Error("aws-iam pack not found");
  return source;
}

describe("aws-iam on corpus plans", () => {
  test.each(ALL_CASES.map((c) => [`${c.file}${c.params ? ` ${JSON.stringify(c.params)}` : ""}`, c] as const))(
    "%s",
    async (_name, c) => {
      const compiled = compilePack(await iamPackSource(), { params: c.params ?? {} });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      if (!compiled.pack) throw new Error("aws-iam did not compile");
      const model = await readPlanInput(`${CORPUS}${c.file}`);
      const actual: Record<string, Record<string, Status>> = {};
      for (const r of evaluate(model, [compiled.pack])) {
        actual[r.address] ??= {};
        const row = actual[r.address];
        if (row) row[r.rule] = r.status;
      }
      // Whole-table comparison: a missing, extra or different verdict shows up in the diff.
      expect(actual).toEqual(c.verdicts);
    },
  );
});
