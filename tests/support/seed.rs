//! Writing to an emulated account: test and demo code only, never in the binary.

#![allow(dead_code)]

use aws_sdk_iam::Client;

/// The region every emulated account is used in.
pub const REGION: &str = "eu-west-1";

pub const READ_ONLY_POLICY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
pub const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub async fn user(iam: &Client, name: &str) {
    iam.create_user()
        .user_name(name)
        .send()
        .await
        .expect("create user");
}

/// A user who can sign in to the console.
pub async fn console_user(iam: &Client, name: &str) {
    user(iam, name).await;
    iam.create_login_profile()
        .user_name(name)
        .password("Corr3ct-Horse-Battery!")
        .send()
        .await
        .expect("create login profile");
}

/// Gives the user a virtual MFA device and enables it.
pub async fn virtual_mfa(iam: &Client, user: &str) {
    let device = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(format!("{user}-mfa"))
        .send()
        .await
        .expect("create virtual MFA device");
    let serial = device
        .virtual_mfa_device()
        .map(|d| d.serial_number().to_string())
        .expect("serial");
    iam.enable_mfa_device()
        .user_name(user)
        .serial_number(serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .expect("enable MFA device");
}

/// Creates an access key for the user and returns its id.
pub async fn access_key(iam: &Client, user: &str) -> String {
    iam.create_access_key()
        .user_name(user)
        .send()
        .await
        .expect("create access key")
        .access_key()
        .map(|k| k.access_key_id().to_string())
        .expect("access key")
}

pub async fn group(iam: &Client, name: &str, policy_arn: &str, members: &[&str]) {
    iam.create_group()
        .group_name(name)
        .send()
        .await
        .expect("create group");
    iam.attach_group_policy()
        .group_name(name)
        .policy_arn(policy_arn)
        .send()
        .await
        .expect("attach group policy");
    for m in members {
        iam.add_user_to_group()
            .group_name(name)
            .user_name(*m)
            .send()
            .await
            .expect("add user to group");
    }
}

pub async fn attach_user_policy(iam: &Client, user: &str, policy_arn: &str) {
    iam.attach_user_policy()
        .user_name(user)
        .policy_arn(policy_arn)
        .send()
        .await
        .expect("attach user policy");
}

pub async fn role(iam: &Client, name: &str, trust_policy: &str) {
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust_policy)
        .send()
        .await
        .expect("create role");
}

