//! Seeds the demo account in a local emulator: `seed_demo ENDPOINT`. Used by scripts/demo.
//! Writing to AWS lives here and in the tests, never in the postura binary.

#[path = "../tests/support/seed.rs"]
mod seed;

#[tokio::main]
async fn main() {
    let Some(endpoint) = std::env::args().nth(1) else {
        eprintln!("usage: seed_demo ENDPOINT (a local emulator such as http://localhost:5000)");
        std::process::exit(2);
    };
    let config = seed::emulator_config(&endpoint, None).await;
    let account = aws_sdk_sts::Client::new(&config)
        .get_caller_identity()
        .send()
        .await
        .ok()
        .and_then(|o| o.account().map(str::to_string))
        .unwrap_or_else(|| "123456789012".to_string());
    seed::lending_platform(&aws_sdk_iam::Client::new(&config), &account, &endpoint).await;
    seed::lending_network(&config).await;
    seed::lending_storage(&config, &account).await;
    seed::lending_api(&config, &account).await;
}
