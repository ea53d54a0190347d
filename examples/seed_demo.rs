//! Seeds the demo account in a local emulator: `seed_demo ENDPOINT`. Used by scripts/demo.
//! Writing to AWS lives here and in the tests, never in the postura binary.

#[path = "../tests/support/seed.rs"]
mod seed;

use aws_config::{BehaviorVersion, Region};

#[tokio::main]
async fn main() {
    let Some(endpoint) = std::env::args().nth(1) else {
        eprintln!("usage: seed_demo ENDPOINT (a local emulator such as http://127.0.0.1:5000)");
        std::process::exit(2);
    };
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .endpoint_url(endpoint)
        .load()
        .await;
    seed::lending_platform(&aws_sdk_iam::Client::new(&config)).await;
}
