//! The one list of AWS operations postura may call.
//!
//! Every client built by [`super::Clients`] carries the [`super::calls::CallLedger`]
//! interceptor, which refuses any operation that is not listed here before a request is
//! signed, and counts the ones that are. `postura policy` prints the least-privilege IAM
//! policy derived from this table, and a test proves every entry is a read.

/// One AWS API operation and the IAM action that authorises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The SDK's service id, as the SDK reports it to interceptors ("IAM", "STS", ...).
    pub service: &'static str,
    /// The operation name as in the API reference ("GetCredentialReport").
    pub operation: &'static str,
    /// The IAM action a caller needs ("iam:GetCredentialReport").
    pub iam_action: &'static str,
}

const fn op(service: &'static str, operation: &'static str, iam_action: &'static str) -> Operation {
    Operation {
        service,
        operation,
        iam_action,
    }
}

/// Everything the scan may call. Keep it sorted by service, then operation.
pub const OPERATIONS: &[Operation] = &[
    op(
        "AccessAnalyzer",
        "ListAnalyzers",
        "access-analyzer:ListAnalyzers",
    ),
    op(
        "AccessAnalyzer",
        "ListFindings",
        "access-analyzer:ListFindings",
    ),
    op("CloudTrail", "DescribeTrails", "cloudtrail:DescribeTrails"),
    op(
        "CloudTrail",
        "GetEventSelectors",
        "cloudtrail:GetEventSelectors",
    ),
    op("CloudTrail", "GetTrailStatus", "cloudtrail:GetTrailStatus"),
    op("CloudTrail", "ListTrails", "cloudtrail:ListTrails"),
    op(
        "Cognito Identity Provider",
        "DescribeRiskConfiguration",
        "cognito-idp:DescribeRiskConfiguration",
    ),
    op(
        "Cognito Identity Provider",
        "DescribeUserPool",
        "cognito-idp:DescribeUserPool",
    ),
    op(
        "Cognito Identity Provider",
        "DescribeUserPoolClient",
        "cognito-idp:DescribeUserPoolClient",
    ),
    op(
        "Cognito Identity Provider",
        "GetUserPoolMfaConfig",
        "cognito-idp:GetUserPoolMfaConfig",
    ),
    op(
        "Cognito Identity Provider",
        "ListGroups",
        "cognito-idp:ListGroups",
    ),
    op(
        "Cognito Identity Provider",
        "ListUserPoolClients",
        "cognito-idp:ListUserPoolClients",
    ),
    op(
        "Cognito Identity Provider",
        "ListUserPools",
        "cognito-idp:ListUserPools",
    ),
    op(
        "Config Service",
        "DescribeConfigurationRecorderStatus",
        "config:DescribeConfigurationRecorderStatus",
    ),
    op(
        "Config Service",
        "DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorders",
    ),
    op(
        "EC2",
        "DescribeManagedPrefixLists",
        "ec2:DescribeManagedPrefixLists",
    ),
    op("EC2", "DescribeRegions", "ec2:DescribeRegions"),
    op(
        "EC2",
        "DescribeSecurityGroups",
        "ec2:DescribeSecurityGroups",
    ),
    op(
        "EC2",
        "GetManagedPrefixListEntries",
        "ec2:GetManagedPrefixListEntries",
    ),
    op("GuardDuty", "GetDetector", "guardduty:GetDetector"),
    op(
        "GuardDuty",
        "GetFindingsStatistics",
        "guardduty:GetFindingsStatistics",
    ),
    op("GuardDuty", "ListDetectors", "guardduty:ListDetectors"),
    op(
        "IAM",
        "GenerateCredentialReport",
        "iam:GenerateCredentialReport",
    ),
    op(
        "IAM",
        "GetAccountAuthorizationDetails",
        "iam:GetAccountAuthorizationDetails",
    ),
    op(
        "IAM",
        "GetAccountPasswordPolicy",
        "iam:GetAccountPasswordPolicy",
    ),
    op("IAM", "GetAccountSummary", "iam:GetAccountSummary"),
    op("IAM", "GetCredentialReport", "iam:GetCredentialReport"),
    op(
        "IAM",
        "GetOpenIDConnectProvider",
        "iam:GetOpenIDConnectProvider",
    ),
    op(
        "IAM",
        "ListOpenIDConnectProviders",
        "iam:ListOpenIDConnectProviders",
    ),
    op("IAM", "ListVirtualMFADevices", "iam:ListVirtualMFADevices"),
    op(
        "RDS",
        "DescribeDBClusterSnapshotAttributes",
        "rds:DescribeDBClusterSnapshotAttributes",
    ),
    op(
        "RDS",
        "DescribeDBClusterSnapshots",
        "rds:DescribeDBClusterSnapshots",
    ),
    op("RDS", "DescribeDBClusters", "rds:DescribeDBClusters"),
    op("RDS", "DescribeDBInstances", "rds:DescribeDBInstances"),
    op(
        "RDS",
        "DescribeDBSnapshotAttributes",
        "rds:DescribeDBSnapshotAttributes",
    ),
    op("RDS", "DescribeDBSnapshots", "rds:DescribeDBSnapshots"),
    op("S3", "GetBucketAcl", "s3:GetBucketAcl"),
    op("S3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    op("S3", "GetBucketLocation", "s3:GetBucketLocation"),
    op(
        "S3",
        "GetBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ),
    op("S3", "GetBucketPolicy", "s3:GetBucketPolicy"),
    op("S3", "GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
    op("S3", "GetBucketVersioning", "s3:GetBucketVersioning"),
    op(
        "S3",
        "GetPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    op("S3", "ListBuckets", "s3:ListAllMyBuckets"),
    op(
        "S3 Control",
        "GetPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
    ),
    op("STS", "GetCallerIdentity", "sts:GetCallerIdentity"),
    op("SecurityHub", "DescribeHub", "securityhub:DescribeHub"),
    op(
        "SecurityHub",
        "GetEnabledStandards",
        "securityhub:GetEnabledStandards",
    ),
    op("SecurityHub", "GetFindings", "securityhub:GetFindings"),
];

/// The declared operation for an SDK service id and operation name, if any.
pub fn lookup(service: &str, operation: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|o| o.service == service && o.operation == operation)
}

/// The least-privilege identity policy that allows exactly the declared operations.
pub fn least_privilege_policy() -> serde_json::Value {
    let mut actions: Vec<&str> = OPERATIONS
        .iter()
        // sts:GetCallerIdentity needs no permission: AWS answers it for any valid credentials.
        .filter(|o| o.iam_action != "sts:GetCallerIdentity")
        .map(|o| o.iam_action)
        .collect();
    actions.sort_unstable();
    actions.dedup();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PosturaReadOnlyScan",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*"
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_operation_is_a_read() {
        for o in OPERATIONS {
            let read = ["List", "Get", "Describe"]
                .iter()
                .any(|p| o.operation.starts_with(p))
                // Generating the credential report only asks IAM to build a CSV of what exists.
                || o.operation == "GenerateCredentialReport";
            assert!(
                read,
                "{} {} is not a read-only operation",
                o.service, o.operation
            );
            let (prefix, action) = o.iam_action.split_once(':').expect("service:Action");
            // The operations whose IAM action S3's authorization reference names otherwise.
            let renamed = match (o.service, o.operation) {
                ("S3", "GetBucketEncryption") => Some("GetEncryptionConfiguration"),
                ("S3", "GetPublicAccessBlock") => Some("GetBucketPublicAccessBlock"),
                ("S3", "ListBuckets") => Some("ListAllMyBuckets"),
                ("S3 Control", "GetPublicAccessBlock") => Some("GetAccountPublicAccessBlock"),
                _ => None,
            };
            assert_eq!(
                action,
                renamed.unwrap_or(o.operation),
                "{} maps to the wrong action",
                o.operation
            );
            assert!(!prefix.is_empty() && prefix == prefix.to_lowercase());
        }
    }

    #[test]
    fn operations_are_unique_and_sorted() {
        let keys: Vec<_> = OPERATIONS
            .iter()
            .map(|o| (o.service, o.operation))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn policy_lists_every_action_but_caller_identity() {
        let policy = least_privilege_policy();
        let actions = policy["Statement"][0]["Action"].as_array().expect("array");
        assert_eq!(actions.len(), OPERATIONS.len() - 1);
        assert!(actions.iter().any(|a| a == "iam:GetCredentialReport"));
        assert!(!actions.iter().any(|a| a == "sts:GetCallerIdentity"));
    }
}
