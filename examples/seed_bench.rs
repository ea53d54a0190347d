//! Seeds a large account for scripts/bench: `seed_bench ENDPOINT USERS [GROUPS [DBS [BUCKETS [POOLS]]]]`. Every user gets a
//! group; every second one an access key; every third one a console password; every user
//! an inline policy (every tenth one a path to administrator rights, the rest scoped
//! reads), and one role per ten users (every fifth one an administrator that Lambda may
//! assume), so that the policy evaluation of admin-privileges and privilege-escalation is
//! measured on an account of that size. GROUPS security groups (default none) are spread
//! over three regions, each with a rule: SSH from anywhere, HTTPS from anywhere, a
//! database port from another group, or a port range from a customer prefix list. DBS DB
//! instances (default none) are spread over the same regions, every tenth with a manual
//! snapshot. BUCKETS buckets (default none) too: every other one hardened (Block Public
//! Access, ACLs disabled, KMS, versioning, a TLS-only policy), every fifth one public by
//! policy, the rest bare. POOLS Cognito user pools (default none) as well, every other
//! one set up well, each with three app clients and five groups.

#[path = "../tests/support/seed.rs"]
mod seed;

use std::sync::Arc;

use tokio::sync::Semaphore;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(Ok(users))) = (args.next(), args.next().map(|n| n.parse::<usize>()))
    else {
        eprintln!("usage: seed_bench ENDPOINT USERS [GROUPS [DBS [BUCKETS [POOLS]]]]");
        std::process::exit(2);
    };
    let groups: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let dbs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let buckets: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let pools: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let config = seed::emulator_config(&endpoint, None).await;
    security_groups(&config, groups).await;
    databases(&config, dbs).await;
    storage(&config, buckets).await;
    user_pools(&config, pools).await;
    let iam = aws_sdk_iam::Client::new(&config);
    for g in 0..5 {
        seed::group(&iam, &format!("team-{g}"), seed::READ_ONLY_POLICY, &[]).await;
    }
    let limit = Arc::new(Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..users {
        let iam = iam.clone();
        let limit = limit.clone();
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let name = format!("user-{i:04}");
            if i % 3 == 0 {
                seed::console_user(&iam, &name).await;
            } else {
                seed::user(&iam, &name).await;
            }
            if i % 2 == 0 {
                seed::access_key(&iam, &name).await;
            }
            iam.add_user_to_group()
                .group_name(format!("team-{}", i % 5))
                .user_name(&name)
                .send()
                .await
                .expect("add user to group");
            let policy = if i % 10 == 0 {
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::*:user/${aws:username}"}}"#.to_string()
            } else {
                format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-{i}","arn:aws:s3:::bucket-{i}/*"]}},{{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"false"}}}}}}]}}"#
                )
            };
            seed::put_user_policy(&iam, &name, "work", &policy).await;
            if i % 10 == 0 {
                let role = format!("role-{i:04}");
                seed::role(&iam, &role, &seed::service_trust("lambda.amazonaws.com")).await;
                let policy = if i % 50 == 0 {
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
                } else {
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}}"#
                };
                seed::put_role_policy(&iam, &role, "exec", policy).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("seeding task");
    }
}

/// The regions the benchmark's security groups are spread over.
const REGIONS: [&str; 3] = ["eu-west-1", "us-east-1", "ap-southeast-2"];

async fn security_groups(config: &aws_config::SdkConfig, groups: usize) {
    use seed::network::*;
    if groups == 0 {
        return;
    }
    for (r, region) in REGIONS.iter().enumerate() {
        let ec2 = client(config, region);
        let office = prefix_list(&ec2, "office", &["203.0.113.0/24", "198.51.100.0/24"]).await;
        let web = group(&ec2, "web", vec![rule("tcp", 443, 443, &["0.0.0.0/0"])]).await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in (r..groups).step_by(REGIONS.len()) {
            let ec2 = ec2.clone();
            let (office, web) = (office.clone(), web.clone());
            tasks.spawn(async move {
                let ingress = match i % 4 {
                    0 => rule("tcp", 22, 22, &["0.0.0.0/0"]),
                    1 => rule("tcp", 443, 443, &["0.0.0.0/0", "::/0"]),
                    2 => rule("tcp", 5432, 5432, &[&web]),
                    _ => rule("tcp", 8000, 8100, &[&office]),
                };
                group(&ec2, &format!("bench-{i:04}"), vec![ingress]).await;
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("seeding task");
        }
    }
}

async fn databases(config: &aws_config::SdkConfig, dbs: usize) {
    use seed::databases::*;
    for (r, region) in REGIONS.iter().enumerate() {
        let rds = client(config, region);
        let mut tasks = tokio::task::JoinSet::new();
        for i in (r..dbs).step_by(REGIONS.len()) {
            let rds = rds.clone();
            tasks.spawn(async move {
                let id = format!("db-{i:04}");
                instance(
                    &rds,
                    &id,
                    Settings {
                        public: i % 5 == 0,
                        encrypted: i % 2 == 0,
                        backup_days: if i % 3 == 0 { 1 } else { 7 },
                        deletion_protection: i % 4 == 0,
                        minor_upgrades: true,
                        security_groups: &[],
                    },
                )
                .await;
                if i % 10 == 0 {
                    rds.create_db_snapshot()
                        .db_instance_identifier(&id)
                        .db_snapshot_identifier(format!("{id}-manual"))
                        .send()
                        .await
                        .expect("create snapshot");
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("seeding task");
        }
    }
}

async fn storage(config: &aws_config::SdkConfig, buckets: usize) {
    use seed::storage::*;
    for (r, region) in REGIONS.iter().enumerate() {
        let s3 = client(config, region);
        let limit = Arc::new(Semaphore::new(16));
        let mut tasks = tokio::task::JoinSet::new();
        for i in (r..buckets).step_by(REGIONS.len()) {
            let (s3, limit, region) = (s3.clone(), limit.clone(), region.to_string());
            tasks.spawn(async move {
                let _slot = limit.acquire().await.expect("semaphore");
                let name = format!("bench-bucket-{i:04}");
                if i % 2 == 0 {
                    hardened(&s3, &name, &region).await;
                } else {
                    bare(&s3, &name, &region).await;
                    if i % 5 == 0 {
                        policy(
                            &s3,
                            &name,
                            &format!(
                                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{name}/*"}}]}}"#
                            ),
                        )
                        .await;
                    }
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("seeding task");
        }
    }
}

async fn user_pools(config: &aws_config::SdkConfig, pools: usize) {
    use seed::user_pools::*;
    for (r, region) in REGIONS.iter().enumerate() {
        let idp = client(config, region);
        for i in (r..pools).step_by(REGIONS.len()) {
            let strong = i % 2 == 0;
            let pool = pool(&idp, &format!("bench-pool-{i:03}"), strong).await;
            for c in 0..3 {
                app_client(&idp, &pool, &format!("client-{c}"), strong).await;
            }
            for g in ["Lend2B", "Client", "Provider", "Lender", "AnchorAccount"] {
                group(&idp, &pool, g, None).await;
            }
        }
    }
}
