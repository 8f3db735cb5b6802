/**
 * The schema of Terraform's built-in provider (`terraform.io/builtin/terraform`), in the shape
 * `terraform providers schema -json` prints it. No provider download gives it to us, and
 * `terraform_data` is a common subject of rules, so it ships with plangate.
 */
export const BUILTIN_TERRAFORM_SCHEMA = {
  format_version: "1.0",
  provider_schemas: {
    "terraform.io/builtin/terraform": {
      resource_schemas: {
        terraform_data: {
          version: 0,
          block: {
            attributes: {
              id: { type: "string", computed: true },
              input: { type: "dynamic", optional: true },
              output: { type: "dynamic", computed: true },
              triggers_replace: { type: "dynamic", optional: true },
            },
          },
        },
      },
      data_source_schemas: {
        terraform_remote_state: {
          version: 0,
          block: {
            attributes: {
              backend: { type: "string", required: true },
              config: { type: "dynamic", optional: true },
              defaults: { type: "dynamic", optional: true },
              outputs: { type: "dynamic", computed: true },
              workspace: { type: "string", optional: true },
            },
          },
        },
      },
    },
  },
} as const;
