//! Writing to an emulated account: test and demo code only, never in the binary.

#![allow(dead_code)]

use aws_sdk_iam::Client;

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
/// whose access keys GitHub Actions uses, and a few known problems:
/// - `dev-maria` signs in to the console without MFA, although the document says every
///   account has MFA;
/// - `deploy-github` has a long-lived access key and a policy attached directly, not
///   through a group.
pub async fn lending_platform(iam: &Client) {
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
    access_key(iam, "deploy-github").await;
    attach_user_policy(
        iam,
        "deploy-github",
        "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
    )
    .await;
}