/// A sample account modelled on the lending platform of the users' security document:
/// two developers (read-only, through a group), one administrator, one deployment user
/// whose access keys GitHub Actions uses, an OpenID Connect role being set up to replace
/// it, and a few known problems:
/// - `dev-maria` signs in to the console without MFA, although the document says every
///   account has MFA;
/// - `deploy-github` deploys with a long-lived access key, and its policy is attached to
///   the user instead of a group;
/// - the new `github-deploy` role (GitHub's OIDC provider is set up for it) trusts every
///   repository of the organisation;
/// - the password policy asks for 8 characters and no symbols;
/// - `admin-lucia` holds AdministratorAccess (through a group, as intended).
pub async fn lending_platform(iam: &Client, account: &str, endpoint: &str) {
    for u in ["admin-lucia", "dev-carlos", "dev-maria"] {
        console_user(iam, u).await;
    }
    virtual_mfa(iam, "admin-lucia").await;
    virtual_mfa(iam, "dev-carlos").await;
    group(
        iam,
        "developers",
        READ_ONLY_POLICY,
        &["dev-carlos", "dev-maria"],
    )
    .await;
    group(iam, "administrators", ADMIN_POLICY, &["admin-lucia"]).await;
    user(iam, "deploy-github").await;
    let (key, secret) = access_key_pair(iam, "deploy-github").await;
    use_access_key(endpoint, &key, &secret).await;
    attach_user_policy(
        iam,
        "deploy-github",
        "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
    )
    .await;
    oidc_provider(
        iam,
        "https://token.actions.githubusercontent.com",
        &["sts.amazonaws.com"],
    )
    .await;
    role(
        iam,
        "github-deploy",
        &github_trust(
            account,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:lend2b/*"}}"#,
        ),
    )
    .await;
    password_policy(iam, false).await;
}

pub async fn put_user_policy(iam: &Client, user: &str, name: &str, document: &str) {
    iam.put_user_policy()
        .user_name(user)
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .expect("put user policy");
}

pub async fn put_role_policy(iam: &Client, role: &str, name: &str, document: &str) {
    iam.put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .expect("put role policy");
}

/// Creates a customer managed policy and returns its ARN.
pub async fn managed_policy(iam: &Client, name: &str, document: &str) -> String {
    iam.create_policy()
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .expect("create policy")
        .policy()
        .and_then(|p| p.arn().map(str::to_string))
        .expect("policy arn")
}

/// The password policy CIS asks for, or a weaker one with `length` and no symbols.
pub async fn password_policy(iam: &Client, strong: bool) {
    let mut req = iam
        .update_account_password_policy()
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .allow_users_to_change_password(true);
    req = if strong {
        req.minimum_password_length(14)
            .password_reuse_prevention(24)
            .require_symbols(true)
    } else {
        req.minimum_password_length(8).require_symbols(false)
    };
    req.send().await.expect("update password policy");
}

/// A trust policy for GitHub Actions' OIDC provider with the given `Condition` JSON.
pub fn github_trust(account: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
    )
}

/// SDK configuration for an emulator at `endpoint`, with the given credentials or, if
/// none, the environment's.
pub async fn emulator_config(
    endpoint: &str,
    credentials: Option<aws_sdk_iam::config::Credentials>,
) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(endpoint)
        // S3 Control's `<account>.localhost` reaches the emulator as postura's scan does.
        .http_client(postura::collect::resolver::http_client());
    if let Some(c) = credentials {
        loader = loader.credentials_provider(c);
    }
    loader.load().await
}

/// Makes one call with the user's access key, so that IAM records it as used.
pub async fn use_access_key(endpoint: &str, key_id: &str, secret: &str) {
    let credentials = aws_sdk_iam::config::Credentials::new(key_id, secret, None, None, "seed");
    let config = emulator_config(endpoint, Some(credentials)).await;
    aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .expect("call with the access key");
}

/// Creates an access key and returns (id, secret).
pub async fn access_key_pair(iam: &Client, user: &str) -> (String, String) {
    let out = iam
        .create_access_key()
        .user_name(user)
        .send()
        .await
        .expect("create access key");
    let k = out.access_key().expect("access key");
    (
        k.access_key_id().to_string(),
        k.secret_access_key().to_string(),
    )
}

/// A role with a permissions boundary (moto stores boundaries given at creation).
pub async fn bounded_role(iam: &Client, name: &str, trust_policy: &str, boundary_arn: &str) {
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust_policy)
        .permissions_boundary(boundary_arn)
        .send()
        .await
        .expect("create role with a permissions boundary");
}

/// An OpenID Connect provider with the given audiences; returns its ARN.
pub async fn oidc_provider(iam: &Client, url: &str, audiences: &[&str]) -> String {
    let mut req = iam
        .create_open_id_connect_provider()
        .url(url)
        .thumbprint_list("6938fd4d98bab03faadb97b34396831e3780aea1");
    for a in audiences {
        req = req.client_id_list(*a);
    }
    req.send()
        .await
        .expect("create OIDC provider")
        .open_id_connect_provider_arn()
        .map(str::to_string)
        .expect("provider arn")
}

/// A trust policy for a service principal (`lambda.amazonaws.com`).
pub fn service_trust(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}}}"#
    )
}

/// Security groups: test and demo seeding.
pub mod network {
    use aws_sdk_ec2::Client;
    use aws_sdk_ec2::types::{
        AddPrefixListEntry, IpPermission, IpRange, Ipv6Range, PrefixListId, UserIdGroupPair,
    };

    /// An EC2 client for `region` with the given configuration's credentials.
    pub fn client(config: &aws_config::SdkConfig, region: &str) -> Client {
        Client::from_conf(
            aws_sdk_ec2::config::Builder::from(config)
                .region(aws_sdk_ec2::config::Region::new(region.to_string()))
                .build(),
        )
    }

    /// The default VPC's id (moto makes one per region).
    pub async fn default_vpc(ec2: &Client) -> String {
        let out = ec2.describe_vpcs().send().await.expect("describe vpcs");
        out.vpcs()
            .iter()
            .find(|v| v.is_default() == Some(true))
            .and_then(|v| v.vpc_id())
            .expect("a default VPC")
            .to_string()
    }

    /// A rule: protocol, ports, sources (IPv6 ones told apart by their colons; `pl-` ones
    /// are prefix lists, `sg-` ones groups).
    pub fn rule(protocol: &str, from: i32, to: i32, sources: &[&str]) -> IpPermission {
        let mut p = IpPermission::builder().ip_protocol(protocol);
        if protocol != "-1" {
            p = p.from_port(from).to_port(to);
        }
        for s in sources {
            p = if s.starts_with("pl-") {
                p.prefix_list_ids(PrefixListId::builder().prefix_list_id(*s).build())
            } else if s.starts_with("sg-") {
                p.user_id_group_pairs(UserIdGroupPair::builder().group_id(*s).build())
            } else if s.contains(':') {
                p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(*s).build())
            } else {
                p.ip_ranges(IpRange::builder().cidr_ip(*s).build())
            };
        }
        p.build()
    }

    /// A security group in the default VPC with these inbound rules; returns its id.
    pub async fn group(ec2: &Client, name: &str, ingress: Vec<IpPermission>) -> String {
        let vpc = default_vpc(ec2).await;
        let id = ec2
            .create_security_group()
            .group_name(name)
            .description(format!("{name} (seeded)"))
            .vpc_id(vpc)
            .send()
            .await
            .expect("create security group")
            .group_id()
            .expect("group id")
            .to_string();
        if !ingress.is_empty() {
            ec2.authorize_security_group_ingress()
                .group_id(&id)
                .set_ip_permissions(Some(ingress))
                .send()
                .await
                .expect("authorize ingress");
        }
        id
    }

    /// The default VPC's default security group's id.
    pub async fn default_group(ec2: &Client) -> String {
        let vpc = default_vpc(ec2).await;
        let out = ec2
            .describe_security_groups()
            .send()
            .await
            .expect("describe security groups");
        out.security_groups()
            .iter()
            .find(|g| g.group_name() == Some("default") && g.vpc_id() == Some(vpc.as_str()))
            .and_then(|g| g.group_id())
            .expect("the default group")
            .to_string()
    }

    /// Removes every rule of the default VPC's default group, as CIS 5.5 asks.
    pub async fn close_default_group(ec2: &Client) -> String {
        let id = default_group(ec2).await;
        let out = ec2
            .describe_security_groups()
            .group_ids(&id)
            .send()
            .await
            .expect("describe the default group");
        let g = &out.security_groups()[0];
        if !g.ip_permissions().is_empty() {
            ec2.revoke_security_group_ingress()
                .group_id(&id)
                .set_ip_permissions(Some(g.ip_permissions().to_vec()))
                .send()
                .await
                .expect("revoke ingress");
        }
        if !g.ip_permissions_egress().is_empty() {
            ec2.revoke_security_group_egress()
                .group_id(&id)
                .set_ip_permissions(Some(g.ip_permissions_egress().to_vec()))
                .send()
                .await
                .expect("revoke egress");
        }
        id
    }

    /// A customer-managed prefix list with these IPv4 entries; returns its id.
    pub async fn prefix_list(ec2: &Client, name: &str, cidrs: &[&str]) -> String {
        let mut req = ec2
            .create_managed_prefix_list()
            .prefix_list_name(name)
            .address_family("IPv4")
            .max_entries(10);
        for c in cidrs {
            req = req.entries(AddPrefixListEntry::builder().cidr(*c).build());
        }
        req.send()
            .await
            .expect("create prefix list")
            .prefix_list()
            .and_then(|p| p.prefix_list_id())
            .expect("prefix list id")
            .to_string()
    }
}

/// The demo's network, as ids of the groups it makes.
pub struct LendingNetwork {
    pub web: String,
    pub database: String,
    pub ops_ssh: String,
    pub reports: String,
    pub eu_default: String,
    pub us_default: String,
}

/// The regions the demo's network spans.
pub const DEMO_REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];

/// The lending platform's security groups: in eu-west-1 a web tier open on 443, its
/// database reachable only from the web tier, an SSH rule someone opened to the world
/// "for a minute", and a closed default group; in us-east-1 a legacy reporting database
/// reachable from the office's prefix list, and the default group as AWS makes it.
pub async fn lending_network(config: &aws_config::SdkConfig) -> LendingNetwork {
    use network::*;
    let eu = client(config, DEMO_REGIONS[0]);
    let us = client(config, DEMO_REGIONS[1]);
    let web = group(
        &eu,
        "lending-web",
        vec![rule("tcp", 443, 443, &["0.0.0.0/0", "::/0"])],
    )
    .await;
    let database = group(&eu, "lending-db", vec![rule("tcp", 5432, 5432, &[&web])]).await;
    let ops_ssh = group(&eu, "ops-ssh", vec![rule("tcp", 22, 22, &["0.0.0.0/0"])]).await;
    let eu_default = close_default_group(&eu).await;
    let office = prefix_list(&us, "office", &["203.0.113.0/24"]).await;
    let reports = group(
        &us,
        "legacy-reports",
        vec![rule("tcp", 3306, 3306, &[&office])],
    )
    .await;
    let us_default = default_group(&us).await;
    // The loans database, reachable only from the web tier's group, as the document says.
    databases::instance(
        &databases::client(config, DEMO_REGIONS[0]),
        "loans",
        databases::Settings {
            public: false,
            encrypted: true,
            backup_days: 7,
            deletion_protection: false,
            minor_upgrades: true,
            security_groups: &[&database],
        },
    )
    .await;
    LendingNetwork {
        web,
        database,
        ops_ssh,
        reports,
        eu_default,
        us_default,
    }
}

/// The lending platform's buckets.
pub struct LendingStorage {
    pub documents: String,
    pub assets: String,
    pub exports: String,
}

/// The lending platform's buckets, with the account's Block Public Access left off: in
/// eu-west-1 the loan documents as AWS advises, and web assets whose `public/` prefix is
/// readable by anyone; in us-east-1 an exports bucket that everyone may read only from the
/// office's range, but whose ACL still lets any AWS account list it.
pub async fn lending_storage(config: &aws_config::SdkConfig, account: &str) -> LendingStorage {
    let eu = storage::client(config, DEMO_REGIONS[0]);
    let us = storage::client(config, DEMO_REGIONS[1]);
    let documents = format!("lend2b-documents-{account}");
    let assets = format!("lend2b-web-assets-{account}");
    let exports = format!("lend2b-exports-{account}");
    storage::hardened(&eu, &documents, DEMO_REGIONS[0]).await;
    storage::bare(&eu, &assets, DEMO_REGIONS[0]).await;
    storage::policy(
        &eu,
        &assets,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"PublicAssets","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{assets}/public/*"}}]}}"#
        ),
    )
    .await;
    storage::bare(&us, &exports, DEMO_REGIONS[1]).await;
    storage::policy(
        &us,
        &exports,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"OfficeOnly","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{exports}","arn:aws:s3:::{exports}/*"],"Condition":{{"IpAddress":{{"aws:SourceIp":"203.0.113.0/24"}}}}}},{}]}}"#,
            storage::tls_only_statement(&exports)
        ),
    )
    .await;
    storage::canned_acl(&us, &exports, "authenticated-read").await;
    LendingStorage {
        documents,
        assets,
        exports,
    }
}

/// The lending platform's API front door.
pub struct LendingApi {
    pub pool: String,
    pub web: String,
    pub partner: String,
}

/// The API's user pool in eu-west-1, as the security document describes it: groups for
/// Lend2B staff, clients, providers, lenders and anchor accounts; staff's group carries an
/// administrator role. The pool is set up well but for MFA left optional, deletion
/// protection off and threat protection in audit mode; the web client is set up well, the
/// partner integration's client reveals which users exist, allows the implicit grant,
/// cannot revoke tokens and keeps refresh tokens for ten years.
pub async fn lending_api(config: &aws_config::SdkConfig, account: &str) -> LendingApi {
    use aws_sdk_cognitoidentityprovider::types::{
        AdvancedSecurityModeType, DeletionProtectionType, UserPoolAddOnsType, UserPoolMfaType,
    };
    let idp = user_pools::client(config, DEMO_REGIONS[0]);
    let pool = user_pools::pool(&idp, "lending-api", true).await;
    let described = idp
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("describe pool");
    // UpdateUserPool resets what it is not given: pass the settings to keep.
    let policies = described.user_pool().and_then(|p| p.policies()).cloned();
    let admin_only = described
        .user_pool()
        .and_then(|p| p.admin_create_user_config())
        .cloned();
    idp.update_user_pool()
        .user_pool_id(&pool)
        .set_policies(policies)
        .set_admin_create_user_config(admin_only)
        .deletion_protection(DeletionProtectionType::Inactive)
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::Audit)
                .build()
                .expect("add-ons"),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .expect("update pool");
    idp.set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .software_token_mfa_configuration(
            aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .expect("MFA optional");
    let web = user_pools::app_client(&idp, &pool, "web", true).await;
    let partner = user_pools::app_client(&idp, &pool, "partner-integration", false).await;
    let iam = aws_sdk_iam::Client::new(config);
    let trust = service_trust("cognito-identity.amazonaws.com");
    role(&iam, "lend2b-staff", &trust).await;
    iam.attach_role_policy()
        .role_name("lend2b-staff")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .expect("attach");
    role(&iam, "api-caller", &trust).await;
    put_role_policy(
        &iam,
        "api-caller",
        "invoke",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}"#,
    )
    .await;
    let staff = format!("arn:aws:iam::{account}:role/lend2b-staff");
    let caller = format!("arn:aws:iam::{account}:role/api-caller");
    for (group, role) in [
        ("Lend2B", Some(staff.as_str())),
        ("Client", Some(caller.as_str())),
        ("Provider", Some(caller.as_str())),
        ("Lender", Some(caller.as_str())),
        ("AnchorAccount", None),
    ] {
        user_pools::group(&idp, &pool, group, role).await;
    }
    LendingApi { pool, web, partner }
}

/// DB instances: test and demo seeding.
pub mod databases {
    use aws_sdk_rds::Client;

    pub fn client(config: &aws_config::SdkConfig, region: &str) -> Client {
        Client::from_conf(
            aws_sdk_rds::config::Builder::from(config)
                .region(aws_sdk_rds::config::Region::new(region.to_string()))
                .build(),
        )
    }

    /// How a seeded instance is set up.
    pub struct Settings<'a> {
        pub public: bool,
        pub encrypted: bool,
        pub backup_days: i32,
        pub deletion_protection: bool,
        pub minor_upgrades: bool,
        pub security_groups: &'a [&'a str],
    }

    /// A PostgreSQL instance on port 5432.
    pub async fn instance(rds: &Client, id: &str, s: Settings<'_>) {
        rds.create_db_instance()
            .db_instance_identifier(id)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("postgres")
            .master_user_password("Corr3ct-Horse-Battery")
            .port(5432)
            .publicly_accessible(s.public)
            .storage_encrypted(s.encrypted)
            .backup_retention_period(s.backup_days)
            .deletion_protection(s.deletion_protection)
            .auto_minor_version_upgrade(s.minor_upgrades)
            .set_vpc_security_group_ids(Some(
                s.security_groups.iter().map(|g| g.to_string()).collect(),
            ))
            .send()
            .await
            .expect("create DB instance");
    }
}

/// Buckets and the account's Block Public Access: test and demo seeding.
pub mod storage {
    use aws_sdk_s3::Client;
    use aws_sdk_s3::types::{
        BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration,
        ObjectOwnership, OwnershipControls, OwnershipControlsRule, PublicAccessBlockConfiguration,
        ServerSideEncryption, ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration,
        ServerSideEncryptionRule, VersioningConfiguration,
    };

    pub fn client(config: &aws_config::SdkConfig, region: &str) -> Client {
        Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .region(aws_sdk_s3::config::Region::new(region.to_string()))
                .force_path_style(true)
                .build(),
        )
    }

    fn block(on: bool) -> PublicAccessBlockConfiguration {
        PublicAccessBlockConfiguration::builder()
            .block_public_acls(on)
            .ignore_public_acls(on)
            .block_public_policy(on)
            .restrict_public_buckets(on)
            .build()
    }

    /// Sets the account's Block Public Access (S3 Control) to all on or all off.
    pub async fn account_block(config: &aws_config::SdkConfig, account: &str, on: bool) {
        let control = aws_sdk_s3control::Client::new(config);
        control
            .put_public_access_block()
            .account_id(account)
            .public_access_block_configuration(
                aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                    .block_public_acls(on)
                    .ignore_public_acls(on)
                    .block_public_policy(on)
                    .restrict_public_buckets(on)
                    .build(),
            )
            .send()
            .await
            .expect("put the account's Block Public Access");
    }

    /// A bucket in `region` with nothing set (as moto makes them: no default encryption,
    /// no ownership controls, no Block Public Access).
    pub async fn bare(s3: &Client, name: &str, region: &str) {
        let mut req = s3.create_bucket().bucket(name);
        if region != "us-east-1" {
            req = req.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build(),
            );
        }
        req.send().await.expect("create bucket");
    }

    /// A bucket set up as AWS advises: Block Public Access, ACLs disabled, SSE-KMS,
    /// versioning, and a policy that refuses plain HTTP.
    pub async fn hardened(s3: &Client, name: &str, region: &str) {
        bare(s3, name, region).await;
        s3.put_public_access_block()
            .bucket(name)
            .public_access_block_configuration(block(true))
            .send()
            .await
            .expect("bucket Block Public Access");
        s3.put_bucket_ownership_controls()
            .bucket(name)
            .ownership_controls(
                OwnershipControls::builder()
                    .rules(
                        OwnershipControlsRule::builder()
                            .object_ownership(ObjectOwnership::BucketOwnerEnforced)
                            .build()
                            .expect("rule"),
                    )
                    .build()
                    .expect("controls"),
            )
            .send()
            .await
            .expect("ownership controls");
        s3.put_bucket_encryption()
            .bucket(name)
            .server_side_encryption_configuration(
                ServerSideEncryptionConfiguration::builder()
                    .rules(
                        ServerSideEncryptionRule::builder()
                            .apply_server_side_encryption_by_default(
                                ServerSideEncryptionByDefault::builder()
                                    .sse_algorithm(ServerSideEncryption::AwsKms)
                                    .kms_master_key_id("alias/postura-test")
                                    .build()
                                    .expect("default"),
                            )
                            .bucket_key_enabled(true)
                            .build(),
                    )
                    .build()
                    .expect("encryption"),
            )
            .send()
            .await
            .expect("default encryption");
        s3.put_bucket_versioning()
            .bucket(name)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .expect("versioning");
        policy(s3, name, &tls_only(name)).await;
    }

    /// The statement that refuses plain HTTP for the bucket and its objects.
    pub fn tls_only_statement(name: &str) -> String {
        format!(
            r#"{{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{name}","arn:aws:s3:::{name}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#
        )
    }

    pub fn tls_only(name: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            tls_only_statement(name)
        )
    }

    pub async fn policy(s3: &Client, name: &str, document: &str) {
        s3.put_bucket_policy()
            .bucket(name)
            .policy(document)
            .send()
            .await
            .expect("bucket policy");
    }

    /// A canned ACL (`public-read`, `authenticated-read`, ...).
    pub async fn canned_acl(s3: &Client, name: &str, acl: &str) {
        s3.put_bucket_acl()
            .bucket(name)
            .acl(aws_sdk_s3::types::BucketCannedAcl::from(acl))
            .send()
            .await
            .expect("bucket ACL");
    }

    /// Turns the bucket's own Block Public Access all on or all off.
    pub async fn bucket_block(s3: &Client, name: &str, on: bool) {
        s3.put_public_access_block()
            .bucket(name)
            .public_access_block_configuration(block(on))
            .send()
            .await
            .expect("bucket Block Public Access");
    }
}

/// Cognito user pools: test and demo seeding.
pub mod user_pools {
    use aws_sdk_cognitoidentityprovider::Client;
    use aws_sdk_cognitoidentityprovider::types::{
        AdminCreateUserConfigType, AdvancedSecurityModeType, DeletionProtectionType,
        ExplicitAuthFlowsType, OAuthFlowType, PasswordPolicyType, PreventUserExistenceErrorTypes,
        SoftwareTokenMfaConfigType, TimeUnitsType, TokenValidityUnitsType, UserPoolAddOnsType,
        UserPoolMfaType, UserPoolPolicyType,
    };

    pub fn client(config: &aws_config::SdkConfig, region: &str) -> Client {
        Client::from_conf(
            aws_sdk_cognitoidentityprovider::config::Builder::from(config)
                .region(aws_sdk_cognitoidentityprovider::config::Region::new(
                    region.to_string(),
                ))
                .build(),
        )
    }

    /// A pool set up as a reviewer would want (`strong`), or with every setting weak.
    /// Returns its id.
    pub async fn pool(idp: &Client, name: &str, strong: bool) -> String {
        let policy = PasswordPolicyType::builder()
            .minimum_length(if strong { 14 } else { 6 })
            .require_uppercase(true)
            .require_lowercase(true)
            .require_numbers(strong)
            .require_symbols(strong)
            .temporary_password_validity_days(if strong { 7 } else { 30 })
            .build();
        let mode = if strong {
            AdvancedSecurityModeType::Enforced
        } else {
            AdvancedSecurityModeType::Off
        };
        let out = idp
            .create_user_pool()
            .pool_name(name)
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(policy)
                    .build(),
            )
            .deletion_protection(if strong {
                DeletionProtectionType::Active
            } else {
                DeletionProtectionType::Inactive
            })
            .user_pool_add_ons(
                UserPoolAddOnsType::builder()
                    .advanced_security_mode(mode)
                    .build()
                    .expect("add-ons"),
            )
            .admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(strong)
                    .build(),
            )
            .send()
            .await
            .expect("create user pool");
        let id = out
            .user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_string();
        if strong {
            idp.set_user_pool_mfa_config()
                .user_pool_id(&id)
                .software_token_mfa_configuration(
                    SoftwareTokenMfaConfigType::builder().enabled(true).build(),
                )
                .mfa_configuration(UserPoolMfaType::On)
                .send()
                .await
                .expect("MFA config");
        }
        id
    }

    /// An app client set up well (`strong`) or badly; returns its id.
    pub async fn app_client(idp: &Client, pool: &str, name: &str, strong: bool) -> String {
        let mut req = idp
            .create_user_pool_client()
            .user_pool_id(pool)
            .client_name(name)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .prevent_user_existence_errors(if strong {
                PreventUserExistenceErrorTypes::Enabled
            } else {
                PreventUserExistenceErrorTypes::Legacy
            })
            .enable_token_revocation(strong)
            .refresh_token_validity(if strong { 30 } else { 3650 })
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .refresh_token(TimeUnitsType::Days)
                    .build(),
            )
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_scopes("openid")
            .callback_urls("https://app.example.com/callback")
            .supported_identity_providers("COGNITO");
        req = req.allowed_o_auth_flows(if strong {
            OAuthFlowType::Code
        } else {
            OAuthFlowType::Implicit
        });
        req.send()
            .await
            .expect("create app client")
            .user_pool_client()
            .and_then(|c| c.client_id())
            .expect("client id")
            .to_string()
    }

    pub async fn group(idp: &Client, pool: &str, name: &str, role_arn: Option<&str>) {
        idp.create_group()
            .user_pool_id(pool)
            .group_name(name)
            .set_role_arn(role_arn.map(str::to_string))
            .send()
            .await
            .expect("create group");
    }
}

/// Security Hub: test and demo seeding.
pub mod hub {
    use aws_sdk_securityhub::Client;
    use aws_sdk_securityhub::types::{
        AssociatedStandard, AwsSecurityFinding, Compliance, ComplianceStatus, RecordState,
        Resource, Severity, SeverityLabel, Workflow, WorkflowStatus,
    };

    pub const FSBP: &str = "standards/aws-foundational-security-best-practices/v/1.0.0";

    pub fn client(config: &aws_config::SdkConfig, region: &str) -> Client {
        Client::from_conf(
            aws_sdk_securityhub::config::Builder::from(config)
                .region(aws_sdk_securityhub::config::Region::new(region.to_string()))
                .build(),
        )
    }

    pub async fn enable(hub: &Client) {
        hub.enable_security_hub()
            .send()
            .await
            .expect("enable Security Hub");
    }

    /// One finding; `control` None for a finding that is not a control's (GuardDuty).
    pub struct Seeded<'a> {
        pub id: &'a str,
        pub control: Option<&'a str>,
        pub status: ComplianceStatus,
        pub archived: bool,
        pub suppressed: bool,
    }

    pub async fn import(hub: &Client, account: &str, region: &str, findings: &[Seeded<'_>]) {
        let now = "2026-12-01T00:00:00Z";
        let built: Vec<AwsSecurityFinding> = findings
            .iter()
            .map(|f| {
                let mut compliance = Compliance::builder().status(f.status.clone());
                if let Some(c) = f.control {
                    compliance = compliance.security_control_id(c).associated_standards(
                        AssociatedStandard::builder().standards_id(FSBP).build(),
                    );
                }
                AwsSecurityFinding::builder()
                    .schema_version("2018-10-08")
                    .id(f.id)
                    .product_arn(format!(
                        "arn:aws:securityhub:{region}::product/aws/securityhub"
                    ))
                    .generator_id(f.control.unwrap_or("guardduty"))
                    .aws_account_id(account)
                    .types("Software and Configuration Checks")
                    .created_at(now)
                    .updated_at(now)
                    .severity(Severity::builder().label(SeverityLabel::Medium).build())
                    .title(format!("{} check", f.control.unwrap_or("threat")))
                    .description("seeded")
                    .resources(
                        Resource::builder()
                            .r#type("AwsAccount")
                            .id(format!("AWS::::Account:{account}"))
                            .build(),
                    )
                    .compliance(compliance.build())
                    .record_state(if f.archived {
                        RecordState::Archived
                    } else {
                        RecordState::Active
                    })
                    .workflow(
                        Workflow::builder()
                            .status(if f.suppressed {
                                WorkflowStatus::Suppressed
                            } else {
                                WorkflowStatus::New
                            })
                            .build(),
                    )
                    .build()
            })
            .collect();
        for chunk in built.chunks(100) {
            hub.batch_import_findings()
                .set_findings(Some(chunk.to_vec()))
                .send()
                .await
                .expect("import findings");
        }
    }
}
