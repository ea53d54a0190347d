//! Seeds a large account for scripts/bench: `seed_bench ENDPOINT USERS`. Every user gets a
//! group; every second one an access key; every third one a console password; every user
//! an inline policy (every tenth one a path to administrator rights, the rest scoped
//! reads), and one role per ten users (every fifth one an administrator that Lambda may
//! assume), so that the policy evaluation of admin-privileges and privilege-escalation is
//! measured on an account of that size.

#[path = "../tests/support/seed.rs"]
mod seed;

use std::sync::Arc;

use tokio::sync::Semaphore;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(Ok(users))) = (args.next(), args.next().map(|n| n.parse::<usize>()))
    else {
        eprintln!("usage: seed_bench ENDPOINT USERS");
        std::process::exit(2);
    };
    let config = seed::emulator_config(&endpoint, None).await;
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
