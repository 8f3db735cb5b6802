# An insecure setup, on purpose: plangate's built-in packs fail on every resource here, and
# `plangate fix --write` turns it into a compliant configuration. Do not apply it.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A data bucket with none of its companions: no encryption configuration, no versioning,
# no public access block, no access logging, no TLS-only bucket policy.
resource "aws_s3_bucket" "data" {
  bucket = "plangate-example-insecure-data"

  tags = {
    Project = "plangate-example"
  }
}

# Every action on every resource.
resource "aws_iam_policy" "admin" {
  name        = "plangate-example-admin"
  description = "Far too broad"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })

  tags = {
    Project = "plangate-example"
  }
}

# Trusted by another account, without an ExternalId condition (confused deputy).
resource "aws_iam_role" "partner" {
  name = "plangate-example-partner"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:aws:iam::210987654321:root" }
      },
    ]
  })

  tags = {
    Project = "plangate-example"
  }
}

# Encrypted with the AWS-managed key, not a customer-managed one; no vault lock.
resource "aws_backup_vault" "main" {
  name = "plangate-example-vault"

  tags = {
    Project = "plangate-example"
  }
}

# Recovery points kept for a week only.
resource "aws_backup_plan" "daily" {
  name = "plangate-example-daily"

  rule {
    rule_name                    = "daily"
    target_vault_name            = aws_backup_vault.main.name
    schedule                     = "cron(0 5 ? * * *)"
    schedule_expression_timezone = "Etc/UTC"
    start_window                 = 60
    completion_window            = 180

    lifecycle {
      delete_after = 7
    }
  }

  tags = {
    Project = "plangate-example"
  }
}
